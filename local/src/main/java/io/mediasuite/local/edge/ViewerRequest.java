package io.mediasuite.local.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A viewer's request as the edge works on it, and its CloudFront Functions form: the event object a function
 * receives ({@code version}, {@code context}, {@code viewer}, {@code request} with {@code uri}, {@code querystring},
 * {@code headers} and {@code cookies} as {@code {name: {value, multiValue?}}}), and what a viewer-request function
 * returns (the request to go on with, or a response to answer with).
 */
final class ViewerRequest {

    final String method;
    /** The URI path, percent-encoded as the viewer sent it; a viewer-request function may change it. */
    String uri;
    /** Query strings by raw name, raw values in order ({@code null} for a name without {@code =}). */
    final Map<String, List<String>> query;
    /** Headers by lower-case name, without Cookie (cookies are apart, as functions see them). */
    final Map<String, List<String>> headers;
    final Map<String, List<String>> cookies;
    final String viewerIp;
    /** The request body, forwarded to a custom origin for the methods that carry one. */
    byte[] body = new byte[0];

    private ViewerRequest(String method, String uri, Map<String, List<String>> query, Map<String, List<String>> headers,
                          Map<String, List<String>> cookies, String viewerIp) {
        this.method = method;
        this.uri = uri;
        this.query = query;
        this.headers = headers;
        this.cookies = cookies;
        this.viewerIp = viewerIp;
    }

