package io.mediasuite.deployhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** SQS events as Lambda's SQS poller delivers them, and reading the partial-batch response. */
final class SqsBatches {

    private SqsBatches() {
    }

    /** One record per body, message ids {@code <runId>-<n>}, from a queue in the target's region and account. */
    static Map<String, Object> batch(TargetVersion target, String runId, List<String> bodies) {
        String[] arn = target.versionArn().split(":");
        String now = Long.toString(Instant.now().toEpochMilli());
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", runId + "-" + i);
            record.put("receiptHandle", runId + "-" + i);
            record.put("body", bodies.get(i));
            record.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", now,
                    "SenderId", "AIDAPRETRAFFICHOOK", "ApproximateFirstReceiveTimestamp", now));
            record.put("messageAttributes", Map.of());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:" + arn[3] + ":" + arn[4] + ":pretraffic");
            record.put("awsRegion", arn[3]);
            records.add(record);
        }
        return Map.of("Records", records);
    }

    /** The item identifiers a partial-batch response reports failed (SQS message ids, stream sequence numbers). */
    static Set<String> failedIds(String what, byte[] answer) throws SmokeFailure {
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new SmokeFailure(what + ": the answer is not JSON: " + TargetVersion.detail(answer), e);
        }
        JsonNode failures = response == null ? null : response.get("batchItemFailures");
        if (failures == null || !failures.isArray()) {
            throw new SmokeFailure(what + ": expected a batch response, got " + TargetVersion.detail(answer));
        }
        Set<String> ids = new TreeSet<>();
        failures.forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }
}
