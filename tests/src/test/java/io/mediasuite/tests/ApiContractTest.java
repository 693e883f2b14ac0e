package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.openapi.ApiDefinition;
import io.mediasuite.local.openapi.GatewayValidator;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * api/*.yaml are the HTTP contract: they lint clean, keep to what API Gateway imports, name exactly the routes
 * template.yaml serves, become the REST APIs' bodies in the transformed template, and every sample API event in
 * events/ conforms to them.
 */
class ApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON Schema draft 4 keywords API Gateway models accept (no oneOf/anyOf/allOf/not, additionalProperties...). */
    private static final Set<String> MODEL_KEYWORDS = Set.of("type", "properties", "required", "enum", "pattern",
            "minLength", "maxLength", "minimum", "maximum", "items", "minItems", "maxItems", "uniqueItems",
            "description", "title", "format", "$ref", "default");

    private static final String GREEDY_PATH_MESSAGE = "paths.'/{proxy+}'. Declared path parameter proxy+ needs to "
            + "be defined as a path parameter in path or operation level";

    @Test
    void everyApi_shouldBeBuiltFromAnOpenApiDocument_whenDeclaredInTheTemplate() {
        // when
        Map<String, Path> documents = ApiDocuments.byApi();

        // then
        assertFalse(documents.isEmpty());
        documents.forEach((api, file) -> {
            assertNotNull(file, api + " has no DefinitionBody: Fn::Transform AWS::Include of an api/ document");
            assertTrue(Files.isRegularFile(file), api + ": " + file + " does not exist");
        });
    }

    @TestFactory
    Stream<DynamicTest> documents_shouldParseWithoutAnyMessage_whenReadBySwaggerParser() {
        return ApiDocuments.byApi().values().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
            // given
            ParseOptions options = new ParseOptions();
            options.setResolve(true);

            // when
            SwaggerParseResult result = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);

            // then: API Gateway's greedy {proxy+} names its parameter "proxy", which plain OpenAPI reads as
            // "proxy+": that one message is API Gateway's dialect, not a defect
            assertNotNull(result.getOpenAPI(), String.valueOf(result.getMessages()));
            List<String> messages = result.getMessages().stream()
                    .filter(m -> !m.equals(GREEDY_PATH_MESSAGE)).toList();
            assertEquals(List.of(), messages, file + " has parser messages");
            assertEquals(ApiDefinition.load(file).operations().size(), result.getOpenAPI().getPaths().values().stream()
                    .mapToInt(item -> item.readOperations().size()).sum(), "both readers see the same operations");
        }));
    }

    @TestFactory
    Stream<DynamicTest> documents_shouldKeepToWhatApiGatewayImports_whenWritten() {
        return ApiDocuments.byApi().values().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
            // given
            JsonNode document = ApiDefinition.load(file).document();
            List<String> problems = new ArrayList<>();

            // when
            document.path("components").path("schemas").properties().forEach(schema -> {
                if (!schema.getKey().matches("[A-Za-z0-9]+")) {
                    problems.add("model name " + schema.getKey() + " is not alphanumeric");
                }
                checkSchema("#/components/schemas/" + schema.getKey(), schema.getValue(), problems);
            });
            document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
                String where = op.getKey() + " " + path.getKey();
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    if (parameter.has("$ref")) {
                        problems.add(where + ": parameter by $ref (API Gateway's import does not follow it)");
                    }
                    checkSchema(where + " parameter " + parameter.path("name").asText(), parameter.path("schema"),
                            problems);
                }
                op.getValue().path("requestBody").path("content").properties()
                        .forEach(c -> checkSchema(where + " request " + c.getKey(), c.getValue().path("schema"), problems));
                op.getValue().path("responses").properties().forEach(response -> {
                    if (response.getValue().has("$ref")) {
                        problems.add(where + " " + response.getKey() + ": response by $ref");
                    }
                    response.getValue().path("content").properties().forEach(c -> checkSchema(
                            where + " " + response.getKey() + " " + c.getKey(), c.getValue().path("schema"), problems));
                });
            }));

            // then
            assertEquals(List.of(), problems);
        }));
    }

    @Test
    void routes_shouldBeTheSameInTheDocumentsAndTheTemplate_whenCompared() {
        ApiDocuments.byApi().forEach((api, file) -> {
            // when
            Map<String, String> documented = ApiDocuments.documentRoutes(ApiDefinition.load(file));
            Map<String, String> served = ApiDocuments.templateRoutes(api);

            // then: same routes, each integrated with the function whose event serves it
            assertFalse(served.isEmpty(), api + " serves no route");
            assertEquals(served, documented, api + ": template.yaml's Api events vs " + file.getFileName());
        });
    }

    @Test
    void errorSchemas_shouldBeTheSameInEveryDocument_whenCompared() {
        // when
        Map<String, JsonNode> errors = new TreeMap<>();
        ApiDocuments.byApi().values().forEach(file -> {
            JsonNode schemas = ApiDefinition.load(file).document().path("components").path("schemas");
            errors.put(file.getFileName().toString(), JSON.createArrayNode().add(schemas.path("ApiError"))
                    .add(schemas.path("ApiErrorDetail")).add(schemas.path("FieldError")));
        });

        // then
        assertTrue(errors.size() > 1);
        JsonNode first = errors.values().iterator().next();
        errors.forEach((file, error) -> {
            error.forEach(schema -> assertFalse(schema.isMissingNode(), file + " lacks an error schema"));
            assertEquals(first, error, file + "'s error schemas differ");
        });
    }

    @Test
    void transformedTemplate_shouldBuildEachRestApiFromItsDocument_whenTransformed() {
        // given
        JsonNode resources = TransformedTemplate.get().path("Resources");

        ApiDocuments.byApi().forEach((api, file) -> {
            // when
            JsonNode body = resources.path(api).path("Properties").path("Body");
            ApiDefinition document = ApiDefinition.load(file);

            // then: every documented operation, with its validators and schemas, integrated on the live alias
            assertEquals("AWS::ApiGateway::RestApi", resources.path(api).path("Type").asText());
            assertEquals(document.document().path("x-amazon-apigateway-request-validators"),
                    body.path("x-amazon-apigateway-request-validators"), api);
            assertEquals(document.document().path("components").path("schemas"),
                    body.path("components").path("schemas"), api);
            for (ApiDefinition.Operation operation : document.operations()) {
                JsonNode deployed = body.path("paths").path(operation.path()).path(operation.method().toLowerCase());
                String where = api + " " + operation.method() + " " + operation.path();
                assertFalse(deployed.isMissingNode(), where + " missing from the RestApi body");
                assertEquals(operation.node().path("requestBody"), deployed.path("requestBody"), where);
                assertEquals(operation.node().path("security"), deployed.path("security"), where);
                String function = operation.integrationFunction().orElseThrow();
                String uri = deployed.path("x-amazon-apigateway-integration").path("uri").path("Fn::Sub").asText()
                        .replaceAll(".*(functions/.*)", "$1");
                assertTrue(uri.equals("functions/${" + function + "Aliaslive}/invocations")
                        || uri.equals("functions/${" + function + ".Arn}:live/invocations"), where + ": " + uri);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> sampleApiEvents_shouldConformToTheDocuments_whenValidated() {
        List<DynamicTest> tests = new ArrayList<>();
        ApiDocuments.byApi().forEach((api, file) -> {
            ApiDefinition definition = ApiDefinition.load(file);
            for (String function : Set.copyOf(ApiDocuments.templateRoutes(api).values())) {
                for (Path event : Project.events(function)) {
                    tests.add(dynamicTest(function + " <- " + event.getFileName(), () -> {
                        // given
                        JsonNode sample = JSON.readTree(event.toFile());
                        String method = sample.path("httpMethod").asText();
                        String resource = sample.path("resource").asText();

                        // when
                        ApiDefinition.Operation operation = definition.operation(method, resource).orElse(null);

                        // then: a documented operation, valid path parameters, a body the gateway lets through
                        assertNotNull(operation, event + ": " + method + " " + resource + " is not in " + file);
                        List<String> problems = new ArrayList<>();
                        sample.path("pathParameters").properties().forEach(p -> problems.addAll(
                                definition.parameterProblems(operation, "path", p.getKey(), p.getValue().asText())));
                        Map<String, String> headers = new HashMap<>();
                        sample.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
                        Map<String, String> pathParameters = new HashMap<>();
                        sample.path("pathParameters").properties()
                                .forEach(p -> pathParameters.put(p.getKey(), p.getValue().asText()));
                        byte[] body = sample.path("body").isTextual()
                                ? sample.path("body").asText().getBytes(StandardCharsets.UTF_8) : new byte[0];
                        new GatewayValidator(definition).validate(new GatewayValidator.Request(method, resource,
                                pathParameters, Map.of(), headers, body), "sample")
                                .ifPresent(rejection -> problems.add(rejection.responseType() + " " + rejection.problems()));
                        if (!operation.requestMediaTypes().isEmpty()) {
                            assertTrue(body.length > 0, event + " has no body");
                            problems.addAll(definition.requestBodyProblems(operation, "application/json",
                                    JSON.readTree(body)));
                        }
                        assertEquals(List.of(), problems, event.toString());
                    }));
                }
            }
        });
        return tests.stream();
    }

    private static void checkSchema(String where, JsonNode schema, List<String> problems) {
        if (schema == null || schema.isMissingNode()) {
            return;
        }
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!MODEL_KEYWORDS.contains(keyword)) {
                problems.add(where + ": keyword " + keyword + " is not accepted in API Gateway models");
            }
        });
        if (schema.has("$ref") && !schema.get("$ref").asText().startsWith("#/components/schemas/")) {
            problems.add(where + ": $ref outside #/components/schemas/");
        }
        schema.path("properties").properties().forEach(p -> checkSchema(where + "." + p.getKey(), p.getValue(), problems));
        checkSchema(where + "[]", schema.get("items"), problems);
    }
}
