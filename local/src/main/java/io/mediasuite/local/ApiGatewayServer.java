package io.mediasuite.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * {@code start-api}: serves every {@code Api} event route of template.yaml over HTTP. Each request becomes an
 * API Gateway REST proxy event for the function that owns the route; the function's proxy response becomes the
 * HTTP response. Binary handling follows API Gateway: a request body whose Content-Type is one of the API's
 * binary media types is passed base64-encoded, and a base64 response body is decoded to bytes only when the
 * request's Accept header matches a binary media type, so the well-known "image arrives as base64 text" trap
 * shows up locally too.
 */
public final class ApiGatewayServer implements AutoCloseable {

    private static final byte[] MISSING_TOKEN = "{\"message\":\"Missing Authentication Token\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_GATEWAY = "{\"message\":\"Internal server error\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ApiRouter router = new ApiRouter();
    private final Map<String, LocalLambda> functions;

    /**
     * @param functions the loaded functions by logical id; every {@code Api} route of each is served
     */
    public ApiGatewayServer(Map<String, LocalLambda> functions, String host, int port) throws IOException {
        this.functions = functions;
        functions.forEach((id, lambda) -> lambda.spec().routes().forEach(route -> router.add(id, route)));
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

    /** "GET http://host:port/path -> FunctionId" lines, for the start-up banner. */
    public List<String> describeRoutes() {
        List<String> lines = new ArrayList<>();
        for (ApiRouter.Route route : router.routes()) {
            lines.add(String.format("%-6s http://%s:%d%s -> %s", route.api().method(),
                    server.getAddress().getHostString(), port(), route.api().path(), route.functionId()));
        }
        return lines;
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
            LocalLambda function = functions.get(found.route().functionId());
            byte[] event = Jsons.MAPPER.writeValueAsBytes(event(exchange, path, found));
            byte[] payload;
            try {
                payload = function.invoke(event);
            } catch (LocalLambda.FunctionErrorException e) {
                System.err.println(found.route().functionId() + " failed: " + e.getMessage());
                respond(exchange, 502, Map.of("Content-Type", List.of("application/json")), BAD_GATEWAY);
                return;
            }
            proxyResponse(exchange, found.route().api(), payload);
        } catch (RuntimeException e) {
            System.err.println("start-api: " + e);
            respond(exchange, 502, Map.of("Content-Type", List.of("application/json")), BAD_GATEWAY);
        }
    }

    private Map<String, Object> event(HttpExchange exchange, String path, ApiRouter.Match match) throws IOException {
        FunctionSpec.ApiRoute api = match.route().api();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.getLast());
            multiHeaders.put(name, values);
        });
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
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean binary = body.length > 0 && contentType != null && matchesAny(api.binaryMediaTypes(), contentType);

        String requestId = UUID.randomUUID().toString();
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

    private void proxyResponse(HttpExchange exchange, FunctionSpec.ApiRoute api, byte[] payload) throws IOException {
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
        respond(exchange, response.path("statusCode").asInt(), headers, bytes);
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
