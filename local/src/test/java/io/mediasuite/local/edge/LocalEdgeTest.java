package io.mediasuite.local.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.Emulators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local edge against a distribution of its own template: an S3 origin in moto (through "OAC"), a custom origin
 * that is a small HTTP server of the test's standing in for an API, a template cache policy with tight TTL bounds,
 * and a viewer-request CloudFront Function run by Node.js. Each test uses paths of its own.
 */
class LocalEdgeTest {

    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              SiteBucket:
                Type: AWS::S3::Bucket
              OriginApi:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: live
              TightPolicy:
                Type: AWS::CloudFront::CachePolicy
                Properties:
                  CachePolicyConfig:
                    Name: tight
                    MinTTL: 1
                    DefaultTTL: 2
                    MaxTTL: 3
                    ParametersInCacheKeyAndForwardedToOrigin:
                      EnableAcceptEncodingGzip: false
                      EnableAcceptEncodingBrotli: false
                      QueryStringsConfig: {QueryStringBehavior: whitelist, QueryStrings: [v]}
                      HeadersConfig: {HeaderBehavior: none}
                      CookiesConfig: {CookieBehavior: none}
              IndexFunction:
                Type: AWS::CloudFront::Function
                Properties:
                  Name: !Sub "${AWS::StackName}-index"
                  AutoPublish: true
                  FunctionConfig: {Comment: directory index, Runtime: cloudfront-js-2.0}
                  FunctionCode: |
                    function handler(event) {
                      var request = event.request;
                      if (request.uri.length > 1 && request.uri.endsWith('/')) {
                        request.uri += 'index.html';
                      }
                      if (request.uri === '/boom') {
                        throw new Error('boom');
                      }
                      if (request.uri === '/teapot') {
                        return {statusCode: 418, statusDescription: "I'm a teapot", headers: {'x-from': {value: 'function'}}};
                      }
                      return request;
                    }
              StampFunction:
                Type: AWS::CloudFront::Function
                Properties:
                  Name: !Sub "${AWS::StackName}-stamp"
                  AutoPublish: true
                  FunctionConfig: {Comment: stamps thumbnails, Runtime: cloudfront-js-2.0}
                  FunctionCode: |
                    async function handler(event) {
                      var response = event.response;
                      response.headers['x-stamp'] = {value: event.context.eventType + ' ' + response.statusCode};
                      return response;
                    }
              Distribution:
                Type: AWS::CloudFront::Distribution
                Properties:
                  DistributionConfig:
                    Enabled: true
                    DefaultRootObject: index.html
                    Origins:
                      - Id: site
                        DomainName: !GetAtt SiteBucket.RegionalDomainName
                        S3OriginConfig: {OriginAccessIdentity: ""}
                      - Id: api
                        DomainName: !Sub "${OriginApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
                        OriginPath: !Join ["", ["/", !Ref OriginApi.Stage]]
                        CustomOriginConfig: {OriginProtocolPolicy: https-only}
                    DefaultCacheBehavior:
                      TargetOriginId: site
                      ViewerProtocolPolicy: redirect-to-https
                      AllowedMethods: [GET, HEAD]
                      Compress: true
                      CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
                      FunctionAssociations:
                        - EventType: viewer-request
                          FunctionARN: !GetAtt IndexFunction.FunctionARN
                    CacheBehaviors:
                      - PathPattern: "/api/*"
                        TargetOriginId: api
                        ViewerProtocolPolicy: https-only
                        AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
                        CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad
                      - PathPattern: "*/thumb/*"
                        TargetOriginId: api
                        ViewerProtocolPolicy: redirect-to-https
                        CachePolicyId: !Ref TightPolicy
                        FunctionAssociations:
                          - EventType: viewer-response
                            FunctionARN: !GetAtt StampFunction.FunctionARN
            """;

    /** What the test origin answers for a path: status, headers, body. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> originHits = new ConcurrentHashMap<>();
    private static final List<String> originRequests = new CopyOnWriteArrayList<>();
    private static HttpServer origin;
    private static LocalCloud cloud;
    private static LocalEdge edge;
    private static S3Client s3;
    private static String bucket;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                originRequests.add(exchange.getRequestURI().toString() + " ua=" + exchange.getRequestHeaders().getFirst("User-Agent"));
                originHits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                if (exchange.getRequestMethod().equals("POST")) {
                    byte[] echo = exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(201, echo.length);
                    exchange.getResponseBody().write(echo);
                    return;
                }
                Answer answer = answers.getOrDefault(path, new Answer(404, Map.of(), "no such thumbnail"));
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                String etag = answer.headers().get("ETag");
                if (etag != null && etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        origin.start();
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, TEMPLATE);
        cloud = LocalCloud.start(template, Emulators.shared(), "edge-test", Map.of());
        cloud.cloudFront().completionTime(Duration.ofMillis(100));
        edge = LocalEdge.start(cloud, Map.of("OriginApi", URI.create("http://127.0.0.1:" + origin.getAddress().getPort())),
                "127.0.0.1", 0);
        Map<String, String> env = cloud.emulators().environment();
        s3 = S3Client.builder().region(Region.of(env.get("AWS_REGION"))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build();
        bucket = cloud.physicalId("SiteBucket");
    }

    @AfterAll
    static void stop() {
        edge.close();
        cloud.close();
        origin.stop(0);
        s3.close();
    }

    @Test
    void get_shouldMissThenHitWithAge_whenTheObjectIsCacheable() throws Exception {
        // given
        put("hit/page.html", "<p>one</p>", "text/html", null);

        // when
        HttpResponse<String> first = get("/hit/page.html");
        Thread.sleep(1100);
        HttpResponse<String> second = get("/hit/page.html");

        // then
        assertEquals(200, first.statusCode());
        assertEquals("Miss from cloudfront", first.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(first.headers().firstValue("Age").isEmpty());
        assertEquals("Hit from cloudfront", second.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(Integer.parseInt(second.headers().firstValue("Age").orElseThrow()) >= 1, second.headers().toString());
        assertEquals("<p>one</p>", second.body());
        assertTrue(second.headers().firstValue("Via").orElseThrow().matches("1\\.1 [0-9a-f]{32}\\.cloudfront\\.net \\(CloudFront\\)"));
        assertEquals(LocalEdge.POP, second.headers().firstValue("X-Amz-Cf-Pop").orElseThrow());
        assertEquals(56, second.headers().firstValue("X-Amz-Cf-Id").orElseThrow().length());
        assertEquals("text/html", second.headers().firstValue("Content-Type").orElseThrow());
        // what S3 answers, not what the emulator's web server adds
        assertEquals("AmazonS3", first.headers().firstValue("Server").orElseThrow());
        assertTrue(first.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), first.headers().toString());
        assertTrue(first.headers().firstValue("X-Amz-Content-Sha256").isEmpty(), first.headers().toString());
    }

    @Test
    void get_shouldKeepObjectsForTheTtlThePolicyBoundsAllow_whenTheOriginSendsCacheControl() throws Exception {
        // given the tight policy (MinTTL 1, DefaultTTL 2, MaxTTL 3)
        answers.put("/ttl/thumb/long", new Answer(200, Map.of("Cache-Control", "max-age=3600"), "long"));
        answers.put("/ttl/thumb/zero", new Answer(200, Map.of("Cache-Control", "max-age=0", "ETag", "\"z1\""), "zero"));
        answers.put("/ttl/thumb/none", new Answer(200, Map.of(), "none"));
        answers.put("/ttl/thumb/shared", new Answer(200, Map.of("Cache-Control", "max-age=1, s-maxage=3"), "s"));
        answers.put("/ttl/thumb/nostore", new Answer(200, Map.of("Cache-Control", "no-store"), "n"));

        // when
        for (String name : List.of("long", "zero", "none", "shared", "nostore")) {
            assertEquals(200, get("/ttl/thumb/" + name).statusCode());
        }

        // then: capped at MaxTTL, raised to MinTTL, DefaultTTL, s-maxage over max-age, no-store kept MinTTL (> 0)
        assertEquals(3, ttl("/ttl/thumb/long"));
        assertEquals(1, ttl("/ttl/thumb/zero"));
        assertEquals(2, ttl("/ttl/thumb/none"));
        assertEquals(3, ttl("/ttl/thumb/shared"));
        assertEquals(1, ttl("/ttl/thumb/nostore"));
        assertEquals("Hit from cloudfront", get("/ttl/thumb/zero").headers().firstValue("X-Cache").orElseThrow());

        // when the 1 s lifetime has passed: the edge revalidates with the ETag and the origin says 304
        Thread.sleep(1100);
        HttpResponse<String> revalidated = get("/ttl/thumb/zero");

        // then
        assertEquals("RefreshHit from cloudfront", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("zero", revalidated.body());
        assertEquals(2, originHits.get("/ttl/thumb/zero").get());
    }

    @Test
    void get_shouldRouteByTheFirstMatchingBehaviour_whenPathsMatchThumbPattern() throws Exception {
        // given
        answers.put("/static/images/thumb/400/300/a.jpg", new Answer(200,
                Map.of("Content-Type", "image/jpeg", "Cache-Control", "public, max-age=31536000, immutable"), "jpeg"));

        // when
        HttpResponse<String> thumb = get("/static/images/thumb/400/300/a.jpg");
        HttpResponse<String> rootThumb = get("/thumb/400/300/a.jpg");
        HttpResponse<String> otherCase = get("/static/images/Thumb/400/300/a.jpg");

        // then: */thumb/* goes to the API origin (OriginPath /live is the stage the local API serves at its base)
        assertEquals("jpeg", thumb.body());
        assertEquals("viewer-response 200", thumb.headers().firstValue("x-stamp").orElseThrow(),
                "the behaviour's viewer-response function ran (async handlers too)");
        assertTrue(rootThumb.headers().firstValue("x-stamp").isEmpty(), "not on the default behaviour");
        assertTrue(originRequests.contains("/static/images/thumb/400/300/a.jpg ua=Amazon CloudFront"), originRequests.toString());
        // a path with no folder before thumb/ and a path in another case go to the default behaviour: S3, 403
        assertEquals(403, rootThumb.statusCode());
        assertTrue(rootThumb.body().contains("<Code>AccessDenied</Code>"), rootThumb.body());
        assertEquals(403, otherCase.statusCode());
        assertEquals("Error from cloudfront", otherCase.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void get_shouldKeyOnlyOnTheQueryStringsThePolicyNames_whenQueryStringsVary() throws Exception {
        // given
        answers.put("/q/thumb/x", new Answer(200, Map.of("Cache-Control", "max-age=60"), "x"));

        // when
        get("/q/thumb/x?v=1&utm=a");
        HttpResponse<String> sameKey = get("/q/thumb/x?v=1&utm=b");
        HttpResponse<String> otherKey = get("/q/thumb/x?v=2");

        // then
        assertEquals("Hit from cloudfront", sameKey.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("Miss from cloudfront", otherKey.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(originRequests.contains("/q/thumb/x?v=1 ua=Amazon CloudFront"),
                originRequests.toString());
    }

    @Test
    void get_shouldCacheErrorsForTheErrorCachingMinimumTtl_whenTheOriginAnswersAnError() throws Exception {
        // given a missing object in the bucket and a 404 from the API origin
        answers.put("/err/thumb/nostore", new Answer(404, Map.of("Cache-Control", "no-store"), "gone"));
        answers.put("/err/thumb/500", new Answer(500, Map.of("Cache-Control", "no-store"), "boom"));

        // when
        HttpResponse<String> first = get("/err/missing.html");
        put("err/missing.html", "now here", "text/html", null);
        HttpResponse<String> second = get("/err/missing.html");
        get("/err/thumb/404");
        HttpResponse<String> cached404 = get("/err/thumb/404");
        get("/err/thumb/nostore");
        get("/err/thumb/nostore");
        get("/err/thumb/500");
        get("/err/thumb/500");

        // then: S3 through OAC says 403 for a missing key, and that 403 stays 10 s though the object now exists
        assertEquals(403, first.statusCode());
        assertEquals(403, second.statusCode());
        assertEquals("Error from cloudfront", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(Freshness.ERROR_CACHING_MIN_TTL.toSeconds(), ttl("/err/missing.html"));
        assertEquals(404, cached404.statusCode());
        assertEquals(1, originHits.get("/err/thumb/404").get());
        // no-store keeps a 404 out of the cache, but not a 500
        assertEquals(2, originHits.get("/err/thumb/nostore").get());
        assertEquals(1, originHits.get("/err/thumb/500").get());
    }

    @Test
    void createInvalidation_shouldPurgeExactPathsAndWildcards_whenCreatedThroughTheCloudFrontApi() throws Exception {
        // given four cached objects
        for (String key : List.of("inv/a.html", "inv/b.html", "inv/deep/c.html", "inv/deep/d e.html")) {
            put(key, "v1", "text/html", null);
        }
        for (String path : List.of("/inv/a.html", "/inv/b.html", "/inv/deep/c.html", "/inv/deep/d%20e.html")) {
            assertEquals("v1", get(path).body());
        }
        for (String key : List.of("inv/a.html", "inv/b.html", "inv/deep/c.html", "inv/deep/d e.html")) {
            put(key, "v2", "text/html", null);
        }

        // when an invalidation of one exact path and one wildcard is created through the SDK and completes
        try (CloudFrontClient client = CloudFrontClient.builder().region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .endpointOverride(cloud.cloudFront().endpoint()).build()) {
            client.createInvalidation(b -> b.distributionId(edge.distributionId()).invalidationBatch(batch -> batch
                    .callerReference("purge-test").paths(p -> p.quantity(2).items("/inv/a.html", "/inv/deep/*"))));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (edge.cached().stream().anyMatch(o -> o.uri().equals("/inv/a.html")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // then the purged ones come fresh from the origin, the other stays cached
        assertEquals("v2", get("/inv/a.html").body());
        assertEquals("v2", get("/inv/deep/c.html").body());
        assertEquals("v2", get("/inv/deep/d%20e.html").body());
        assertEquals("v1", get("/inv/b.html").body());
    }

    @Test
    void get_shouldServeTheDirectoryIndex_whenTheViewerRequestFunctionRewritesTheUri() throws Exception {
        // given
        put("index.html", "home", "text/html", null);
        put("blog/index.html", "blog home", "text/html", null);

        // when
        HttpResponse<String> root = get("/");
        HttpResponse<String> folder = get("/blog/");
        HttpResponse<String> noSlash = get("/blog");
        HttpResponse<String> teapot = get("/teapot");

        // then
        assertEquals("home", root.body());
        assertEquals("blog home", folder.body());
        assertEquals(403, noSlash.statusCode());
        assertEquals(418, teapot.statusCode());
        assertEquals("function", teapot.headers().firstValue("x-from").orElseThrow());
        assertEquals("FunctionGeneratedResponse from cloudfront", teapot.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> failed = get("/boom");
        assertEquals(503, failed.statusCode());
        assertEquals("FunctionExecutionError from cloudfront", failed.headers().firstValue("X-Cache").orElseThrow());
        // /blog/ and /blog/index.html are one cache entry: the key holds the rewritten URI
        assertEquals("Hit from cloudfront", get("/blog/index.html").headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void get_shouldAnswer304FromTheCache_whenTheViewerSendsAMatchingValidator() throws Exception {
        // given
        put("cond/page.html", "page", "text/html", null);
        HttpResponse<String> first = get("/cond/page.html");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

        // when
        HttpResponse<String> byEtag = send(HttpRequest.newBuilder(edgeUri("/cond/page.html")).header("If-None-Match", etag));
        HttpResponse<String> byDate = send(HttpRequest.newBuilder(edgeUri("/cond/page.html"))
                .header("If-Modified-Since", lastModified));
        HttpResponse<String> otherEtag = send(HttpRequest.newBuilder(edgeUri("/cond/page.html"))
                .header("If-None-Match", "\"other\""));

        // then
        assertEquals(304, byEtag.statusCode());
        assertEquals("", byEtag.body());
        assertEquals("Hit from cloudfront", byEtag.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(etag, byEtag.headers().firstValue("ETag").orElseThrow());
        assertEquals(304, byDate.statusCode());
        assertEquals(200, otherEtag.statusCode());
    }

    @Test
    void head_shouldAnswerHeadersOnly_andPostIsRefused_whenTheBehaviourAllowsGetAndHead() throws Exception {
        // given
        put("head/page.html", "0123456789", "text/html", null);

        // when
        HttpResponse<String> head = send(HttpRequest.newBuilder(edgeUri("/head/page.html"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> post = send(HttpRequest.newBuilder(edgeUri("/head/page.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));

        // then
        assertEquals(200, head.statusCode());
        assertEquals("10", head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("", head.body());
        assertEquals("Hit from cloudfront", get("/head/page.html").headers().firstValue("X-Cache").orElseThrow());
        assertEquals(403, post.statusCode());
        assertEquals("Error from cloudfront", post.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void get_shouldCompressWithGzipAndKeyOnTheNormalisedEncoding_whenTheViewerAcceptsGzip() throws Exception {
        // given an HTML page over 1 000 bytes
        String page = "<p>compress me</p>".repeat(100);
        put("gz/page.html", page, "text/html; charset=utf-8", null);

        // when
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(edgeUri("/gz/page.html"))
                .header("Accept-Encoding", "gzip, deflate").build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> plain = get("/gz/page.html");
        HttpResponse<byte[]> sameKey = http.send(HttpRequest.newBuilder(edgeUri("/gz/page.html"))
                .header("Accept-Encoding", "deflate, gzip;q=0.8").build(), HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElseThrow());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(page.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertTrue(gzipped.headers().firstValue("ETag").orElseThrow().startsWith("W/"));
        assertEquals("Miss from cloudfront", plain.headers().firstValue("X-Cache").orElseThrow());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
        assertEquals("Hit from cloudfront", sameKey.headers().firstValue("X-Cache").orElseThrow());
    }

    private static long ttl(String uri) {
        return edge.cached().stream().filter(o -> o.uri().equals(uri)).findFirst().orElseThrow(
                () -> new AssertionError(uri + " is not cached: " + edge.cached())).ttlSeconds();
    }

    private static void put(String key, String body, String contentType, String cacheControl) {
        s3.putObject(b -> {
            b.bucket(bucket).key(key).contentType(contentType);
            if (cacheControl != null) {
                b.cacheControl(cacheControl);
            }
        }, RequestBody.fromString(body));
    }

    private static URI edgeUri(String path) {
        return URI.create(edge.endpoint() + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(edgeUri(path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertNotNull(response.headers().firstValue("X-Cache").orElse(null), "every answer carries X-Cache");
        return response;
    }

    @Test
    void start_shouldSayInOneLineThatNodeIsMissing_whenTheTemplateHasFunctionsAndNoNode() {
        IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FunctionHost.start("node-that-is-not-installed", Map.of("f", "function handler(e) { return e; }")));
        assertTrue(error.getMessage().contains("`node-that-is-not-installed` is not on the PATH"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void start_shouldNameTheFunction_whenItsCodeDeclaresNoHandler() {
        IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FunctionHost.start(Map.of("NoHandler", "var x = 1;")).close());
        assertTrue(error.getMessage().startsWith("CloudFront Function NoHandler does not load: "), error.getMessage());
    }

    @Test
    void post_shouldReachTheOriginWithItsBodyAndStayUncached_whenTheBehaviourAllowsIt() throws Exception {
        // given the /api/* behaviour: every method allowed, Managed-CachingDisabled
        answers.put("/api/item", new Answer(200, Map.of("Cache-Control", "max-age=600"), "item"));

        // when
        HttpResponse<String> created = send(HttpRequest.newBuilder(edgeUri("/api/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));
        get("/api/item");
        HttpResponse<String> again = get("/api/item");

        // then
        assertEquals(201, created.statusCode());
        assertEquals("{\"a\":1}", created.body());
        assertEquals("Miss from cloudfront", again.headers().firstValue("X-Cache").orElseThrow(),
                "CachingDisabled: every request goes to the origin");
        assertEquals(2, originHits.get("/api/item").get());
    }
}
