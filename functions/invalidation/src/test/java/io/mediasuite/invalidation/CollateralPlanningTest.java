package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import io.mediasuite.local.template.SamTemplate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Collateral-aware planning with the template's configuration, over a site bucket and an images bucket in moto
 * (this test's own, without the template buckets' notifications, so filling them stays quick), CloudFront in
 * {@link CloudFrontTestServer}. Wildcards are chosen by what they would purge, and never over a folder where the
 * images bucket has originals, since their thumbnails are cached under it.
 */
class CollateralPlanningTest {

    private static final List<String> FOLDERS = List.of("docs", "blog/2024", "shop", "news", "help", "about");

    private static FunctionUnderTest function;
    private static S3Client s3;
    private static String siteBucket;
    private static String imagesBucket;

    @BeforeAll
    static void start() {
        siteBucket = "collateral-site-" + Long.toHexString(System.nanoTime());
        imagesBucket = "collateral-images-" + Long.toHexString(System.nanoTime());
        function = FunctionUnderTest.start(Map.of("SITE_BUCKET", siteBucket, "IMAGES_BUCKET", imagesBucket));
        s3 = new AwsClients(Env.of(function.environment)).build(S3Client.builder(), "S3");
        s3.createBucket(b -> b.bucket(siteBucket));
        s3.createBucket(b -> b.bucket(imagesBucket));
    }

    @AfterAll
    static void stop() {
        empty(siteBucket);
        empty(imagesBucket);
        s3.deleteBucket(b -> b.bucket(siteBucket));
        s3.deleteBucket(b -> b.bucket(imagesBucket));
        s3.close();
        function.close();
    }

    @BeforeEach
    void reset() {
        function.cloudFront.reset();
        function.clearLedger();
        empty(siteBucket);
        empty(imagesBucket);
    }

    @Test
    void handleRequest_shouldPurgeNoThumbnailAndNeverEverything_whenSixFoldersOfChangedPagesExceedTheBudget() {
        // given a site of 6 top-level folders, 60 changed pages each and 20 unchanged; originals (so thumbnails)
        // under blog/ and shop/
        List<String> changed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String folder : FOLDERS) {
            IntStream.range(0, 60).forEach(i -> changed.add(folder + "/page-" + i + ".html"));
            IntStream.range(0, 20).forEach(i -> kept.add(folder + "/kept-" + i + ".html"));
        }
        putAll(siteBucket, changed);
        putAll(siteBucket, kept);
        put(imagesBucket, "blog/images/cover.jpg");
        put(imagesBucket, "shop/p-1.jpg");

        // when the 360 changes arrive at the template's defaults (50 paths, 5 wildcards per invalidation)
        JsonNode response = function.invoke(TestEvents.sqsEvent(TestEvents.deployMessages("six", changed,
                "ObjectCreated:Put").stream().map(m -> bucketed(m)).toList()));

