package io.mediasuite.tests.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.SiteSync;
import io.mediasuite.local.cloudfront.CloudFrontTestServer.InvalidationRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A site deploy end to end through the event-driven suite, no handler called directly: 1 000 PutObjects into the
 * site bucket become S3 events in InvalidationQueue (moto's notifications), InvalidationFunction reads them through
 * its SQS event source (BatchSize 10 000, 60 s batching window, as in AWS), plans and creates invalidations on the
 * stack's CloudFront API, and the local edge purges what they cover: pages cached before the deploy are served
 * fresh after it, and once the queue is drained every changed URL is in an invalidation within the function's
 * budget. Bounded by the batching window: about a minute and a half on an idle machine, {@link #DEADLINE} at most.
 */
@ExtendWith(SiteSuite.Resolver.class)
class SiteDeployEndToEndTest {

    private static final int OBJECTS = 1000;
    private static final int CACHED_PAGES = 10;
    /** A naive deploy hook makes one per object; the function makes one per batch (or a few). */
    private static final int MAX_INVALIDATIONS = 10;
    /**
     * The batching window (60 s) once or twice, the planning, the invalidations' completion, and a loaded
     * machine's margin: moto answers ReceiveMessage slowly when the queue is long.
     */
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void deploy_shouldEndInPlannedInvalidationsAndFreshPages_whenAThousandObjectsArePut(SiteSuite suite)
            throws Exception {
        // given: pages live and cached at the edge
        String prefix = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
        String bucket = suite.cloud().physicalId("SiteBucket");
        List<String> cachedPages = new ArrayList<>();
        for (int i = 0; i < CACHED_PAGES; i++) {
            cachedPages.add(prefix + "/guide/page-" + i + "/index.html");
        }
        for (String page : cachedPages) {
            put(suite, bucket, page, "v1 " + page);
        }
        for (String page : cachedPages) {
            assertEquals("v1 " + page, get(suite, folderUrl(page)).body());
            assertEquals("Hit from cloudfront", get(suite, folderUrl(page)).headers().firstValue("X-Cache")
                    .orElse(""), "cached before the deploy: " + page);
        }

        // when: a deploy of 1 000 objects, the cached pages changed among them
        List<String> deployed = deployKeys(prefix, cachedPages);
        try (ExecutorService uploads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : deployed) {
                puts.add(uploads.submit(() -> put(suite, bucket, key, "v2 " + key)));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }

        // then: every cached page comes back fresh, fetched again from the bucket after a purge
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (String page : cachedPages) {
            HttpResponse<String> response = get(suite, folderUrl(page));
            while (!response.body().equals("v2 " + page)) {
                assertEquals("v1 " + page, response.body(), "the old or the new version, nothing else");
                assertTrue(System.nanoTime() < deadline, "still stale after " + DEADLINE + ": " + page);
                Thread.sleep(500);
                response = get(suite, folderUrl(page));
            }
            assertTrue(response.headers().firstValue("X-Cache").orElse("").startsWith("Miss"),
                    "purged, then fetched from the bucket: " + response.headers().map());
        }

        // and the invalidations are the function's plan: every changed page's URLs covered, within its budget
        Map<String, String> config = suite.cloud().functionEnvironment("InvalidationFunction");
        int maxPaths = Integer.parseInt(config.get("MAX_PATHS_PER_INVALIDATION"));
        int maxWildcards = Integer.parseInt(config.get("MAX_WILDCARDS_PER_INVALIDATION"));
        // (the deploy has ended once InvalidationQueue holds nothing, visible or in flight)
        while (!drained(suite) || ofDeploy(suite, prefix).stream().anyMatch(i -> !"Completed".equals(i.status()))) {
            assertTrue(System.nanoTime() < deadline, "InvalidationQueue still not drained after " + DEADLINE);
            Thread.sleep(1000);
        }
        List<InvalidationRecord> invalidations = ofDeploy(suite, prefix);
        assertEquals(List.of(), uncovered(invalidations, deployed), "changed, and in no invalidation");
        List<String> paths = invalidations.stream().flatMap(i -> i.paths().stream()).toList();
        for (String key : deployed) {
            if (key.contains("/assets/")) {
                assertTrue(paths.stream().noneMatch(p -> p.equals("/" + key)),
                        "content-hashed names are versioned by name, never invalidated one by one: " + key);
            }
        }
        // One per batch, or a few: a deploy that straddles batching windows is planned per batch.
        assertTrue(invalidations.size() <= MAX_INVALIDATIONS, "1 000 objects, " + invalidations.size()
                + " invalidations: " + invalidations);
        for (InvalidationRecord invalidation : invalidations) {
            assertTrue(invalidation.paths().size() <= maxPaths, invalidation.toString());
            assertTrue(invalidation.wildcards() <= maxWildcards, invalidation.toString());
        }
    }

    /** Whether InvalidationQueue holds no message, visible or in flight: every S3 event was processed. */
    private static boolean drained(SiteSuite suite) {
        Map<String, String> env = suite.cloud().emulators().environment();
        try (SqsClient sqs = SqsClient.builder().region(Region.of(env.get("AWS_REGION")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).build()) {
            Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(b -> b
                    .queueUrl(suite.cloud().physicalId("InvalidationQueue"))
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return depth.values().stream().allMatch("0"::equals);
        }
    }

    /** The distribution's invalidations that name something of this deploy (other tests deploy too). */
    private static List<InvalidationRecord> ofDeploy(SiteSuite suite, String prefix) {
        return suite.cloud().cloudFront().invalidations(suite.cloud().physicalId("SiteDistribution")).stream()
                .filter(i -> i.paths().stream().anyMatch(p -> p.startsWith("/" + prefix + "/") || p.equals("/*")))
                .toList();
    }

    /**
     * The URLs of {@code deployed} that no invalidation names: each changed object's path, and the folder of each
     * index document; content-hashed names need none.
     */
    private static List<String> uncovered(List<InvalidationRecord> invalidations, List<String> deployed) {
        List<String> paths = invalidations.stream().flatMap(i -> i.paths().stream()).toList();
        List<String> missing = new ArrayList<>();
        for (String key : deployed) {
            if (key.contains("/assets/")) {
                continue;
            }
            List<String> urls = new ArrayList<>(List.of("/" + key));
            if (key.endsWith("/index.html")) {
                urls.add("/" + key.substring(0, key.length() - "index.html".length()));
            }
            urls.stream().filter(url -> !covered(paths, url)).forEach(missing::add);
        }
        return missing;
    }

    /**
     * A realistic deploy: the cached pages, blog posts (folders with index documents), documentation pages,
     * content-hashed scripts and images; 1 000 keys in all.
     */
    private static List<String> deployKeys(String prefix, List<String> changedPages) {
        List<String> keys = new ArrayList<>(changedPages);
        for (int i = 0; keys.size() < 310; i++) {
            keys.add(prefix + "/blog/2026/post-" + i + "/index.html");
        }
        for (int i = 0; keys.size() < 910; i++) {
            keys.add(prefix + "/docs/section-" + (i % 30) + "/page-" + (i / 30) + ".html");
        }
        for (int i = 0; keys.size() < 970; i++) {
            keys.add(prefix + "/assets/chunk-" + i + "." + HexFormat.of().toHexDigits(0x5a17c0deL + i) + ".js");
        }
        for (int i = 0; keys.size() < OBJECTS; i++) {
            keys.add(prefix + "/img/icon-" + i + ".svg");
        }
        return keys;
    }

    /** Whether an invalidation path names {@code path}: the same path, or a wildcard path ending in * before it. */
    private static boolean covered(List<String> paths, String path) {
        return paths.stream().anyMatch(p -> p.equals(path)
                || (p.endsWith("*") && path.startsWith(p.substring(0, p.length() - 1))));
    }

    private static URI folderUrl(String indexKey) {
        return URI.create(indexKey.substring(0, indexKey.length() - "index.html".length()));
    }

    private static void put(SiteSuite suite, String bucket, String key, String body) {
        suite.s3().putObject(b -> b.bucket(bucket).key(key).contentType(SiteSync.contentType(key))
                .cacheControl(SiteSync.cacheControl(key)), RequestBody.fromString(body));
    }

    private static HttpResponse<String> get(SiteSuite suite, URI path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(suite.edge().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
