package io.mediasuite.invalidation.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import io.mediasuite.common.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link RetryQueue} over SQS: ChangeMessageVisibilityBatch, SendMessageBatch, and the redrive policy read once
 * with GetQueueAttributes (a queue's redrive policy changes with a deployment, which starts new instances).
 */
public final class SqsRetryQueue implements RetryQueue {

    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueName;
    private volatile OptionalInt maxReceiveCount;

    public SqsRetryQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    @Override
    public OptionalInt maxReceiveCount() {
        OptionalInt known = maxReceiveCount;
        if (known != null) {
            return known;
        }
        try {
            String policy = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY);
            OptionalInt count = OptionalInt.empty();
            if (policy != null && !policy.isBlank()) {
                JsonNode node = Json.MAPPER.readTree(policy).path("maxReceiveCount");
                count = OptionalInt.of(node.isNumber() ? node.asInt() : Integer.parseInt(node.asText()));
            }
            maxReceiveCount = count;
            return count;
        } catch (SdkException | java.io.IOException | NumberFormatException e) {
            throw new UnreadablePolicy("redrive policy of " + queueName + " not readable", e);
        }
    }

    @Override
    public void changeVisibility(Map<String, Integer> secondsByReceipt) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        secondsByReceipt.forEach((receipt, seconds) -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                .id("m" + entries.size()).receiptHandle(receipt).visibilityTimeout(seconds).build()));
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> chunk =
                    entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
            try {
                List<BatchResultErrorEntry> errors = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                        .entries(chunk)).failed();
                if (!errors.isEmpty()) {
                    Log.warn("visibility not changed for some messages", "failed", errors.size(),
                            "firstCode", errors.getFirst().code());
                }
            } catch (SdkException e) {
                Log.warn("visibility not changed; the queue's visibility timeout applies",
                        "errorType", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
            }
        }
    }

    @Override
    public Set<Integer> send(List<String> bodies, int delaySeconds) {
        Set<Integer> failed = new HashSet<>();
        for (int from = 0; from < bodies.size(); from += MAX_BATCH) {
            int start = from;
            List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + MAX_BATCH); i++) {
                chunk.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i))
                        .delaySeconds(delaySeconds).build());
            }
            try {
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk)).failed()
                        .forEach(error -> failed.add(Integer.parseInt(error.id().substring(1))));
            } catch (SdkException e) {
                Log.warn("messages not sent again", "errorType", e.getClass().getSimpleName(),
                        "detail", String.valueOf(e.getMessage()));
                for (int i = start; i < Math.min(bodies.size(), start + MAX_BATCH); i++) {
                    failed.add(i);
                }
            }
        }
        return failed;
    }

    @Override
    public boolean owns(String eventSourceArn) {
        return eventSourceArn.endsWith(":" + queueName);
    }
}
