package io.mediasuite.local.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's basic request validation for REST APIs, driven by the API's OpenAPI document exactly as the
 * imported API is: the operation's {@code x-amazon-apigateway-request-validator} (else the document's) names one
 * of {@code x-amazon-apigateway-request-validators}, which switches on
 * <ul>
 *   <li>parameter validation: every required path, query and header parameter present and not blank (API
 *       Gateway checks presence only, never type or pattern); failure is the {@code BAD_REQUEST_PARAMETERS}
 *       gateway response, message {@code Missing required request parameters: [a, b]};</li>
 *   <li>body validation: the body against the request schema of the request's Content-Type (a missing
 *       Content-Type counts as {@code application/json}, API Gateway's default; a type with no schema is not
 *       validated, as documented); failure, or a body that is not JSON, is {@code BAD_REQUEST_BODY}, message
 *       {@code Invalid request body}. An empty body is validated as an empty object, so it fails any schema
 *       with required properties (what LocalStack's snapshot tests recorded from AWS).</li>
 * </ul>
 * The rejection is the document's {@code x-amazon-apigateway-gateway-responses} entry for that type (else its
 * {@code DEFAULT_4XX}), else API Gateway's default: status 400, {@code {"message":"<message>"}}.
 */
public final class GatewayValidator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiDefinition definition;

    public GatewayValidator(ApiDefinition definition) {
        this.definition = definition;
    }

    /**
     * A request as API Gateway sees it before the integration.
     *
     * @param headers header values by name (names compared case-insensitively)
     * @param body    the raw body, empty when none
     */
    public record Request(String method, String resourcePath, Map<String, String> pathParameters,
                          Map<String, String> queryParameters, Map<String, String> headers, byte[] body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst();
        }
    }

    /**
     * A request the gateway answers itself.
     *
     * @param responseType the gateway response type, e.g. {@code BAD_REQUEST_BODY}
     * @param problems     why, for the runner's log (API Gateway logs these to CloudWatch, never to the client)
     */
    public record Rejection(String responseType, int status, Map<String, String> headers, String body,
                            List<String> problems) {
    }

    /** The rejection API Gateway would answer with, or empty when the request reaches the function. */
    public Optional<Rejection> validate(Request request, String requestId) {
        Optional<ApiDefinition.Operation> found = definition.operation(request.method(), request.resourcePath());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiDefinition.Operation operation = found.get();
        String validatorName = definition.extension(operation, "x-amazon-apigateway-request-validator").asText("");
        JsonNode validator = definition.document().path("x-amazon-apigateway-request-validators").path(validatorName);
        if (validatorName.isEmpty() || validator.isMissingNode()) {
            return Optional.empty();
        }
        if (validator.path("validateRequestParameters").asBoolean(false)) {
            List<String> missing = missingParameters(operation, request);
            if (!missing.isEmpty()) {
                return Optional.of(reject("BAD_REQUEST_PARAMETERS",
                        "Missing required request parameters: [" + String.join(", ", missing) + "]", requestId,
                        List.of("missing " + missing)));
            }
        }
        if (validator.path("validateRequestBody").asBoolean(false) && !operation.requestMediaTypes().isEmpty()) {
            String contentType = request.header("Content-Type").map(ApiDefinition::mediaType).orElse("application/json");
            Optional<String> mediaType = operation.requestMediaTypes().stream()
                    .filter(t -> t.equalsIgnoreCase(contentType)).findFirst();
            if (mediaType.isPresent()) {
                List<String> problems = bodyProblems(operation, mediaType.get(), request.body());
                if (!problems.isEmpty()) {
                    return Optional.of(reject("BAD_REQUEST_BODY", "Invalid request body", requestId, problems));
                }
            }
        }
        return Optional.empty();
    }

    private List<String> bodyProblems(ApiDefinition.Operation operation, String mediaType, byte[] body) {
        JsonNode json;
        if (body.length == 0) {
            json = JsonNodeFactory.instance.objectNode();
        } else {
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return List.of("body is not JSON");
            }
        }
        return definition.requestBodyProblems(operation, mediaType, json);
    }

    private static List<String> missingParameters(ApiDefinition.Operation operation, Request request) {
        List<String> missing = new ArrayList<>();
        for (JsonNode parameter : operation.node().path("parameters")) {
            if (!parameter.path("required").asBoolean(false)) {
                continue;
            }
            String name = parameter.path("name").asText();
            Optional<String> value = switch (parameter.path("in").asText()) {
                case "path" -> Optional.ofNullable(request.pathParameters().get(name));
                case "query" -> Optional.ofNullable(request.queryParameters().get(name));
                case "header" -> request.header(name);
                default -> Optional.of("-");
            };
            if (value.isEmpty() || value.get().isBlank()) {
                missing.add(name);
            }
        }
        return missing;
    }

    private Rejection reject(String type, String message, String requestId, List<String> problems) {
        Map<String, JsonNode> configured = definition.gatewayResponses();
        JsonNode response = configured.containsKey(type) ? configured.get(type) : configured.get("DEFAULT_4XX");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-ErrorType", "BadRequestException");
        headers.put("x-amzn-RequestId", requestId);
        int status = 400;
        String template = "{\"message\":$context.error.messageString}";
        if (response != null) {
            status = response.path("statusCode").asInt(status);
            template = response.path("responseTemplates").path("application/json").asText(template);
            response.path("responseParameters").properties().forEach(parameter -> {
                String value = parameter.getValue().asText();
                // Only static values ('...') are mapped; header names keep their case.
                if (parameter.getKey().startsWith("gatewayresponse.header.") && value.length() >= 2
                        && value.startsWith("'") && value.endsWith("'")) {
                    headers.put(parameter.getKey().substring("gatewayresponse.header.".length()),
                            value.substring(1, value.length() - 1));
                }
            });
        }
        return new Rejection(type, status, headers, render(template, message, requestId), problems);
    }

    /** The $context variables API Gateway offers in gateway response templates that matter here. */
    static String render(String template, String message, String requestId) {
        String quoted = JsonNodeFactory.instance.textNode(message).toString();
        return template.replace("$context.error.messageString", quoted)
                .replace("$context.error.message", message)
                .replace("$context.requestId", requestId)
                .replace("$context.extendedRequestId", requestId);
    }
}
