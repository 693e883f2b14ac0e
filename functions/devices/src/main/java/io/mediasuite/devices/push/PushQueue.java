package io.mediasuite.devices.push;

import io.mediasuite.common.Json;
import io.mediasuite.devices.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The PushQueue: carries a send's planning steps ({@link PlanStep}) and its push tasks ({@link PushTask}).
 * Tasks go out in batches of ten, a few batches at a time.
 */
public final class PushQueue {

    private static final int BATCH = 10;
    private static final int PARALLEL_BATCHES = 8;

    private final SqsClient sqs;
    private final String queueUrl;

    public PushQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * Sends every task; entries SQS refuses are retried once.
     *
     * @throws IllegalStateException when some task could still not be queued
     */
    public void sendAll(List<PushTask> tasks) {
        List<List<PushTask>> batches = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i += BATCH) {
            batches.add(tasks.subList(i, Math.min(tasks.size(), i + BATCH)));
        }
        if (batches.size() == 1) {
            sendBatch(batches.getFirst());
            return;
        }
        Parallel.forEach(batches, new Semaphore(PARALLEL_BATCHES), this::sendBatch);
    }

    /** Sends one message on its own: a planning step, or a task's continuation. */
    public void send(Object message) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Json.write(message)));
    }

    private void sendBatch(List<PushTask> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(Json.write(batch.get(i))).build());
        }
        for (int attempt = 1; ; attempt++) {
            List<SendMessageBatchRequestEntry> toSend = entries;
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(toSend));
            if (!response.hasFailed() || response.failed().isEmpty()) {
                return;
            }
            if (attempt == 2) {
                throw new IllegalStateException(response.failed().size() + " push tasks not queued: "
                        + response.failed().getFirst().code());
            }
            List<String> failedIds = response.failed().stream().map(f -> f.id()).toList();
            entries = entries.stream().filter(e -> failedIds.contains(e.id())).toList();
        }
    }
}
