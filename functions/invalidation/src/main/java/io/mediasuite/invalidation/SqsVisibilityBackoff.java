package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Spaces out the retries of failed SQS messages. Without it every failed message comes back after the queue's
 * fixed visibility timeout; with it, a message that keeps hitting {@code TooManyInvalidationsInProgress} waits
 * {@code base * 2^(receives - 1)} seconds (capped), giving CloudFront's in-flight invalidations time to
 * complete. Poison messages are made visible again at once: retrying cannot fix them, and they reach the
 * dead-letter queue after {@code maxReceiveCount} receives instead of after hours.
 *
 * <p>Best effort: if the call fails, the queue's visibility timeout still brings the messages back.
 */
public final class SqsVisibilityBackoff {

    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final int baseSeconds;
    private final int maxSeconds;

    public SqsVisibilityBackoff(SqsClient sqs, String queueUrl, int baseSeconds, int maxSeconds) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.baseSeconds = baseSeconds;
        this.maxSeconds = maxSeconds;
    }

    /** A backoff for the configured queue, or none when no queue URL is configured. */
    public static Optional<SqsVisibilityBackoff> from(InvalidationConfig config, java.util.function.Supplier<SqsClient> sqs) {
        return config.queueUrl().map(url -> new SqsVisibilityBackoff(sqs.get(), url, config.retryBaseSeconds(),
                config.retryMaxSeconds()));
    }

    /** Seconds until a message that failed for {@code kind} on its {@code receiveCount}-th receive is retried. */
    public int delaySeconds(FailureKind kind, int receiveCount) {
        if (kind == FailureKind.POISON) {
            return 0;
        }
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 20);
        return (int) Math.min((long) maxSeconds, (long) baseSeconds << exponent);
    }

    public void apply(List<InvalidationService.ItemFailure> failures) {
        String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (InvalidationService.ItemFailure failure : failures) {
            EventItem.SqsDelivery delivery = failure.item().sqs().orElse(null);
            if (delivery == null || delivery.receiptHandle().isEmpty()
                    || !delivery.eventSourceArn().endsWith(":" + queueName)) {
                continue;
            }
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id("m" + entries.size())
                    .receiptHandle(delivery.receiptHandle())
                    .visibilityTimeout(delaySeconds(failure.kind(), delivery.receiveCount()))
                    .build());
        }
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> chunk =
                    entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
            try {
                List<BatchResultErrorEntry> errors = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                        .entries(chunk)).failed();
                if (!errors.isEmpty()) {
                    Log.warn("visibility backoff not applied to some messages", "failed", errors.size(),
                            "firstCode", errors.getFirst().code());
                }
            } catch (SdkException e) {
                Log.warn("visibility backoff not applied; the queue's visibility timeout applies",
                        "errorType", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
            }
        }
    }
}
