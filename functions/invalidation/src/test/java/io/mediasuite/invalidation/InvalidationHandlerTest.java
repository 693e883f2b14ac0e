package io.mediasuite.invalidation;

import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * The function as Lambda runs it: configured from template.yaml's environment, its CloudFront calls made by the
 * real SDK client against {@link CloudFrontTestServer} ({@link FunctionUnderTest}).
 */
class InvalidationHandlerTest {

    private static FunctionUnderTest function;
    private static CloudFrontTestServer cloudFront;
    private static Map<String, String> environment;
    private static String distributionId;

    @BeforeAll
    static void startCloud() {
        function = FunctionUnderTest.start(Map.of());
        cloudFront = function.cloudFront;
        environment = function.environment;
        distributionId = function.distributionId;
    }

    @AfterAll
    static void stopCloudFront() {
        function.close();
    }

    @BeforeEach
    void resetCloudFront() {
        cloudFront.reset();
        function.clearLedger();
    }

    @Test
    void handleRequest_shouldCreateOneInvalidationWithinBudget_whenThousandObjectDeployArrivesInOneBatch() {
        // given a 1 000-object deploy of a realistic site (webpack and Vite output opted in), as one SQS batch
        List<String> keys = SiteLayout.deploy(1000, 42);
        String event = TestEvents.sqsEvent(TestEvents.deployMessages("deploy", keys, "ObjectCreated:Put"));
        InvalidationHandler bundled = function.handlerWith(Map.of("IMMUTABLE_BUNDLERS", "webpack,vite"));

        // when
        JsonNode response = invoke(bundled, event);

        // then one CreateInvalidation call, within budget and wildcard allowance, no hashed asset named
        assertEquals(List.of(), failedIds(response));
        assertEquals(1, cloudFront.createRequests());
        List<CloudFrontTestServer.InvalidationRecord> invalidations = cloudFront.invalidations(distributionId);
        assertEquals(1, invalidations.size());
        List<String> paths = invalidations.getFirst().paths();
        assertTrue(paths.size() <= 50, paths.toString());
        assertTrue(invalidations.getFirst().wildcards() <= 5, paths.toString());
        assertTrue(paths.stream().noneMatch(p -> ImmutableObjects.BUNDLERS.get("webpack").matcher(p.substring(1)).matches()
                || ImmutableObjects.BUNDLERS.get("vite").matcher(p.substring(1)).matches()), paths.toString());
        assertTrue(paths.contains("/") && paths.contains("/index.html"), paths.toString());
        assertEquals("InProgress", invalidations.getFirst().status());
    }

    @Test
    void handleRequest_shouldNotCreateSecondInvalidation_whenBatchIsRedelivered() {
        // given a batch that was processed, then redelivered (say the function timed out after CreateInvalidation)
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("redelivery",
                List.of("index.html", "about/index.html", "pricing.html"), "ObjectCreated:Put");
        invoke(TestEvents.sqsEvent(messages));

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(messages.stream().map(TestEvents.SqsMessage::redelivered).toList()));

