package io.mediasuite.local.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A local CloudFront edge for the distribution template.yaml declares, served over plain HTTP on a local port.
 *
 * <p>It reads the distribution through the local stack (every intrinsic resolved): origins (an S3 origin is the
 * bucket behind its domain name, read with a signed GetObject as OAC does; a custom origin named
 * {@code {api}.execute-api...} is that API's local base URI), the default root object, the cache behaviours in
 * order with CloudFront's path-pattern matching, allowed and cached methods, the cache policies (managed ones by
 * id, the template's own resolved), the TTL rules of CloudFront's guide, error caching, edge compression (gzip),
 * conditional requests and HEAD, and the CloudFront Functions associated with a behaviour (run by Node.js). The
 * answers carry CloudFront's headers: {@code X-Cache}, {@code Age} on hits, {@code Via}, {@code X-Amz-Cf-Id},
 * {@code X-Amz-Cf-Pop}. Invalidations created through the stack's CloudFront API purge the cache when they complete.
 *
 * <p>Where it differs from CloudFront is listed in the README ("The local CloudFront edge").
 */
public final class LocalEdge implements AutoCloseable {

    /** The cache's memory budget; least recently used objects go first beyond it. */
    static final long CACHE_CAPACITY_BYTES = 256L * 1024 * 1024;
    /** The largest request body forwarded to an origin (API Gateway's payload limit); larger ones get a 413. */
    static final int MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
    /** The point of presence the local edge reports in {@code X-Amz-Cf-Pop}. */
    static final String POP = "LCL50-C1";
    private static final Set<String> COMPRESSIBLE = Set.of("text/html", "text/css", "text/plain", "text/javascript",
            "text/xml", "text/csv", "application/javascript", "application/x-javascript", "application/json",
            "application/xml", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
            "application/manifest+json", "image/svg+xml", "image/x-icon", "application/wasm", "font/ttf", "font/otf");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the cache holds for one object, for tests and tooling. */
    public record CachedObject(String uri, int status, long ageSeconds, long ttlSeconds, boolean fresh) {
    }

    private final Distribution distribution;
    private final Origins origins;
    private final EdgeCache cache = new EdgeCache(CACHE_CAPACITY_BYTES);
    private final FunctionHost functions;
    private final CloudFrontTestServer cloudFront;
    private final CloudFrontTestServer.CompletionListener purger;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String via = HexFormat.of().formatHex(randomBytes(16));

    private LocalEdge(LocalCloud cloud, Distribution distribution, Map<String, URI> apiEndpoints, String host, int port)
            throws IOException {
        this.distribution = distribution;
        Map<String, URI> byApiId = new LinkedHashMap<>();
        Map<String, String> stages = new LinkedHashMap<>();
        apiEndpoints.forEach((logicalId, uri) -> {
            String apiId = cloud.physicalId(logicalId);
            byApiId.put(apiId, uri);
            stages.put(apiId, String.valueOf(cloud.resolve(Map.of("Ref", logicalId + ".Stage"))));
        });
        this.origins = new Origins(cloud.emulators().environment(), byApiId, stages);
        Map<String, String> used = new LinkedHashMap<>();
        List<Distribution.Behavior> all = new ArrayList<>(distribution.behaviors());
        all.add(distribution.defaultBehavior());
        all.forEach(b -> b.functions().values().forEach(f -> used.put(f, distribution.functionCode().get(f))));
        FunctionHost host0 = null;
        try {
            host0 = used.isEmpty() ? null : FunctionHost.start(used);
            this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException | RuntimeException e) {
            if (host0 != null) {
                host0.close();
            }
            origins.close();
            throw e;
        }
        this.functions = host0;
        this.cloudFront = cloud.cloudFront();
        this.purger = (distributionId, invalidation) -> {
            if (distributionId.equals(distribution.id())) {
                int purged = cache.purge(invalidation.paths());
                System.err.printf("sam-local edge: invalidation %s completed, %d cached object(s) purged %s%n",
                        invalidation.id(), purged, invalidation.paths().size() <= 5 ? invalidation.paths()
                                : invalidation.paths().subList(0, 5) + " and " + (invalidation.paths().size() - 5) + " more");
            }
        };
        cloudFront.addListener(purger);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts an edge for the template's distribution (the only enabled {@code AWS::CloudFront::Distribution}).
     *
     * @param apiEndpoints local base URI of each API by logical id (where a custom origin's requests go)
     * @param port         0 for a free port
     * @throws IllegalStateException in one line when the template declares no distribution, an origin or policy the
     *                               edge cannot serve, or a function and Node.js is missing
     */
    public static LocalEdge start(LocalCloud cloud, Map<String, URI> apiEndpoints, String host, int port) {
        List<String> declared = Distribution.declared(cloud);
        if (declared.size() != 1) {
            throw new IllegalStateException(declared.isEmpty()
                    ? "the template declares no CloudFront distribution (is DistributionId set?): no local edge to serve"
                    : "the local edge serves one distribution; the template declares " + declared);
        }
        try {
            return new LocalEdge(cloud, Distribution.load(cloud, declared.getFirst()), apiEndpoints, host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Whether the template declares a distribution to serve (none when DistributionId names one made elsewhere). */
    public static boolean declaresDistribution(LocalCloud cloud) {
        return !Distribution.declared(cloud).isEmpty();
    }

    /** Base URL of the edge, e.g. {@code http://127.0.0.1:3000}. */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /** The distribution id it serves (the one invalidations name). */
    public String distributionId() {
        return distribution.id();
    }

    /** The objects in the cache now, least recently used first. */
    public List<CachedObject> cached() {
        Instant now = Instant.now();
        return cache.snapshot().stream().map(e -> new CachedObject(e.uri, e.response.status(), e.ageSeconds(now),
                e.ttl.toSeconds(), e.fresh(now))).toList();
    }

    @Override
    public void close() {
        cloudFront.removeListener(purger);
        server.stop(0);
        executor.shutdownNow();
        if (functions != null) {
            functions.close();
        }
        origins.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // One viewer request
    // ---------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            ViewerRequest request = ViewerRequest.from(exchange);
            request.body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BODY_BYTES + 1);
            if (request.body.length > MAX_REQUEST_BODY_BYTES) {
                send(exchange, method, generatedError(413, "Error", "The request body is too large."));
                return;
            }
            Distribution.Behavior behavior = distribution.behaviorFor(request.uri);
            Reply reply;
            try {
                reply = serve(method, request, behavior, exchange.getRemoteAddress().getAddress().getHostAddress());
            } catch (FunctionHost.FunctionException e) {
                System.err.println("sam-local edge: CloudFront Function failed: " + e.getMessage());
                reply = generatedError(503, "FunctionExecutionError", "The CloudFront function associated with the "
                        + "CloudFront distribution is invalid or could not run.");
            } catch (RuntimeException e) {
                // Whatever went wrong locally, the viewer gets CloudFront's own error page, never a dropped connection.
                System.err.println("sam-local edge: " + request.uri + ": " + e);
                reply = generatedError(502, "Error", "CloudFront wasn't able to connect to the origin.");
            }
            send(exchange, method, reply);
        }
    }

    /** The response and the X-Cache verdict for it. */
    private record Reply(int status, Map<String, List<String>> headers, byte[] body, String xCache, Long age) {
    }

    private Reply serve(String method, ViewerRequest request, Distribution.Behavior behavior, String viewerIp)
            throws FunctionHost.FunctionException {
        if (!behavior.allowedMethods().contains(method)) {
            return generatedError(403, "Error", "This distribution is not configured to allow the HTTP request method "
                    + "that was used for this request.");
        }
        String viewerUri = request.uri + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        String requestFunction = behavior.functions().get("viewer-request");
        if (requestFunction != null) {
            var generated = request.runViewerRequest(functions, requestFunction, distribution, viewerIp);
            if (generated.isPresent()) {
                return new Reply(generated.get().status(), generated.get().headers(), generated.get().body(),
                        "FunctionGeneratedResponse", null);
            }
        }
        if (request.uri.equals("/") && distribution.defaultRootObject() != null) {
            request.uri = "/" + distribution.defaultRootObject();
        }
        Reply reply = fetchThroughCache(method, request, behavior, viewerUri);
        reply = conditional(request, reply);
        String responseFunction = behavior.functions().get("viewer-response");
        if (responseFunction != null && reply.status() < 400) {
            reply = viewerResponse(responseFunction, request, reply, viewerIp);
        }
        return reply;
    }

    private Reply fetchThroughCache(String method, ViewerRequest request, Distribution.Behavior behavior,
                                    String viewerUri) {
        CachePolicy policy = behavior.cachePolicy();
        CacheKey key = CacheKey.of(policy, request);
        Distribution.Origin origin = distribution.origin(behavior.targetOriginId()).orElseThrow();
        boolean cacheable = behavior.cachedMethods().contains(method) && (method.equals("GET") || method.equals("HEAD"));
        // A HEAD miss is fetched with GET so the object is cached whole for the GETs that follow.
        String originMethod = method.equals("HEAD") ? "GET" : method;
        if (!cacheable) {
            Origins.Response response;
            try {
                response = origins.fetch(origin, key.originRequest(originMethod, request, Map.of()));
            } catch (Origins.Unreachable e) {
                return unreachable(e);
            }
            return new Reply(response.status(), response.headers(), response.body(), verdict(response.status(), "Miss"),
                    null);
        }
        Instant now = Instant.now();
        EdgeCache.Entry entry = cache.get(key.key());
        if (entry != null && entry.fresh(now)) {
            entry.servedAs(viewerUri);
            return fromEntry(entry, "Hit", entry.ageSeconds(now));
        }
        Map<String, List<String>> validators = new LinkedHashMap<>();
        if (entry != null && entry.response.status() == 200) {
            Optional.ofNullable(entry.response.header("etag")).ifPresent(v -> validators.put("if-none-match", List.of(v)));
            Optional.ofNullable(entry.response.header("last-modified"))
                    .ifPresent(v -> validators.put("if-modified-since", List.of(v)));
        }
        Origins.Response response;
        try {
            response = origins.fetch(origin, key.originRequest(originMethod, request, validators));
        } catch (Origins.Unreachable e) {
            return unreachable(e);
        }
        if (response.status() == 304 && entry != null && !validators.isEmpty()) {
            // Revalidated: the cached object is fresh again, for a lifetime the 304's own headers may change.
            Map<String, String> merged = entry.response.firstValues();
            merged.putAll(response.firstValues());
            Duration ttl = Freshness.ttl(200, merged, policy, now).orElse(Duration.ZERO);
            entry.stored = now;
            entry.ttl = ttl;
            entry.servedAs(viewerUri);
            return fromEntry(entry, "RefreshHit", null);
        }
        Origins.Response stored = compress(behavior, key, response);
        Optional<Duration> ttl = Freshness.ttl(stored.status(), stored.firstValues(), policy, now);
        if (ttl.isPresent()) {
            EdgeCache.Entry fresh = new EdgeCache.Entry(key.key(), key.uri(), stored, now, ttl.get());
            fresh.servedAs(viewerUri);
            cache.put(fresh);
        }
        return new Reply(stored.status(), stored.headers(), stored.body(), verdict(stored.status(), "Miss"), null);
    }

    private static Reply fromEntry(EdgeCache.Entry entry, String verdict, Long age) {
        return new Reply(entry.response.status(), entry.response.headers(), entry.response.body(),
                verdict(entry.response.status(), verdict), age);
    }

    private static String verdict(int status, String outcome) {
        return status >= 400 ? "Error" : outcome;
    }

    /**
     * CloudFront compresses at the edge when the behaviour says Compress, the policy keys on the normalised
     * Accept-Encoding, the viewer accepts it, and the object is a compressible type of 1 000 to 10 000 000 bytes the
     * origin did not compress. Only gzip is made locally (the JDK has no Brotli encoder).
     */
    private static Origins.Response compress(Distribution.Behavior behavior, CacheKey key, Origins.Response response) {
        String type = Optional.ofNullable(response.header("content-type")).orElse("")
                .split(";")[0].trim().toLowerCase(Locale.ROOT);
        int size = response.body().length;
        if (!behavior.compress() || !key.acceptEncoding().contains("gzip") || response.status() != 200
                || response.header("content-encoding") != null || size < 1000 || size > 10_000_000
                || !COMPRESSIBLE.contains(type)) {
            return response;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size / 2);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        headers.put("content-encoding", List.of("gzip"));
        headers.put("vary", List.of("Accept-Encoding"));
        String etag = response.header("etag");
        if (etag != null && !etag.startsWith("W/")) {
            // The bytes differ from the origin's: CloudFront weakens the validator.
            headers.put("etag", List.of("W/" + etag));
        }
        return new Origins.Response(200, headers, out.toByteArray());
    }

    /** Answers If-None-Match / If-Modified-Since from the response the edge holds (cached or just fetched). */
    private static Reply conditional(ViewerRequest request, Reply reply) {
        if (reply.status() != 200) {
            return reply;
        }
        String ifNoneMatch = request.header("if-none-match");
        String etag = first(reply.headers(), "etag");
        boolean notModified;
        if (ifNoneMatch != null) {
            notModified = etag != null && matchesAny(ifNoneMatch, etag);
        } else {
            notModified = notModifiedSince(request.header("if-modified-since"), first(reply.headers(), "last-modified"));
        }
        if (!notModified) {
            return reply;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of("etag", "last-modified", "cache-control", "expires", "vary", "content-location")) {
            if (reply.headers().containsKey(name)) {
                headers.put(name, reply.headers().get(name));
            }
        }
        return new Reply(304, headers, new byte[0], reply.xCache(), reply.age());
    }

    private static boolean matchesAny(String ifNoneMatch, String etag) {
        String mine = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(mine)) {
                return true;
            }
        }
        return false;
    }

    private static boolean notModifiedSince(String ifModifiedSince, String lastModified) {
        if (ifModifiedSince == null || lastModified == null) {
            return false;
        }
        try {
            Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Instant modified = ZonedDateTime.parse(lastModified.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return !modified.isAfter(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private Reply viewerResponse(String function, ViewerRequest request, Reply reply, String viewerIp)
            throws FunctionHost.FunctionException {
        Map<String, Object> event = request.event(distribution, "viewer-response", viewerIp);
        event.put("response", ViewerRequest.responseObject(reply.status(), reply.headers()));
        var result = functions.run(function, event);
        if (!result.isObject()) {
            throw new FunctionHost.FunctionException(function + " returned no response object");
        }
        int status = result.path("statusCode").asInt(reply.status());
        Map<String, List<String>> headers = ViewerRequest.headersOf(result);
        // A viewer-response function changes status and headers; the body stays the object's.
        return new Reply(status, headers, reply.body(), reply.xCache(), reply.age());
    }

    private static Reply unreachable(Origins.Unreachable e) {
        System.err.println("sam-local edge: " + e.getMessage());
        return generatedError(e.status, "Error", e.status == 504
                ? "CloudFront attempted to establish a connection with the origin, but either the attempt failed or "
                + "the origin closed the connection."
                : "CloudFront wasn't able to connect to the origin.");
    }

    private static Reply generatedError(int status, String verdict, String message) {
        String html = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" "
                + "\"http://www.w3.org/TR/html4/loose.dtd\">\n<HTML><HEAD><META HTTP-EQUIV=\"Content-Type\" "
                + "CONTENT=\"text/html; charset=iso-8859-1\">\n<TITLE>ERROR: The request could not be satisfied</TITLE>\n"
                + "</HEAD><BODY>\n<H1>" + status + " ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade "
                + "size=\"1px\">\n" + message + "\n<BR clear=\"all\">\n<HR noshade size=\"1px\">\n<PRE>\nGenerated by "
                + "cloudfront (CloudFront)\n</PRE>\n</BODY></HTML>";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("text/html"));
        return new Reply(status, headers, html.getBytes(StandardCharsets.UTF_8), verdict, null);
    }

    private void send(HttpExchange exchange, String method, Reply reply) throws IOException {
        var out = exchange.getResponseHeaders();
        reply.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                out.put(canonical(name), new ArrayList<>(values));
            }
        });
        out.set("X-Cache", reply.xCache() + " from cloudfront");
        out.set("Via", "1.1 " + via + ".cloudfront.net (CloudFront)");
        out.set("X-Amz-Cf-Pop", POP);
        out.set("X-Amz-Cf-Id", Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(42)));
        if (reply.age() != null) {
            out.set("Age", Long.toString(reply.age()));
        }
        boolean noBody = method.equals("HEAD") || reply.status() == 304 || reply.status() == 204;
        if (method.equals("HEAD") && reply.status() != 304) {
            out.set("Content-Length", Integer.toString(reply.body().length));
        }
        exchange.sendResponseHeaders(reply.status(), noBody || reply.body().length == 0 ? -1 : reply.body().length);
        if (!noBody && reply.body().length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(reply.body());
            }
        }
    }

    private static String canonical(String lowerCase) {
        StringBuilder name = new StringBuilder(lowerCase.length());
        boolean upper = true;
        for (char c : lowerCase.toCharArray()) {
            name.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return name.toString();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