        // then
        assertEquals(List.of(), FunctionUnderTest.failedIds(response));
        List<CloudFrontTestServer.InvalidationRecord> invalidations =
                function.cloudFront.invalidations(function.distributionId);
        List<String> paths = invalidations.stream().flatMap(i -> i.paths().stream()).toList();
        assertFalse(paths.contains("/*"), paths.toString());
        for (String thumbnail : List.of("/blog/images/thumb/400/300/cover.jpg", "/blog/thumb/150/150/images/x.jpg",
                "/shop/thumb/400/300/p-1.jpg", "/shop/thumb/cover/800/600/p-1.jpg")) {
            assertFalse(covers(paths, thumbnail), thumbnail + " purged by " + paths);
        }
        for (String key : changed) {
            assertTrue(covers(paths, "/" + key), key + " not invalidated by " + paths);
        }
        assertTrue(paths.containsAll(List.of("/docs/*", "/blog/2024/*", "/news/*", "/help/*", "/about/*")),
                paths.toString());
        assertEquals(65, paths.size(), "5 wildcards and shop's 60 pages as files");
        assertTrue(invalidations.stream().allMatch(i -> i.paths().size() <= 50 && i.wildcards() <= 5));
    }

    @Test
    void plan_shouldKeepFilePaths_whenAWildcardWouldPurgeManyUnchangedObjects() {
        // given 2 changed pages among 200 objects of one folder, and 30 changed of 32 in another
        putAll(siteBucket, IntStream.range(0, 200).mapToObj(i -> "archive/page-" + i + ".html").toList());
        putAll(siteBucket, IntStream.range(0, 32).mapToObj(i -> "news/item-" + i + ".html").toList());
        List<ObjectChange> changes = new ArrayList<>(List.of(change("archive/page-1.html"),
                change("archive/page-2.html")));
        IntStream.range(0, 30).forEach(i -> changes.add(change("news/item-" + i + ".html")));

        // when
        BatchPlan plan = planner(Map.of()).plan(function.distributionId, changes, PlanLimits.of(config(Map.of())),
                c -> false);

        // then the busy folder becomes a wildcard (2 unchanged objects purged); the quiet one keeps its 2 paths
        assertEquals(List.of("/archive/page-1.html", "/archive/page-2.html", "/news/*"), plan.paths());
        assertEquals(2, plan.collateral());
        assertEquals(List.of(new BatchPlan.Wildcard("/news/*", 30, 2)), plan.wildcards());
    }

    @Test
    void plan_shouldPreferTheDeeperWildcard_whenTheBudgetIsShort() {
        // given 60 changed posts in blog/2024/, 1 in blog/ itself, 150 older unchanged posts in blog/2019/
        putAll(siteBucket, IntStream.range(0, 150).mapToObj(i -> "blog/2019/old-" + i + ".html").toList());
        List<ObjectChange> changes = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> changes.add(change("blog/2024/post-" + i + ".html")));
        changes.add(change("blog/feed.xml"));
        putAll(siteBucket, changes.stream().map(ObjectChange::key).toList());

        // when
        BatchPlan plan = planner(Map.of()).plan(function.distributionId, changes, PlanLimits.of(config(Map.of())),
                c -> false);

        // then
        assertEquals(List.of("/blog/2024/*", "/blog/feed.xml"), plan.paths());
        assertEquals(0, plan.collateral());
    }

    @Test
    void plan_shouldTradePathsForCollateral_asTheWeightSays() {
        // given 10 changed of 110 objects in one folder
        putAll(siteBucket, IntStream.range(0, 110).mapToObj(i -> "docs/p-" + i + ".html").toList());
        List<ObjectChange> changes = IntStream.range(0, 10).mapToObj(i -> change("docs/p-" + i + ".html")).toList();

        // when 100 unchanged objects cost 1 path (default 0.01) or 10 paths (0.1)
        BatchPlan cheap = planner(Map.of()).plan(function.distributionId, changes,
                PlanLimits.of(config(Map.of())), c -> false);
        BatchPlan dear = planner(Map.of("COLLATERAL_WEIGHT", "0.1")).plan(function.distributionId, changes,
                PlanLimits.of(config(Map.of())), c -> false);

        // then
        assertEquals(List.of("/docs/*"), cheap.paths());
        assertEquals(100, cheap.collateral());
        assertEquals(10, dear.paths().size());
    }

    @Test
    void template_shouldGiveTheFunctionEveryOtherBehaviourOfTheDistribution() {
        // given
        SamTemplate template = function.cloud.template();
        Map<String, Object> distribution = SamTemplate.map(template.properties("SiteDistribution")
                .get("DistributionConfig"));

        // when
        List<String> patterns = SamTemplate.list(distribution.get("CacheBehaviors")).stream()
                .map(b -> String.valueOf(SamTemplate.map(b).get("PathPattern"))).toList();

        // then
        Map<String, String> deployed = function.cloud.functionEnvironment("InvalidationFunction");
        assertEquals(String.join(",", patterns), deployed.get("CACHE_BEHAVIOR_PATTERNS"));
        assertEquals(function.cloud.physicalId("ImagesBucket"), deployed.get("IMAGES_BUCKET"));
    }

    private static boolean covers(List<String> paths, String url) {
        String encoded = CloudFrontPaths.encode(url);
        return paths.stream().anyMatch(p -> p.endsWith("*") ? encoded.startsWith(p.substring(0, p.length() - 1))
                : p.equals(encoded));
    }

    private static TestEvents.SqsMessage bucketed(TestEvents.SqsMessage message) {
        return new TestEvents.SqsMessage(message.messageId(), message.receiptHandle(),
                message.body().replace(TestEvents.BUCKET, siteBucket), message.receiveCount());
    }

    private static ObjectChange change(String key) {
        return new ObjectChange("m-" + key, siteBucket, key, ObjectChange.Kind.CREATED, "ObjectCreated:Put");
    }

    private static InvalidationConfig config(Map<String, String> overrides) {
        Map<String, String> env = new java.util.HashMap<>(function.environment);
        env.putAll(overrides);
        return InvalidationConfig.from(Env.of(env));
    }

    private static InvalidationPlanner planner(Map<String, String> overrides) {
        InvalidationConfig config = config(overrides);
        return new InvalidationPlanner(config, new BucketWildcardCosts(s3, config, Clock.systemUTC()));
    }

    private static void put(String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
    }

    private static void putAll(String bucket, List<String> keys) {
        keys.parallelStream().forEach(key -> put(bucket, key));
    }

    private static void empty(String bucket) {
        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .toList();
        for (int from = 0; from < keys.size(); from += 1000) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 1000));
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(chunk.stream()
                    .map(k -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(k).build())
                    .toList())));
        }
    }
}
