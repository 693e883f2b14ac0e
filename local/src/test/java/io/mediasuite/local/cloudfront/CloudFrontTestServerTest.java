package io.mediasuite.local.cloudfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;
import software.amazon.awssdk.services.cloudfront.model.InvalidArgumentException;
import software.amazon.awssdk.services.cloudfront.model.InvalidationSummary;
import software.amazon.awssdk.services.cloudfront.model.ListInvalidationsResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchInvalidationException;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

/** The test server speaks CloudFront's protocol: the real SDK client parses every answer into its model types. */
class CloudFrontTestServerTest {

    private static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";

    private static CloudFrontTestServer server;
    private static CloudFrontClient client;
    private static CloudFrontClient noRetries;

    @BeforeAll
    static void start() {
        server = CloudFrontTestServer.start().addDistribution(DISTRIBUTION);
        Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL_CLOUDFRONT", server.endpoint().toString()));
        client = new AwsClients(env).build(CloudFrontClient.builder(), "CLOUDFRONT");
        noRetries = CloudFrontClient.builder().region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("t", "t"))
                .endpointOverride(server.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        noRetries.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void createInvalidation_shouldReturnTheSameInvalidation_whenCallerReferenceAndPathsRepeat() {
        // given
        CreateInvalidationResponse first = create("ref-1", "/a.html", "/b/*");

        // when
        CreateInvalidationResponse again = create("ref-1", "/b/*", "/a.html");

        // then
        assertEquals(first.invalidation().id(), again.invalidation().id());
        assertEquals(1, server.invalidations(DISTRIBUTION).size());
        assertEquals("InProgress", first.invalidation().status());
        assertTrue(first.location().endsWith("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation/"
                + first.invalidation().id()), first.location());
        assertEquals(List.of("/a.html", "/b/*"), first.invalidation().invalidationBatch().paths().items());
        assertEquals("ref-1", first.invalidation().invalidationBatch().callerReference());
    }

    @Test
    void createInvalidation_shouldFailWithBatchAlreadyExists_whenCallerReferenceRepeatsWithOtherPaths() {
        // given
        create("ref-2", "/a.html");

        // when
        CloudFrontException error = assertThrows(CloudFrontException.class, () -> create("ref-2", "/other.html"));

        // then
        assertEquals("InvalidationBatchAlreadyExists", error.awsErrorDetails().errorCode());
        assertEquals(400, error.statusCode());
    }

    @Test
    void createInvalidation_shouldFailWithTooManyInProgress_whenWildcardLimitIsReachedUntilCompletion() {
        // given 15 wildcard paths in progress
        create("wild-1", IntStream.range(0, 15).mapToObj(i -> "/d" + i + "/*").toArray(String[]::new));

        // when / then
        assertThrows(TooManyInvalidationsInProgressException.class, () -> create("wild-2", "/more/*"));

        // when the first completes
        server.advance(Duration.ofMinutes(5));

        // then
        assertEquals("Completed", client.getInvalidation(r -> r.distributionId(DISTRIBUTION)
                .id(server.invalidations(DISTRIBUTION).getFirst().id())).invalidation().status());
        assertEquals("InProgress", create("wild-2", "/more/*").invalidation().status());
    }

    @Test
    void createInvalidation_shouldFailWithTooManyInProgress_whenFilePathLimitIsReached() {
        // given 2 990 file paths in progress
        create("files-1", IntStream.range(0, 2990).mapToObj(i -> "/p" + i + ".html").toArray(String[]::new));

        // when / then
        assertThrows(TooManyInvalidationsInProgressException.class,
                () -> create("files-2", IntStream.range(0, 11).mapToObj(i -> "/q" + i + ".html").toArray(String[]::new)));
        assertEquals("InProgress", create("files-3", "/q.html").invalidation().status());
    }

    @Test
    void createInvalidation_shouldRejectPath_whenUnsafeCharactersAreNotEncodedOrWildcardIsInside() {
        // given / when / then
        assertThrows(InvalidArgumentException.class, () -> create("bad-1", "/red flower.jpg"));
        assertThrows(InvalidArgumentException.class, () -> create("bad-2", "/café.html"));
        assertThrows(InvalidArgumentException.class, () -> create("bad-3", "/~user/"));
        assertThrows(InvalidArgumentException.class, () -> create("bad-4", "/a*/b.html"));
        assertThrows(InvalidArgumentException.class, () -> create("bad-5", "no-slash.html"));
        assertEquals("InProgress", create("good", "/red%20flower.jpg", "/caf%C3%A9.html", "/%7Euser/", "/a+b&c.html")
                .invalidation().status());
    }

    @Test
    void createInvalidation_shouldFailWithNoSuchDistribution_whenDistributionIsUnknown() {
        // given / when / then
        assertThrows(NoSuchDistributionException.class, () -> client.createInvalidation(r -> r.distributionId("ENOPE")
                .invalidationBatch(b -> b.callerReference("x").paths(p -> p.quantity(1).items("/a")))));
    }

    @Test
    void createInvalidation_shouldAnswerThrottling_whenThrottlingIsInjected() {
        // given
        server.throttleNext(1);

        // when
        CloudFrontException error = assertThrows(CloudFrontException.class, () -> noRetries.createInvalidation(r -> r
                .distributionId(DISTRIBUTION)
                .invalidationBatch(b -> b.callerReference("t").paths(p -> p.quantity(1).items("/a")))));

        // then the SDK recognises it as throttling (and its default client would have retried it)
        assertEquals("Throttling", error.awsErrorDetails().errorCode());
        assertEquals("Rate exceeded", error.awsErrorDetails().errorMessage());
        assertTrue(error.isThrottlingException());
    }

    @Test
    void listInvalidations_shouldPageNewestFirst_whenMoreThanMaxItems() {
        // given
        for (int i = 0; i < 5; i++) {
            create("list-" + i, "/p" + i + ".html");
        }
        server.completeAll();

        // when
        ListInvalidationsResponse first = client.listInvalidations(r -> r.distributionId(DISTRIBUTION).maxItems("2"));
        ListInvalidationsResponse second = client.listInvalidations(r -> r.distributionId(DISTRIBUTION).maxItems("2")
                .marker(first.invalidationList().nextMarker()));

        // then
        List<String> ids = server.invalidations(DISTRIBUTION).stream().map(CloudFrontTestServer.InvalidationRecord::id)
                .toList();
        assertTrue(first.invalidationList().isTruncated());
        assertEquals(List.of(ids.get(4), ids.get(3)),
                first.invalidationList().items().stream().map(InvalidationSummary::id).toList());
        assertEquals(List.of(ids.get(2), ids.get(1)),
                second.invalidationList().items().stream().map(InvalidationSummary::id).toList());
        assertEquals("Completed", first.invalidationList().items().getFirst().status());
        ListInvalidationsResponse last = client.listInvalidations(r -> r.distributionId(DISTRIBUTION).maxItems("2")
                .marker(second.invalidationList().nextMarker()));
        assertEquals(List.of(ids.get(0)), last.invalidationList().items().stream().map(InvalidationSummary::id).toList());
        assertEquals(false, last.invalidationList().isTruncated());
    }

    @Test
    void getInvalidation_shouldFailWithNoSuchInvalidation_whenIdIsUnknown() {
        // given
        Invalidation created = create("get-1", "/a.html").invalidation();

        // when / then
        assertEquals(created.createTime(), client.getInvalidation(r -> r.distributionId(DISTRIBUTION).id(created.id()))
                .invalidation().createTime());
        assertThrows(NoSuchInvalidationException.class,
                () -> client.getInvalidation(r -> r.distributionId(DISTRIBUTION).id("INOSUCHID")));
    }

    private static CreateInvalidationResponse create(String reference, String... paths) {
        return client.createInvalidation(r -> r.distributionId(DISTRIBUTION).invalidationBatch(b -> b
                .callerReference(reference).paths(p -> p.quantity(paths.length).items(paths))));
    }

    @Test
    void useWallClock_shouldCompleteInvalidationsByThemselvesAndTellListeners_whenTheCompletionTimePasses()
            throws Exception {
        // given a server on the wall clock, as the local stack runs it
        java.util.concurrent.BlockingQueue<CloudFrontTestServer.InvalidationRecord> completed =
                new java.util.concurrent.LinkedBlockingQueue<>();
        try (CloudFrontTestServer wall = CloudFrontTestServer.start().useWallClock(Duration.ofMillis(200))
                .addDistribution(DISTRIBUTION).addListener((distribution, invalidation) -> completed.add(invalidation));
             CloudFrontClient wallClient = CloudFrontClient.builder().region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                     .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("t", "t"))
                     .endpointOverride(wall.endpoint()).build()) {

            // when
            Invalidation created = wallClient.createInvalidation(b -> b.distributionId(DISTRIBUTION).invalidationBatch(
                    batch -> batch.callerReference("wall").paths(p -> p.quantity(1).items("/x/*")))).invalidation();
            CloudFrontTestServer.InvalidationRecord heard = completed.poll(5, java.util.concurrent.TimeUnit.SECONDS);

            // then: InProgress when made, Completed once the listener hears of it, heard once
            assertEquals("InProgress", created.status());
            assertEquals(created.id(), heard.id());
            assertEquals("Completed", heard.status());
            assertEquals(List.of("/x/*"), heard.paths());
            assertEquals("Completed", wallClient.getInvalidation(b -> b.distributionId(DISTRIBUTION).id(created.id()))
                    .invalidation().status());
            assertEquals(null, completed.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void advance_shouldTellListenersOnce_whenTheTestClockPassesTheCompletionTime() {
        // given
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        CloudFrontTestServer.CompletionListener listener = (distribution, invalidation) ->
                heard.add(invalidation.callerReference());
        server.addListener(listener);
        create("listened", "/a.html");

        // when
        List<String> early;
        try {
            server.advance(Duration.ofMinutes(4));
            early = List.copyOf(heard);
            server.advance(Duration.ofMinutes(2));
            server.completeAll();
        } finally {
            server.removeListener(listener);
        }

        // then
        assertEquals(List.of(), early);
        assertEquals(List.of("listened"), heard);
    }
}