        // then the ledger knew those versions: no second call at all
        assertEquals(List.of(), failedIds(response));
        assertEquals(1, cloudFront.createRequests());
        assertEquals(1, cloudFront.invalidations(distributionId).size());
    }

    @Test
    void handleRequest_shouldNotInvalidateAgain_whenARedeliveryIsRegroupedWithOtherMessages() {
        // given a batch of three pages, invalidated
        List<TestEvents.SqsMessage> first = TestEvents.deployMessages("regroup",
                List.of("a.html", "b.html", "c.html"), "ObjectCreated:Put");
        invoke(TestEvents.sqsEvent(first));
        List<TestEvents.SqsMessage> later = TestEvents.deployMessages("regroup-later", List.of("d.html"),
                "ObjectCreated:Put");

        // when SQS redelivers them cut differently: {a, b} alone, then {c} with a new change {d}
        JsonNode ab = invoke(TestEvents.sqsEvent(List.of(first.get(0).redelivered(), first.get(1).redelivered())));
        JsonNode cd = invoke(TestEvents.sqsEvent(List.of(first.get(2).redelivered(), later.getFirst())));

        // then a, b and c cost nothing more; d gets its own invalidation
        assertEquals(List.of(), failedIds(ab));
        assertEquals(List.of(), failedIds(cd));
        List<CloudFrontTestServer.InvalidationRecord> invalidations = cloudFront.invalidations(distributionId);
        assertEquals(2, invalidations.size());
        assertEquals(List.of("/a.html", "/b.html", "/c.html"), invalidations.get(0).paths());
        assertEquals(List.of("/d.html"), invalidations.get(1).paths());
        assertEquals(2, cloudFront.createRequests());
    }

    @Test
    void handleRequest_shouldInvalidateEachDeploy_whenTwoDeploysChangeTheSamePaths() {
        // given two deploys of the same page (different S3 sequencers), after one another
        invoke(TestEvents.sqsEvent(TestEvents.deployMessages("monday", List.of("pricing.html"), "ObjectCreated:Put")));
        cloudFront.advance(java.time.Duration.ofMinutes(1));

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(TestEvents.deployMessages("tuesday", List.of("pricing.html"),
                "ObjectCreated:Put")));

        // then the second is a change of its own: invalidated again
        assertEquals(List.of(), failedIds(response));
        assertEquals(2, cloudFront.invalidations(distributionId).size());
        assertNotEquals(cloudFront.invalidations(distributionId).get(0).callerReference(),
                cloudFront.invalidations(distributionId).get(1).callerReference());
    }

    @Test
    void handleRequest_shouldReportItemsFailedThenSucceedOnRetry_whenInFlightLimitIsReached() {
        // given an earlier deploy whose invalidation is still in progress and fills the (lowered) file-path limit
        cloudFront.limits(4, 15);
        invoke(TestEvents.sqsEvent(TestEvents.deployMessages("first", List.of("a.html", "b.html", "c.html"),
                "ObjectCreated:Put")));
        List<TestEvents.SqsMessage> second = TestEvents.deployMessages("second", List.of("d.html", "e.html"),
                "ObjectCreated:Put");

        // when the next deploy arrives
        JsonNode limited = invoke(TestEvents.sqsEvent(second));

        // then every item of it is reported failed (SQS retries them), none dropped
        assertEquals(second.stream().map(TestEvents.SqsMessage::messageId).toList(), failedIds(limited));
        assertEquals(1, cloudFront.invalidations(distributionId).size());

        // when the first invalidation completes and SQS redelivers the batch
        cloudFront.advance(java.time.Duration.ofMinutes(5));
        JsonNode retried = invoke(TestEvents.sqsEvent(second.stream().map(TestEvents.SqsMessage::redelivered).toList()));

        // then
        assertEquals(List.of(), failedIds(retried));
        assertEquals(List.of("/d.html", "/e.html"), cloudFront.invalidations(distributionId).get(1).paths());
        assertEquals("Completed", cloudFront.invalidations(distributionId).get(0).status());
    }

    @Test
    void handleRequest_shouldPlanWithinTheWildcardsLeft_whenOtherInvalidationsAreInFlight() {
        // given 14 of CloudFront's 15 in-flight wildcards taken by an earlier invalidation
        createDirectly("earlier", IntStream.range(0, 14).mapToObj(i -> "/old-" + i + "/*").toList());
        List<String> keys = new ArrayList<>();
        for (String section : List.of("docs", "blog", "shop")) {
            IntStream.range(0, 60).forEach(i -> keys.add(section + "/page-" + i + ".html"));
        }

        // when 180 changed pages over 3 folders arrive
        JsonNode response = invoke(TestEvents.sqsEvent(TestEvents.deployMessages("tight", keys, "ObjectCreated:Put")));

        // then they are invalidated with the one wildcard left, the rest as file paths; none refused or deferred
        assertEquals(List.of(), failedIds(response));
        List<CloudFrontTestServer.InvalidationRecord> created = cloudFront.invalidations(distributionId);
        List<String> paths = created.subList(1, created.size()).stream().flatMap(i -> i.paths().stream()).toList();
        assertEquals(1, paths.stream().filter(p -> p.endsWith("*")).count(), paths.toString());
        assertEquals(121, paths.size());
        assertTrue(created.stream().allMatch(i -> i.paths().size() <= 50));
    }

    @Test
    void handleRequest_shouldInvalidateWhatFitsAndDeferTheRest_whenInFlightAllowanceIsNearlyFull() {
        // given 2 990 file paths and every wildcard in flight: room for 10 file paths and no wildcard
        createDirectly("files", IntStream.range(0, 2990).mapToObj(i -> "/f-" + i + ".html").toList());
        createDirectly("wildcards", IntStream.range(0, 15).mapToObj(i -> "/w-" + i + "/*").toList());
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("full",
                IntStream.range(0, 30).mapToObj(i -> "docs/page-" + i + ".html").toList(), "ObjectCreated:Put");

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(messages));

        // then 10 pages are invalidated now, the 20 others come back later; no CreateInvalidation is refused
        assertEquals(20, failedIds(response).size());
        assertEquals(3, cloudFront.invalidations(distributionId).size());
        List<String> now = cloudFront.invalidations(distributionId).get(2).paths();
        assertEquals(10, now.size());
        Set<String> invalidatedIds = new HashSet<>();
        for (TestEvents.SqsMessage message : messages) {
            if (!failedIds(response).contains(message.messageId())) {
                invalidatedIds.add(message.messageId());
            }
        }
        assertEquals(10, invalidatedIds.size());
        assertEquals(3, cloudFront.createRequests());

        // when the earlier invalidations complete and the deferred messages come back
        cloudFront.advance(java.time.Duration.ofMinutes(5));
        List<TestEvents.SqsMessage> again = messages.stream().filter(m -> failedIds(response).contains(m.messageId()))
                .map(TestEvents.SqsMessage::redelivered).toList();
        JsonNode retried = invoke(TestEvents.sqsEvent(again));

        // then with the allowance free again and nothing else in docs/, one wildcard covers the 20 pages
        assertEquals(List.of(), failedIds(retried));
        assertEquals(List.of("/docs/*"), cloudFront.invalidations(distributionId).get(3).paths());
    }

    @Test
    void handleRequest_shouldReportItemsFailed_whenCloudFrontKeepsThrottling() {
        // given CloudFront answering Throttling to more calls than the SDK retries
        cloudFront.throttleNext(10);
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("throttled", List.of("a.html", "b.html"),
                "ObjectCreated:Put");

        // when
        JsonNode throttled = invoke(TestEvents.sqsEvent(messages));

        // then
        assertEquals(List.of(messages.get(0).messageId(), messages.get(1).messageId()), failedIds(throttled));
        assertTrue(cloudFront.createRequests() > 1, "the SDK retries throttling itself before giving up");
        assertEquals(0, cloudFront.invalidations(distributionId).size());

        // when the throttling stops and the batch comes back
        cloudFront.throttleNext(0);
        JsonNode retried = invoke(TestEvents.sqsEvent(messages.stream().map(TestEvents.SqsMessage::redelivered).toList()));

        // then
        assertEquals(List.of(), failedIds(retried));
        assertEquals(1, cloudFront.invalidations(distributionId).size());
    }

    @Test
    void handleRequest_shouldSucceedWithinOneInvocation_whenOneThrottleIsRetriedBySdk() {
        // given
        cloudFront.throttleNext(1);

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(TestEvents.deployMessages("blip", List.of("a.html"),
                "ObjectCreated:Put")));

        // then
        assertEquals(List.of(), failedIds(response));
        assertEquals(2, cloudFront.createRequests());
        assertEquals(1, cloudFront.invalidations(distributionId).size());
    }

    @Test
    void handleRequest_shouldInvalidateEveryObjectAndIndexDirectories_whenSampleBatchArrives() {
        // given events/InvalidationFunction/sqs-batch.json: a test event, index.html, a hashed bundle, a PDF with spaces,
        // parentheses and '+', a copied Japanese-named index page under ~team, a deleted page with '#'
        String event = TestEvents.sample("sqs-batch.json");

        // when no bundler convention is opted into, and the bundle's Cache-Control cannot prove it immutable
        JsonNode response = invoke(event);

        // then CloudFront accepted the encoded paths (the server rejects unencoded unsafe characters)
        assertEquals(List.of(), failedIds(response));
        assertEquals(List.of(
                        "/",
                        "/%E6%97%A5%E6%9C%AC%E8%AA%9E/%7Eteam/",
                        "/%E6%97%A5%E6%9C%AC%E8%AA%9E/%7Eteam/index.html",
                        "/blog/c%23-tips.html",
                        "/index.html",
                        "/press/2024%20report%20(final)%20%2B%20notes.pdf",
                        "/static/js/main.3f9a1c2b.js"),
                cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldSkipTheBundle_whenItsBundlerConventionIsOptedInto() {
        // given
        InvalidationHandler webpack = function.handlerWith(Map.of("IMMUTABLE_BUNDLERS", "webpack"));

        // when
        JsonNode response = invoke(webpack, TestEvents.sample("sqs-batch.json"));

        // then
        assertEquals(List.of(), failedIds(response));
        assertTrue(cloudFront.invalidations(distributionId).getFirst().paths().stream()
                .noneMatch(p -> p.startsWith("/static/")));
    }

    @Test
    void handleRequest_shouldInvalidateDirectoryAndPage_whenDirectS3PutEvent() {
        // given the sample a `sam local invoke -e events/InvalidationFunction/s3-put.json` would pass
        // when
        JsonNode summary = invoke(TestEvents.sample("s3-put.json"));

        // then
        assertEquals("S3", summary.path("source").asText());
        assertEquals(1, summary.path("invalidations").size());
        assertEquals(List.of("/blog/caf%C3%A9%20menu/", "/blog/caf%C3%A9%20menu/index.html"),
                cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldInvalidateRemovedObject_whenObjectRemovedEvent() {
        // given / when
        invoke(TestEvents.sample("s3-remove.json"));

        // then
        assertEquals(List.of("/docs/old%20guide/Q&A.html"), cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldInvalidateCopiedObject_whenCopyObjectEvent() {
        // given / when
        invoke(TestEvents.sample("s3-copy.json"));

        // then
        assertEquals(List.of("/about-us.html"), cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldInvalidate_whenS3EventArrivesThroughSnsOrEventBridge() {
        // given / when
        invoke(TestEvents.sample("sns.json"));
        invoke(TestEvents.sample("eventbridge.json"));

        // then
        List<CloudFrontTestServer.InvalidationRecord> invalidations = cloudFront.invalidations(distributionId);
        assertEquals(List.of("/products/summer%20sale.html"), invalidations.get(0).paths());
        assertEquals(List.of("/guides/c%2B%2B%20&%20rust/", "/guides/c%2B%2B%20&%20rust/index.html"), invalidations.get(1).paths());
    }

    @Test
    void handleRequest_shouldReportOnlyThePoisonMessage_whenOneBodyIsUnreadable() {
        // given
        List<TestEvents.SqsMessage> messages = new ArrayList<>(TestEvents.deployMessages("mixed",
                List.of("a.html"), "ObjectCreated:Put"));
        messages.add(new TestEvents.SqsMessage("poison-1", "AQEBpoison", "{not json", 1));

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(messages));

        // then
        assertEquals(List.of("poison-1"), failedIds(response));
        assertEquals(List.of("/a.html"), cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldSucceedWithoutInvalidation_whenOnlyTestEventsAndOtherBuckets() {
        // given S3's test event and a change in a bucket this function does not serve
        List<TestEvents.SqsMessage> messages = List.of(
                new TestEvents.SqsMessage("test-event", "r1",
                        "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"media-suite-site-local\"}", 1),
                new TestEvents.SqsMessage("other-bucket", "r2",
                        TestEvents.s3Notification("someone-elses-bucket", "a.html", "ObjectCreated:Put", 1), 1));

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(messages));

        // then
        assertEquals(List.of(), failedIds(response));
        assertEquals(0, cloudFront.createRequests());
    }

    @Test
    void handleRequest_shouldResubmitUnderPathBoundReference_whenBatchReferenceIsTakenByOtherPaths() {
        // given the batch's caller reference already used for other paths (a redelivery after a config change)
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("taken", List.of("x.html"), "ObjectCreated:Put");
        InvalidationPlan plan = new InvalidationPlanner(InvalidationConfig.from(Env.of(environment))).plan(distributionId,
                S3EventReader.read(json(TestEvents.sqsEvent(messages))).items().getFirst().changes()).invalidations()
                .getFirst();
        try (CloudFrontClient client = new AwsClients(Env.of(environment)).build(CloudFrontClient.builder(), "CLOUDFRONT")) {
            client.createInvalidation(r -> r.distributionId(distributionId).invalidationBatch(b -> b
                    .callerReference(plan.callerReference()).paths(p -> p.quantity(1).items("/old.html"))));
        }

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(messages));

        // then
        assertEquals(List.of(), failedIds(response));
        List<CloudFrontTestServer.InvalidationRecord> invalidations = cloudFront.invalidations(distributionId);
        assertEquals(2, invalidations.size());
        assertEquals(List.of("/x.html"), invalidations.get(1).paths());
        assertEquals(plan.callerReferenceWithPaths(), invalidations.get(1).callerReference());
    }

    @Test
    void handleRequest_shouldReportItemsFailed_whenDistributionDoesNotExist() {
        // given a function configured with a distribution CloudFront does not know
        InvalidationHandler wrong = function.handlerWith(Map.of("DISTRIBUTION_ID", "E0000NOSUCHDIST"));
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("lost", List.of("a.html"), "ObjectCreated:Put");

        // when
        JsonNode response = invoke(wrong, TestEvents.sqsEvent(messages));

        // then the message is not lost: it is retried and, if nobody fixes the configuration, dead-lettered
        assertEquals(List.of(messages.getFirst().messageId()), failedIds(response));
    }

    @Test
    void handleRequest_shouldThrowAfterTryingEveryRecord_whenDirectInvocationFails() {
        // given no room for any invalidation
        cloudFront.limits(0, 0);
        String event = TestEvents.sample("s3-put.json");

        // when / then Lambda's asynchronous retry takes over
        InvalidationHandler.InvalidationFailedException error = assertThrows(
                InvalidationHandler.InvalidationFailedException.class, () -> invoke(event));
        assertTrue(error.getMessage().contains("LIMIT"), error.getMessage());
    }

    @Test
    void handleRequest_shouldGiveEachDistributionItsOwnInvalidation_whenPrefixesAreRouted() {
        // given docs/ served by a second distribution
        cloudFront.addDistribution("E2DOCSEXAMPLE");
        InvalidationHandler twoDistributions = function.handlerWith(Map.of("DISTRIBUTION_ROUTES", "docs/=E2DOCSEXAMPLE:/"));

        // when
        JsonNode response = invoke(twoDistributions, TestEvents.sqsEvent(TestEvents.deployMessages("routes",
                List.of("index.html", "docs/index.html", "docs/api.html"), "ObjectCreated:Put")));

        // then
        assertEquals(List.of(), failedIds(response));
        assertEquals(List.of("/", "/index.html"), cloudFront.invalidations(distributionId).getFirst().paths());
        assertEquals(List.of("/", "/api.html", "/index.html"),
                cloudFront.invalidations("E2DOCSEXAMPLE").getFirst().paths());
        assertNotEquals(cloudFront.invalidations(distributionId).getFirst().callerReference(),
                cloudFront.invalidations("E2DOCSEXAMPLE").getFirst().callerReference());
    }

    @Test
    void handleRequest_shouldFailOnlyTheItemsOfTheFailingDistribution_whenOneOfTwoDistributionsRefuses() {
        // given docs/ routed to a distribution CloudFront does not know
        InvalidationHandler twoDistributions = function.handlerWith(Map.of("DISTRIBUTION_ROUTES", "docs/=E9UNKNOWN"));
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("partial",
                List.of("index.html", "docs/api.html"), "ObjectCreated:Put");

        // when
        JsonNode response = invoke(twoDistributions, TestEvents.sqsEvent(messages));

        // then the site's invalidation is made; only the docs message comes back
        assertEquals(List.of(messages.get(1).messageId()), failedIds(response));
        assertEquals(List.of("/", "/index.html"), cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldInvalidateEveryObject_whenOrdinaryNamesLookAlike() {
        // given pages whose names a careless hash pattern would skip
        List<String> keys = List.of("about-us.html", "2024-report.pdf", "logo.png", "index.html");

        // when
        invoke(TestEvents.sqsEvent(TestEvents.deployMessages("ordinary", keys, "ObjectCreated:Put")));

        // then
        assertEquals(List.of("/", "/2024-report.pdf", "/about-us.html", "/index.html", "/logo.png"),
                cloudFront.invalidations(distributionId).getFirst().paths());
        assertEquals(1, cloudFront.createRequests());
    }

    @Test
    void handleRequest_shouldInvalidatePlusAndDotSegmentKeysAsCloudFrontAcceptsThem() {
        // given keys with '+' and dot segments
        List<String> keys = List.of("guides/c++ & rust.html", "docs/./guide.html", "docs/../old.html");

        // when
        JsonNode response = invoke(TestEvents.sqsEvent(TestEvents.deployMessages("odd-keys", keys, "ObjectCreated:Put")));

        // then CloudFront (which rejects unencoded unsafe characters) accepted the paths browsers' URLs match
        assertEquals(List.of(), failedIds(response));
        assertEquals(List.of("/docs/../old.html", "/docs/./guide.html", "/guides/c%2B%2B%20&%20rust.html"),
                cloudFront.invalidations(distributionId).getFirst().paths());
    }

    @Test
    void handleRequest_shouldInvalidateEveryAllowedThumbnailOfAnOriginal_whenItIsDeletedOrOverwritten() {
        // given the images bucket's EventBridge events in the queue: an original deleted (a takedown), another
        // overwritten, and a site page in the same batch
        String images = environment.get("IMAGES_BUCKET");
        List<TestEvents.SqsMessage> messages = new ArrayList<>(List.of(
                new TestEvents.SqsMessage("takedown", "r1", imagesEvent(images, "static/images/b723eh0f0df.png",
                        "Object Deleted", "0062E99A88DC407460"), 1),
                new TestEvents.SqsMessage("overwrite", "r2", imagesEvent(images, "team/anna.jpg",
                        "Object Created", "0062E99A88DC407461"), 1)));
        messages.addAll(TestEvents.deployMessages("with-site", List.of("team/index.html"), "ObjectCreated:Put"));
        // the overwritten original and the other originals of the folder are in the bucket: their thumbnails are
        // cached under the same folders, so no wildcard may cover them
        List<String> originals = List.of("team/anna.jpg", "static/images/other.png");
        JsonNode response;
        try (software.amazon.awssdk.services.s3.S3Client s3 = new AwsClients(Env.of(environment))
                .build(software.amazon.awssdk.services.s3.S3Client.builder(), "S3")) {
            originals.forEach(k -> s3.putObject(b -> b.bucket(images).key(k),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("jpeg")));
            try {
                // when
                response = invoke(TestEvents.sqsEvent(messages));
            } finally {
                originals.forEach(k -> s3.deleteObject(b -> b.bucket(images).key(k)));
            }
        }

        // then every unsigned size, fit and cover, of both originals, coalesced with the site's paths
        assertEquals(List.of(), failedIds(response));
        List<String> paths = cloudFront.invalidations(distributionId).stream().flatMap(i -> i.paths().stream()).toList();
        List<String> expected = new ArrayList<>();
        for (String original : List.of("static/images/|b723eh0f0df.png", "team/|anna.jpg")) {
            String[] parts = original.split("\\|");
            for (String size : List.of("150/150", "400/300", "400/0", "0/300", "800/600")) {
                expected.add("/" + parts[0] + "thumb/" + size + "/" + parts[1]);
                expected.add("/" + parts[0] + "thumb/cover/" + size + "/" + parts[1]);
            }
        }
        assertTrue(paths.containsAll(expected), paths.toString());
        assertTrue(paths.containsAll(List.of("/team/", "/team/index.html")), paths.toString());
        assertEquals(22, paths.size(), paths.toString());
        assertEquals(1, cloudFront.invalidations(distributionId).size());
    }

    private static String imagesEvent(String bucket, String key, String detailType, String sequencer) {
        return io.mediasuite.common.Json.write(Map.of("version", "0", "id", "ev-" + sequencer,
                "detail-type", detailType, "source", "aws.s3", "account", "123456789012",
                "time", "2025-03-14T09:26:53Z", "region", "us-east-1",
                "detail", Map.of("bucket", Map.of("name", bucket), "object", Map.of("key", key, "sequencer", sequencer),
                        "reason", detailType.equals("Object Deleted") ? "DeleteObject" : "PutObject")));
    }

    /** An invalidation made by someone else (an earlier deploy, an operator) through the SDK. */
    private static void createDirectly(String reference, List<String> paths) {
        try (CloudFrontClient client = new AwsClients(Env.of(environment)).build(CloudFrontClient.builder(), "CLOUDFRONT")) {
            client.createInvalidation(r -> r.distributionId(distributionId).invalidationBatch(b -> b
                    .callerReference(reference).paths(p -> p.quantity(paths.size()).items(paths))));
        }
    }

    private static List<String> failedIds(JsonNode response) {
        return FunctionUnderTest.failedIds(response);
    }

    private static JsonNode invoke(String event) {
        return function.invoke(event);
    }

    private static JsonNode invoke(InvalidationHandler target, String event) {
        return FunctionUnderTest.invoke(target, event);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
