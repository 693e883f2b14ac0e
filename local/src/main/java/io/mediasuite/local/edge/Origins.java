package io.mediasuite.local.edge;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How the edge reaches its origins: an S3 bucket through OAC, or an HTTP server (the local API Gateway). */
final class Origins implements AutoCloseable {

    /** The largest origin response the local edge holds in memory; larger ones are refused with a 502. */
    static final int MAX_OBJECT_BYTES = 64 * 1024 * 1024;
    /** CloudFront's default origin response timeout. */
    static final Duration ORIGIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length", "date");

    /** A request the edge sends to an origin: path and query already as the behaviour forwards them. */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    }

    /** An origin's answer; header names in lower case. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        Map<String, String> firstValues() {
            Map<String, String> first = new LinkedHashMap<>();
            headers.forEach((name, values) -> {
                if (!values.isEmpty()) {
                    first.put(name, values.getFirst());
                }
            });
            return first;
        }
    }

    /** An origin the edge could not get an answer from (CloudFront answers the viewer 502 or 504 itself). */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Unreachable(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }
    }

    private final S3Client s3;
    private final HttpClient http;
    private final Map<String, URI> apiEndpoints;
    private final Map<String, String> apiStages;

    /**
     * @param emulatorEnv  the emulators' environment (endpoints, region, credentials) for the S3 origin
     * @param apiEndpoints local base URI of each API by its physical id (what {@code ${Api}} resolves to)
     * @param apiStages    stage name of each API by its physical id
     */
    Origins(Map<String, String> emulatorEnv, Map<String, URI> apiEndpoints, Map<String, String> apiStages) {
        this.apiEndpoints = Map.copyOf(apiEndpoints);
        this.apiStages = Map.copyOf(apiStages);
        this.s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(emulatorEnv.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulatorEnv.get("AWS_ACCESS_KEY_ID"), emulatorEnv.get("AWS_SECRET_ACCESS_KEY"))))
                .forcePathStyle(true)
                .endpointOverride(URI.create(emulatorEnv.get("AWS_ENDPOINT_URL_S3")))
                .build();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Response fetch(Distribution.Origin origin, Request request) throws Unreachable {
        return origin.s3() ? fromBucket(origin, request) : fromHttp(origin, request);
    }

    /**
     * A signed GetObject, as CloudFront makes it through OAC. The bucket policy grants CloudFront
     * {@code s3:GetObject} only, so S3 answers a missing key with 403 AccessDenied (it answers 404 only to callers
     * allowed {@code s3:ListBucket}); the edge answers the same.
     */
    private Response fromBucket(Distribution.Origin origin, Request request) throws Unreachable {
        String domain = origin.domainName();
        int suffix = domain.indexOf(".s3.");
        if (suffix <= 0) {
            suffix = domain.indexOf(".s3-");
        }
        if (suffix <= 0) {
            throw new IllegalStateException("origin " + origin.id() + ": " + domain + " is not an S3 bucket domain name");
        }
        String bucket = domain.substring(0, suffix);
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            // Through OAC the distribution may read the bucket, nothing else (the template grants s3:GetObject).
            return accessDenied();
        }
        String key = Paths.decodePath(origin.originPath() + request.rawPath()).substring(1);
        if (key.isEmpty()) {
            return accessDenied();
        }
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
        String ifNoneMatch = first(request.headers(), "if-none-match");
        String ifModifiedSince = first(request.headers(), "if-modified-since");
        if (ifNoneMatch != null) {
            get.ifNoneMatch(ifNoneMatch);
        }
        if (ifModifiedSince != null) {
            get.ifModifiedSince(java.time.ZonedDateTime.parse(ifModifiedSince,
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        }
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(get.build())) {
            Map<String, List<String>> headers = s3Headers(lowerCase(object.response().sdkHttpResponse().headers()));
            return new Response(object.response().sdkHttpResponse().statusCode(), headers, readBounded(object));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return accessDenied();
            }
            Map<String, List<String>> headers = e.awsErrorDetails() == null ? Map.of()
                    : lowerCase(e.awsErrorDetails().sdkHttpResponse().headers());
            if (e.statusCode() == 304) {
                return new Response(304, headers, new byte[0]);
            }
            String code = e.awsErrorDetails() == null ? "InternalError" : e.awsErrorDetails().errorCode();
            return s3Error(e.statusCode(), code, e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage());
        } catch (IOException | software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new Unreachable(502, "S3 origin " + bucket + " did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * The headers S3 itself answers a GetObject with: the object's own (type, length, validators, caching, metadata)
     * and S3's ids. The emulator adds its own (its web server, CORS, the SDK's checksum echoes), which S3 never
     * sends and which would otherwise reach the browser through the edge.
     */
    private static Map<String, List<String>> s3Headers(Map<String, List<String>> headers) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (S3_OBJECT_HEADERS.contains(name) || name.startsWith("x-amz-meta-")) {
                kept.put(name, values);
            }
        });
        kept.put("server", List.of("AmazonS3"));
        return kept;
    }

    private static final Set<String> S3_OBJECT_HEADERS = Set.of("content-type", "content-length", "etag",
            "last-modified", "cache-control", "expires", "content-encoding", "content-disposition", "content-language",
            "accept-ranges", "x-amz-version-id", "x-amz-request-id", "x-amz-id-2", "x-amz-server-side-encryption");

    private static Response accessDenied() {
        return s3Error(403, "AccessDenied", "Access Denied");
    }

    private static Response s3Error(int status, String code, String message) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>" + id + "</RequestId><HostId>local</HostId></Error>";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/xml"));
        headers.put("server", List.of("AmazonS3"));
        return new Response(status, headers, xml.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The local API behind an {@code {api-id}.execute-api.{region}.amazonaws.com} domain. API Gateway serves a stage
     * under {@code /{stage}}; the local API serves its stage at its base URI, so an OriginPath that starts with the
     * stage is mapped onto that base and the rest of it kept.
     */
    private Response fromHttp(Distribution.Origin origin, Request request) throws Unreachable {
        URI base;
        try {
            base = baseFor(origin);
        } catch (IllegalStateException e) {
            throw new Unreachable(502, e.getMessage(), e);
        }
        String apiId = origin.domainName().substring(0, origin.domainName().indexOf('.'));
        String originPath = origin.originPath();
        String stage = apiStages.get(apiId);
        if (stage != null && (originPath.equals("/" + stage) || originPath.startsWith("/" + stage + "/"))) {
            originPath = originPath.substring(stage.length() + 1);
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        URI target = URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + originPath
                + request.rawPath() + (request.rawQuery() == null ? "" : "?" + request.rawQuery()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(ORIGIN_TIMEOUT)
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = readBounded(in);
            }
            return new Response(response.statusCode(), lowerCase(response.headers().map()), body);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new Unreachable(502, "origin " + origin.id() + " (" + target.getAuthority() + ") refused the connection", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(504, "origin " + origin.id() + " did not answer within " + ORIGIN_TIMEOUT, e);
        } catch (IOException e) {
            throw new Unreachable(502, "origin " + origin.id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(502, "interrupted", e);
        }
    }

    private URI baseFor(Distribution.Origin origin) {
        String domain = origin.domainName();
        int dot = domain.indexOf(".execute-api.");
        if (dot > 0 && apiEndpoints.containsKey(domain.substring(0, dot))) {
            return apiEndpoints.get(domain.substring(0, dot));
        }
        throw new IllegalStateException("origin " + origin.id() + ": " + domain + " names no API the local suite serves"
                + (dot > 0 ? " (local API ids: " + apiEndpoints.keySet() + ")" : "; only S3 buckets and the template's "
                + "APIs can be origins locally"));
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_OBJECT_BYTES + 1);
        if (bytes.length > MAX_OBJECT_BYTES) {
            throw new IOException("the origin's response is larger than the local edge's limit of "
                    + MAX_OBJECT_BYTES + " bytes");
        }
        return bytes;
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")) {
                out.computeIfAbsent(lower, n -> new ArrayList<>()).addAll(values);
            }
        });
        return out;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }
}
