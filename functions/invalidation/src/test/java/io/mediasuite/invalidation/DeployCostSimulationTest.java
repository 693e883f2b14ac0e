package io.mediasuite.invalidation;

import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What deploys of 10, 1 000 and 10 000 objects cost: CreateInvalidation calls and billed paths (a wildcard is
 * billed as one path), against the naive one-call-per-object design. The deploy is a realistic site layout
 * ({@link SiteLayout}); messages are cut into Lambda batches the way the SQS event source does (at most 10 000
 * messages and 6 MB per invocation); a batch refused for CloudFront's in-flight limits is redelivered after
 * the earlier invalidations complete, as SQS would after the visibility backoff. Prints the table it measures
 * and writes it to {@code target/deploy-cost-simulation.txt}.
 */
class DeployCostSimulationTest {

    private static final int LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    private static final int BATCH_SIZE = 10_000;

    private static FunctionUnderTest function;
    private static CloudFrontTestServer cloudFront;
    private static InvalidationPlanner planner;

    /** One row of the table. */
    record Row(int objects, int lambdaBatches, int redeliveries, int createCalls, int invalidations, int billedPaths,
               int wildcards, int maxPathsInOne, int skippedHashed, int pathsBeforeCollapse) {
    }

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN", "IMMUTABLE_BUNDLERS", "webpack,vite"));
        cloudFront = function.cloudFront;
        planner = new InvalidationPlanner(InvalidationConfig.from(Env.of(function.environment)));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    @Test
    void deploys_shouldCostFewCallsAndPaths_whenSitesOf10To10000ObjectsAreDeployed() {
        // given deploys of three sizes
        List<Row> rows = new ArrayList<>();

        // when each is delivered through the queue
        for (int objects : new int[] {10, 1_000, 10_000}) {
            rows.add(simulate(objects));
        }

        // then
        StringBuilder table = new StringBuilder(String.format(
                "budget %s paths and %s wildcards per invalidation (template defaults)%n%n",
                function.environment.get("MAX_PATHS_PER_INVALIDATION"),
                function.environment.get("MAX_WILDCARDS_PER_INVALIDATION")));
        table.append(String.format("%8s %8s %8s %8s %10s %12s %12s %10s %12s %12s%n", "objects", "batches", "retries",
                "hashed", "uncollapsed", "createCalls", "billedPaths", "wildcards", "naiveCalls", "naivePaths"));
        for (Row row : rows) {
            table.append(String.format("%8d %8d %8d %8d %10d %12d %12d %10d %12d %12d%n", row.objects(),
                    row.lambdaBatches(), row.redeliveries(), row.skippedHashed(), row.pathsBeforeCollapse(),
                    row.createCalls(), row.billedPaths(), row.wildcards(), row.objects(), row.objects()));
        }
        System.out.println(table);
        writeReport(table.toString());
        for (Row row : rows) {
            assertTrue(row.maxPathsInOne() <= 50, row.toString());
            assertTrue(row.billedPaths() <= 50 * row.invalidations(), row.toString());
            assertTrue(row.invalidations() <= 2 * row.lambdaBatches(), row.toString());
            assertTrue(row.billedPaths() < row.objects() / 10 + 20, row.toString());
        }
    }

    private static Row simulate(int objects) {
        cloudFront.reset();
        function.clearLedger();
        List<TestEvents.SqsMessage> messages = TestEvents.deployMessages("sim" + objects,
                SiteLayout.deploy(objects, 42), "ObjectCreated:Put");
        List<List<TestEvents.SqsMessage>> batches = lambdaBatches(messages);
        int redeliveries = 0;
        int hashed = 0;
        int uncollapsed = 0;
        for (List<TestEvents.SqsMessage> batch : batches) {
            BatchPlan plan = planner.plan(function.distributionId, S3EventReader.read(json(
                    TestEvents.sqsEvent(batch))).items().stream().flatMap(i -> i.changes().stream()).toList());
            hashed += plan.skippedImmutable();
            uncollapsed += plan.candidatePaths();
            JsonNode response = function.invoke(TestEvents.sqsEvent(batch));
            List<String> failed = FunctionUnderTest.failedIds(response);
            for (int attempt = 0; !failed.isEmpty(); attempt++) {
                assertTrue(attempt < 5, "batch still failing after retries: " + failed.size() + " items");
                // the visibility backoff passes; CloudFront completes the invalidations in flight meanwhile
                cloudFront.advance(Duration.ofMinutes(5));
                Set<String> ids = new HashSet<>(failed);
                batch = batch.stream().filter(m -> ids.contains(m.messageId()))
                        .map(TestEvents.SqsMessage::redelivered).toList();
                failed = FunctionUnderTest.failedIds(
                        function.invoke(TestEvents.sqsEvent(batch)));
                redeliveries++;
            }
        }
        List<CloudFrontTestServer.InvalidationRecord> invalidations = cloudFront.invalidations(function.distributionId);
        return new Row(objects, batches.size(), redeliveries, cloudFront.createRequests(), invalidations.size(),
                invalidations.stream().mapToInt(i -> i.paths().size()).sum(),
                (int) invalidations.stream().mapToLong(CloudFrontTestServer.InvalidationRecord::wildcards).sum(),
                invalidations.stream().mapToInt(i -> i.paths().size()).max().orElse(0), hashed, uncollapsed);
    }

    private static void writeReport(String table) {
        try {
            Files.writeString(Path.of("target", "deploy-cost-simulation.txt"), table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts messages into invocations as Lambda's SQS poller does: 10 000 messages or 6 MB, whichever first. */
    private static List<List<TestEvents.SqsMessage>> lambdaBatches(List<TestEvents.SqsMessage> messages) {
        List<List<TestEvents.SqsMessage>> batches = new ArrayList<>();
        List<TestEvents.SqsMessage> current = new ArrayList<>();
        int size = TestEvents.sqsEvent(List.of()).length();
        for (TestEvents.SqsMessage message : messages) {
            int recordSize = TestEvents.sqsEvent(List.of(message)).getBytes(StandardCharsets.UTF_8).length + 1;
            if (!current.isEmpty() && (size + recordSize > LAMBDA_PAYLOAD_LIMIT || current.size() == BATCH_SIZE)) {
                batches.add(current);
                current = new ArrayList<>();
                size = TestEvents.sqsEvent(List.of()).length();
            }
            current.add(message);
            size += recordSize;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