    static ViewerRequest from(HttpExchange exchange) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.computeIfAbsent(eq < 0 ? pair : pair.substring(0, eq), n -> new ArrayList<>())
                        .add(eq < 0 ? null : pair.substring(eq + 1));
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, List<String>> cookies = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(line -> {
                    for (String cookie : line.split(";")) {
                        int eq = cookie.indexOf('=');
                        if (eq > 0) {
                            cookies.computeIfAbsent(cookie.substring(0, eq).trim(), n -> new ArrayList<>())
                                    .add(cookie.substring(eq + 1).trim());
                        }
                    }
                });
            } else {
                headers.computeIfAbsent(lower, n -> new ArrayList<>()).addAll(values);
            }
        });
        String path = exchange.getRequestURI().getRawPath();
        return new ViewerRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                path == null || path.isEmpty() ? "/" : path, query, headers, cookies,
                exchange.getRemoteAddress().getAddress().getHostAddress());
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The query string as it stands (after any function changed it), or null when there is none. */
    String rawQuery() {
        List<String> pairs = new ArrayList<>();
        query.forEach((name, values) -> values.forEach(value -> pairs.add(value == null ? name : name + "=" + value)));
        return pairs.isEmpty() ? null : String.join("&", pairs);
    }

    static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** The CloudFront Functions event for this request. */
    Map<String, Object> event(Distribution distribution, String eventType, String ip) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("distributionDomainName", distribution.domainName());
        context.put("distributionId", distribution.id());
        context.put("eventType", eventType);
        context.put("requestId", UUID.randomUUID().toString());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", method);
        request.put("uri", uri);
        Map<String, Object> querystring = new LinkedHashMap<>();
        query.forEach((name, values) -> querystring.put(name, valueObject(values.stream()
                .map(v -> v == null ? "" : v).toList())));
        request.put("querystring", querystring);
        request.put("headers", valueObjects(headers));
        request.put("cookies", valueObjects(cookies));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "1.0");
        event.put("context", context);
        event.put("viewer", Map.of("ip", ip));
        event.put("request", request);
        return event;
    }

    /**
     * Runs a viewer-request function: its returned request replaces this one's URI, query strings, headers and
     * cookies; a returned response (an object with {@code statusCode}) is the answer, and the cache is not consulted.
     */
    Optional<LocalEdgeReply> runViewerRequest(FunctionHost functions, String function, Distribution distribution,
                                              String ip) throws FunctionHost.FunctionException {
        JsonNode result = functions.run(function, event(distribution, "viewer-request", ip));
        if (!result.isObject()) {
            throw new FunctionHost.FunctionException(function + " returned neither a request nor a response object");
        }
        if (result.has("statusCode")) {
            return Optional.of(new LocalEdgeReply(result.path("statusCode").asInt(), headersOf(result), body(result)));
        }
        String newUri = result.path("uri").asText("");
        if (!newUri.startsWith("/")) {
            throw new FunctionHost.FunctionException(function + " returned a request whose uri does not start with /");
        }
        uri = newUri;
        replace(query, result.path("querystring"), false);
        replace(headers, result.path("headers"), true);
        headers.remove("cookie");
        replace(cookies, result.path("cookies"), false);
        return Optional.empty();
    }

    /** A response a function generated. */
    record LocalEdgeReply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** The {@code response} object of a viewer-response event. */
    static Map<String, Object> responseObject(int status, Map<String, List<String>> responseHeaders) {
        Map<String, List<String>> plain = new LinkedHashMap<>(responseHeaders);
        Map<String, Object> cookies = new LinkedHashMap<>();
        for (String line : plain.getOrDefault("set-cookie", List.of())) {
            int eq = line.indexOf('=');
            int semi = line.indexOf(';');
            if (eq > 0) {
                Map<String, Object> cookie = new LinkedHashMap<>();
                cookie.put("value", line.substring(eq + 1, semi < 0 ? line.length() : semi));
                if (semi >= 0) {
                    cookie.put("attributes", line.substring(semi + 1).trim());
                }
                cookies.put(line.substring(0, eq).trim(), cookie);
            }
        }
        plain.remove("set-cookie");
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        response.put("statusDescription", "");
        response.put("headers", valueObjects(plain));
        response.put("cookies", cookies);
        return response;
    }

    /** Headers of a function's returned response, with its cookies as Set-Cookie lines. */
    static Map<String, List<String>> headersOf(JsonNode response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        replace(headers, response.path("headers"), true);
        List<String> setCookies = new ArrayList<>();
        response.path("cookies").properties().forEach(cookie -> values(cookie.getValue()).forEach(value -> {
            String attributes = cookie.getValue().path("attributes").asText("");
            setCookies.add(cookie.getKey() + "=" + value + (attributes.isEmpty() ? "" : "; " + attributes));
        }));
        if (!setCookies.isEmpty()) {
            headers.put("set-cookie", setCookies);
        }
        return headers;
    }

    private static byte[] body(JsonNode response) {
        JsonNode body = response.path("body");
        if (body.isTextual()) {
            return body.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (body.isObject()) {
            String data = body.path("data").asText("");
            return "base64".equals(body.path("encoding").asText()) ? Base64.getDecoder().decode(data)
                    : data.getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    private static void replace(Map<String, List<String>> into, JsonNode object, boolean lowerCaseNames) {
        into.clear();
        object.properties().forEach(field -> into.put(
                lowerCaseNames ? field.getKey().toLowerCase(Locale.ROOT) : field.getKey(), values(field.getValue())));
    }

    private static List<String> values(JsonNode valueObject) {
        List<String> values = new ArrayList<>();
        if (valueObject.has("multiValue") && valueObject.path("multiValue").isArray()) {
            valueObject.path("multiValue").forEach(v -> values.add(v.path("value").asText("")));
        } else {
            values.add(valueObject.path("value").asText(""));
        }
        return values;
    }

    private static Map<String, Object> valueObjects(Map<String, List<String>> multi) {
        Map<String, Object> out = new LinkedHashMap<>();
        multi.forEach((name, values) -> out.put(name, valueObject(values)));
        return out;
    }

    private static Map<String, Object> valueObject(List<String> values) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("value", values.isEmpty() ? "" : values.getFirst());
        if (values.size() > 1) {
            object.put("multiValue", values.stream().map(v -> Map.of("value", v)).toList());
        }
        return object;
    }
}
