package io.mediasuite.deployhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invalidation function: sends the new version an SQS batch holding the {@code s3:TestEvent} S3 delivers when a
 * notification is configured, wrapped as the queue delivers it, and expects the batch accepted with no failed
 * item. This exercises init, the SQS/S3 event parsing and the batch response without creating an invalidation
 * (the function has no dry-run mode).
 */
final class InvalidationTestEventSmokeTest implements SmokeTest {

    static final String NAME = "invalidation-test-event";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String[] arn = target.versionArn().split(":");
        String region = arn[3];
        String account = arn[4];
        Map<String, Object> testEvent = new LinkedHashMap<>();
        testEvent.put("Service", "Amazon S3");
        testEvent.put("Event", "s3:TestEvent");
        testEvent.put("Time", Instant.now().toString());
        testEvent.put("Bucket", "pretraffic");
        testEvent.put("RequestId", runId);
        testEvent.put("HostId", runId);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", runId);
        record.put("receiptHandle", runId);
        record.put("body", Json.write(testEvent));
        record.put("attributes", Map.of("ApproximateReceiveCount", "1",
                "SentTimestamp", Long.toString(Instant.now().toEpochMilli()),
                "SenderId", "AIDAIT2UOQQY3AUEKVGXU",
                "ApproximateFirstReceiveTimestamp", Long.toString(Instant.now().toEpochMilli())));
        record.put("messageAttributes", Map.of());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:" + region + ":" + account + ":pretraffic");
        record.put("awsRegion", region);

        byte[] answer = target.invoke("SQS batch with an s3:TestEvent", Map.of("Records", List.of(record)));
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new SmokeFailure("SQS batch: the answer is not JSON: " + TargetVersion.detail(answer), e);
        }
        JsonNode failures = response == null ? null : response.get("batchItemFailures");
        if (failures == null || !failures.isArray()) {
            throw new SmokeFailure("SQS batch: expected a batch response, got " + TargetVersion.detail(answer));
        }
        if (!failures.isEmpty()) {
            throw new SmokeFailure("SQS batch: the test event was reported failed: " + failures);
        }
    }
}
