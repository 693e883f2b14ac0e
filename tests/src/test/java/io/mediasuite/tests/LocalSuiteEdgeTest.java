package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import io.mediasuite.local.LocalSuite;
import io.mediasuite.local.emulator.Emulators;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local suite's CloudFront edge in front of the real functions: a thumbnail comes from ThumbnailFunction
 * through the {@code *}{@code /thumb/*} behaviour and then from the edge cache, and an invalidation made by
 * InvalidationFunction (through the stack's CloudFront API) purges a changed page.
 */
class LocalSuiteEdgeTest {

    private static LocalCloud cloud;
    private static LocalSuite suite;
    private static S3Client s3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(Project.ROOT.resolve("template.yaml"), Emulators.shared(), "suite-edge-test", Map.of());
        cloud.cloudFront().completionTime(Duration.ofMillis(200));
        // Without event sources: the test hands InvalidationFunction its event itself, instead of waiting out the
        // queue's 60 s batching window.
        suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0, false);
        Map<String, String> env = cloud.emulators().environment();
        s3 = S3Client.builder().region(Region.of(env.get("AWS_REGION"))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build();
    }

    @AfterAll
    static void stop() {
        suite.close();
        cloud.close();
        s3.close();
    }

    @Test
    void get_shouldServeTheThumbnailFromTheFunctionThenFromTheEdgeCache_whenRequestedTwice() throws Exception {
        // given an original in the images bucket
        String name = "edge-" + UUID.randomUUID() + ".png";
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        s3.putObject(b -> b.bucket(cloud.physicalId("ImagesBucket")).key("static/images/" + name).contentType("image/png"),
                RequestBody.fromBytes(png.toByteArray()));
        URI thumbnail = URI.create(suite.edgeEndpoint() + "/static/images/thumb/400/300/" + name);

        // when
        HttpResponse<byte[]> first = HTTP.send(HttpRequest.newBuilder(thumbnail).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> second = HTTP.send(HttpRequest.newBuilder(thumbnail).build(), HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", first.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("Miss from cloudfront", first.headers().firstValue("X-Cache").orElseThrow());
        BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(second.body()));
        assertEquals(400, decoded.getWidth());
        assertEquals(300, decoded.getHeight());
        assertEquals("Hit from cloudfront", second.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(second.headers().firstValue("Age").isPresent());
        // the function's one-year immutable lifetime, within ThumbnailCachePolicy's MaxTTL
        assertEquals(31_536_000, suite.edge().cached().stream()
                .filter(o -> o.uri().equals(thumbnail.getRawPath())).findFirst().orElseThrow().ttlSeconds());
    }

    @Test
    void invalidationFunction_shouldPurgeTheChangedPageFromTheEdge_whenItsS3EventIsProcessed() throws Exception {
        // given a folder page cached at the edge, then changed in the bucket
        String folder = "edge-" + UUID.randomUUID();
        String bucket = cloud.physicalId("SiteBucket");
        put(bucket, folder + "/index.html", "v1");
        URI page = URI.create(suite.edgeEndpoint() + "/" + folder + "/");
        assertEquals("v1", get(page).body());
        put(bucket, folder + "/index.html", "v2");
        assertEquals("v1", get(page).body(), "cached: the edge does not know yet");

        // when InvalidationFunction processes the S3 event of the change
        String event = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                "eventTime":"2026-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
                "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                "object":{"key":"%s/index.html","size":2,"eTag":"%s","sequencer":"0065F3A1B2C3D4E5F6"}}}]}
                """.formatted(bucket, bucket, folder, UUID.randomUUID().toString().replace("-", ""));
        FunctionSpec spec = cloud.function("InvalidationFunction");
        try (LocalLambda function = LocalLambda.load(spec)) {
            function.invoke(event.getBytes(StandardCharsets.UTF_8));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (suite.edge().cached().stream().anyMatch(o -> o.uri().startsWith("/" + folder))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        // then: an invalidation exists for the distribution, and the edge serves the new version
        assertTrue(cloud.cloudFront().invalidations(cloud.physicalId("SiteDistribution")).stream()
                .anyMatch(i -> i.paths().contains("/" + folder + "/index.html")));
        HttpResponse<String> fresh = get(page);
        assertEquals("v2", fresh.body());
        assertEquals("Miss from cloudfront", fresh.headers().firstValue("X-Cache").orElseThrow());
    }

    private static void put(String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/html"), RequestBody.fromString(body));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
