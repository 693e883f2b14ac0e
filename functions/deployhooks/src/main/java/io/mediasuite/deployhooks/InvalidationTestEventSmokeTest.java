package io.mediasuite.deployhooks;

import io.mediasuite.common.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, Object> testEvent = new LinkedHashMap<>();
        testEvent.put("Service", "Amazon S3");
        testEvent.put("Event", "s3:TestEvent");
        testEvent.put("Time", Instant.now().toString());
        testEvent.put("Bucket", "pretraffic");
        testEvent.put("RequestId", runId);
        testEvent.put("HostId", runId);
        byte[] answer = target.invoke("SQS batch with an s3:TestEvent",
                SqsBatches.batch(target, runId, List.of(Json.write(testEvent))));
        Set<String> failed = SqsBatches.failedIds("SQS batch with an s3:TestEvent", answer);
        if (!failed.isEmpty()) {
            throw new SmokeFailure("SQS batch: the test event was reported failed: " + failed);
        }
    }
}
