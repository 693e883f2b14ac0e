package io.mediasuite.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mediasuite.local.openapi.ApiDefinition;
import io.mediasuite.local.openapi.GatewayValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * One REST API of template.yaml served over HTTP, as API Gateway serves it at its own base URL: only the
 * {@code Api} event routes whose {@code RestApiId} is this API are served, so two APIs never share a path space
 * ({@link LocalSuite} starts one server per API). Each request becomes an
 * API Gateway REST proxy event for the function that owns the route; the function's proxy response becomes the
 * HTTP response. Binary handling follows API Gateway: a request body whose Content-Type is one of the API's
 * binary media types is passed base64-encoded, and a base64 response body is decoded to bytes only when the
 * request's Accept header matches a binary media type, so the well-known "image arrives as base64 text" trap
 * shows up locally too.
 *
 * <p>An API built from an OpenAPI document (its DefinitionBody includes api/*.yaml) is served as API Gateway
 * serves the imported document: each route must be an operation of the document integrating the same function
 * (checked at start), the document's request validators run before the function is invoked (a request the
 * gateway would reject gets the same gateway response, see {@link GatewayValidator}), and every function
 * response is checked against the document's responses: a mismatch is printed and kept in
 * {@link #contractViolations()}.
 */
public final class ApiGatewayServer implements AutoCloseable {

    private static final byte[] MISSING_TOKEN = "{\"message\":\"Missing Authentication Token\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INTERNAL_ERROR = "{\"message\": \"Internal server error\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_GATEWAY = "{\"message\":\"Internal server error\"}".getBytes(StandardCharsets.UTF_8);

    private final String apiId;
    private final HttpServer server;
    private final ApiRouter router = new ApiRouter();
    private final Map<String, ? extends FunctionInvoker> functions;
    private final Map<Path, ApiDefinition> definitions = new HashMap<>();
    private final List<String> contractViolations = new CopyOnWriteArrayList<>();

    /**
     * @param apiId     the API's logical id ({@code ServerlessRestApi} for SAM's implicit API)
     * @param functions the functions by logical id (one {@link LocalLambda}, or a {@link FunctionPool} so that
     *                  concurrent requests run in concurrent instances); their {@code Api} routes on {@code apiId}
     *                  are served
     * @param port      the port to listen on, 0 for a free one
     * @throws java.net.BindException when the port is in use
     */
    public ApiGatewayServer(String apiId, Map<String, ? extends FunctionInvoker> functions, String host, int port)
            throws IOException {
        this.apiId = apiId;
        this.functions = functions;
        functions.forEach((id, lambda) -> lambda.spec().routes().forEach(route -> {
            if (!route.apiId().equals(apiId)) {
                return;
            }
            router.add(id, route);
            if (route.definition() != null) {
                checkRoute(id, route, definitions.computeIfAbsent(route.definition(), ApiDefinition::load));
            }
        }));
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The API's logical id. */
    public String apiId() {
        return apiId;
    }

    /** The API's base URL, what {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}} is in AWS. */
    public URI baseUri() {
        return URI.create("http://" + hostForUri(server.getAddress().getHostString()) + ":" + port());
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** "GET http://host:port/path -> FunctionId" lines, for the start-up banner. */
    public List<String> describeRoutes() {
        List<String> lines = new ArrayList<>();
        for (ApiRouter.Route route : router.routes()) {
            lines.add(String.format("%-6s %s%s -> %s", route.api().method(), baseUri(), route.api().path(),
                    route.functionId()));
        }
        return lines;
    }

    /** Responses of the functions that broke their API's document, one line each, since the server started. */
    public List<String> contractViolations() {
        return List.copyOf(contractViolations);
    }

    /** A template route must be an operation of its API's document that integrates the same function. */
    private static void checkRoute(String functionId, FunctionSpec.ApiRoute route, ApiDefinition definition) {
        ApiDefinition.Operation operation = definition.operation(route.method(), route.path()).orElseThrow(
                () -> new IllegalStateException(functionId + "'s Api event " + route.method() + " " + route.path()
                        + " is not an operation of " + definition.file()));
        String integrated = operation.integrationFunction().orElse("(no Lambda alias integration)");
        if (!integrated.equals(functionId)) {
            throw new IllegalStateException(definition.file() + " sends " + route.method() + " " + route.path()
                    + " to " + integrated + " but template.yaml's Api event belongs to " + functionId);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            Optional<ApiRouter.Match> match = router.match(method, path);
            if (match.isEmpty()) {
                respond(exchange, 403, Map.of("Content-Type", List.of("application/json")), MISSING_TOKEN);
                return;
            }
            ApiRouter.Match found = match.get();
            FunctionInvoker function = functions.get(found.route().functionId());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String requestId = UUID.randomUUID().toString();
            ApiDefinition definition = definitions.get(found.route().api().definition());
            if (definition != null) {
                Optional<GatewayValidator.Rejection> rejection = new GatewayValidator(definition)
                        .validate(gatewayRequest(exchange, method, found, body), requestId);
                if (rejection.isPresent()) {
                    GatewayValidator.Rejection rejected = rejection.get();
                    System.err.println("start-api: " + method + " " + found.route().api().path() + " rejected by the "
                            + "request validator (" + rejected.responseType() + "): " + rejected.problems());
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    rejected.headers().forEach((name, value) -> headers.put(name, List.of(value)));
                    respond(exchange, rejected.status(), headers, rejected.body().getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            byte[] event = Jsons.MAPPER.writeValueAsBytes(event(exchange, path, found, body, requestId));
            byte[] payload;
            try {
                payload = function.invoke(event);
            } catch (LocalLambda.FunctionErrorException e) {
                System.err.println(found.route().functionId() + " failed: " + e.getMessage());
                respond(exchange, 502, Map.of("Content-Type", List.of("application/json")), BAD_GATEWAY);
                return;
            } catch (FunctionPool.ThrottledException e) {
                // API Gateway answers a throttled Lambda integration with its INTEGRATION_FAILURE response: 500.
                System.err.println("start-api: " + found.route().functionId() + " throttled: " + e.getMessage());
                respond(exchange, 500, Map.of("Content-Type", List.of("application/json"),
                        "x-amzn-ErrorType", List.of("InternalServerErrorException")), INTERNAL_ERROR);
                return;
            }
            proxyResponse(exchange, found.route().api(), payload, definition);
        } catch (RuntimeException e) {
            System.err.println("start-api: " + e);
            respond(exchange, 502, Map.of("Content-Type", List.of("application/json")), BAD_GATEWAY);
        }
    }

    private static GatewayValidator.Request gatewayRequest(HttpExchange exchange, String method, ApiRouter.Match match,
                                                           byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getLast()));
        return new GatewayValidator.Request(method, match.route().api().path(), match.pathParameters(),
                query(exchange).single(), headers, body);
    }

    /** The query string as API Gateway passes it: last value per name, and every value per name. */
    private record Query(Map<String, String> single, Map<String, List<String>> multi) {
    }

    private static Query query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
                multiQuery.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return new Query(query, multiQuery);
    }

    private Map<String, Object> event(HttpExchange exchange, String path, ApiRouter.Match match, byte[] body,
                                      String requestId) {
        FunctionSpec.ApiRoute api = match.route().api();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.getLast());
            multiHeaders.put(name, values);
        });
        Query parsed = query(exchange);
        Map<String, String> query = parsed.single();
        Map<String, List<String>> multiQuery = parsed.multi();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean binary = body.length > 0 && contentType != null && matchesAny(api.binaryMediaTypes(), contentType);

        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.put("userAgent", headers.getOrDefault("User-Agent", headers.get("user-agent")));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "local");
        context.put("resourceId", "local");
        context.put("resourcePath", api.path());
        context.put("httpMethod", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        context.put("path", "/" + api.stage() + path);
        context.put("stage", api.stage());
        context.put("protocol", exchange.getProtocol());
        context.put("requestId", requestId);
        context.put("extendedRequestId", requestId);
        context.put("requestTimeEpoch", Instant.now().toEpochMilli());
        context.put("identity", identity);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", api.path());
        event.put("path", path);
        event.put("httpMethod", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        event.put("headers", headers);
        event.put("multiValueHeaders", multiHeaders);
        event.put("queryStringParameters", query.isEmpty() ? null : query);
        event.put("multiValueQueryStringParameters", multiQuery.isEmpty() ? null : multiQuery);
        event.put("pathParameters", match.pathParameters().isEmpty() ? null : match.pathParameters());
        event.put("stageVariables", null);
        event.put("requestContext", context);
        event.put("body", body.length == 0 ? null
                : binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", binary);
        return event;
    }

    private void proxyResponse(HttpExchange exchange, FunctionSpec.ApiRoute api, byte[] payload,
                               ApiDefinition definition) throws IOException {
        JsonNode response;
        try {
            response = Jsons.MAPPER.readTree(payload);
        } catch (IOException e) {
            response = null;
        }
        if (response == null || !response.isObject() || !response.path("statusCode").canConvertToInt()) {
            System.err.println("start-api: malformed Lambda proxy response: "
                    + new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8));
            respond(exchange, 502, Map.of("Content-Type", List.of("application/json")), BAD_GATEWAY);
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.path("headers").properties().forEach(e -> headers.put(e.getKey(), new ArrayList<>(List.of(e.getValue().asText()))));
        response.path("multiValueHeaders").properties().forEach(e -> {
            List<String> values = headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            e.getValue().forEach(v -> values.add(v.asText()));
        });
        JsonNode bodyNode = response.path("body");
        String body = bodyNode.isMissingNode() || bodyNode.isNull() ? "" : bodyNode.asText();
        byte[] bytes;
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (response.path("isBase64Encoded").asBoolean(false) && acceptsBinary(api.binaryMediaTypes(), accept)) {
            bytes = Base64.getDecoder().decode(body);
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", List.of("application/json"));
        }
        int status = response.path("statusCode").asInt();
        if (definition != null) {
            checkResponse(definition, exchange.getRequestMethod(), api.path(), status, headers, bytes);
        }
        respond(exchange, status, headers, bytes);
    }

    private void checkResponse(ApiDefinition definition, String method, String path, int status,
                               Map<String, List<String>> headers, byte[] body) {
        String contentType = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .map(h -> h.getValue().getFirst()).findFirst().orElse(null);
        definition.operation(method, path).ifPresent(operation -> {
            for (String problem : definition.responseProblems(operation, status, contentType, body)) {
                System.err.println("start-api: response breaks " + definition.file().getFileName() + ": " + problem);
                contractViolations.add(problem);
            }
        });
    }

    /**
     * Whether API Gateway would convert a base64 proxy body to binary: some binary media type matches the
     * request's Accept header (a {@code *}{@code /*} binary type matches every request).
     */
    public static boolean acceptsBinary(List<String> binaryTypes, String accept) {
        if (binaryTypes.contains("*/*")) {
            return true;
        }
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (String range : accept.split(",")) {
            String mediaRange = range.split(";")[0].trim();
            if (matchesAny(binaryTypes, mediaRange)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<String> binaryTypes, String mediaType) {
        String type = mediaType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (String binary : binaryTypes) {
            String b = binary.toLowerCase(Locale.ROOT);
            if (b.equals(type) || b.equals("*/*") || type.equals("*/*")
                    || (b.endsWith("/*") && type.startsWith(b.substring(0, b.length() - 1)))
                    || (type.endsWith("/*") && b.startsWith(type.substring(0, type.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
