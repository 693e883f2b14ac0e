package io.mediasuite.local.events;

import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One SQS event source mapping, run as Lambda runs it: a poller long-polls the queue and gathers a batch (up to
 * {@code BatchSize} messages, for at most {@code MaximumBatchingWindowInSeconds}, within Lambda's 6 MB payload),
 * invokes the function with the event Lambda builds, and settles the batch: on success every message is deleted;
 * on error none is; with {@code ReportBatchItemFailures} every message but the reported ones is deleted, and a
 * response that does not parse or names a message outside the batch fails the whole batch. Messages left on the
 * queue come back after its visibility timeout, and the queue's redrive policy (applied by the queue itself when
 * it hands a message out: moto does this on ReceiveMessage, as SQS does) moves a message received
 * {@code maxReceiveCount} times to its dead-letter queue. Up to {@code MaximumConcurrency} batches run at once,
 * each on an instance of the function's {@link FunctionPool}.
 */
public final class SqsEventSource implements AutoCloseable {

    /** Lambda's invocation payload limit, which also bounds an SQS batch. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** ReceiveMessage's own limit per call. */
    private static final int MAX_PER_RECEIVE = 10;
    /** Long-poll length; short enough that {@link #close()} returns promptly. */
    private static final int POLL_SECONDS = 2;

    private final EventSourceSpecs.SqsMapping mapping;
    private final SqsClient sqs;
    private final FunctionPool pool;
    private final String region;
    private final int concurrency;
    private final Semaphore batchSlots;
    private final ExecutorService invokers;
    private final Thread poller;
    private final AtomicLong batchesInvoked = new AtomicLong();
    private final AtomicLong messagesDeleted = new AtomicLong();
    private volatile boolean stopping;

    /**
     * @param mapping the template's event, resolved
     * @param queueUrl the queue's URL in the emulator
     */
    public SqsEventSource(EventSourceSpecs.SqsMapping mapping, String queueUrl, SqsClient sqs, FunctionPool pool,
                          String region) {
        this.mapping = mapping;
        this.sqs = sqs;
        this.pool = pool;
        this.region = region;
        this.concurrency = Math.max(1, Math.min(mapping.maximumConcurrency(), pool.limit()));
        this.batchSlots = new Semaphore(concurrency);
        this.invokers = Executors.newFixedThreadPool(concurrency, daemon("sqs-" + mapping.functionId()));
        this.poller = daemon("sqs-poller-" + mapping.functionId()).newThread(() -> pollUntilStopped(queueUrl));
    }

    /** Starts polling. */
    public SqsEventSource start() {
        poller.start();
        return this;
    }

    /** One banner line. */
    public String describe() {
        return String.format("SQS %s -> %s (BatchSize %d, window %ds, %s, up to %d batches at once)",
                mapping.queueArn().substring(mapping.queueArn().lastIndexOf(':') + 1), mapping.functionId(),
                mapping.batchSize(), mapping.batchingWindowSeconds(),
                mapping.reportBatchItemFailures() ? "ReportBatchItemFailures" : "whole-batch results",
                concurrency);
    }

    public EventSourceSpecs.SqsMapping mapping() {
        return mapping;
    }

    /** Batches handed to the function so far. */
    public long batchesInvoked() {
        return batchesInvoked.get();
    }

    /** Messages deleted after being processed. */
    public long messagesDeleted() {
        return messagesDeleted.get();
    }

    private void pollUntilStopped(String queueUrl) {
        while (!stopping) {
            try {
                batchSlots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            List<Message> batch;
            try {
                batch = gather(queueUrl);
            } catch (RuntimeException e) {
                batchSlots.release();
                if (!stopping) {
                    System.err.println("sam-local: polling " + queueUrl + " failed: " + e.getMessage());
                    sleepQuietly(1000);
                }
                continue;
            }
            if (batch.isEmpty()) {
                batchSlots.release();
                continue;
            }
            if (stopping) {
                // Gathered but never invoked: hand the messages straight back instead of hiding them for a
                // visibility timeout.
                release(queueUrl, batch);
                batchSlots.release();
                return;
            }
            invokers.execute(() -> {
                try {
                    invokeAndSettle(queueUrl, batch);
                } finally {
                    batchSlots.release();
                }
            });
        }
    }

    /** Receives until the batch is full, the batching window closes, or the payload would pass 6 MB. */
    private List<Message> gather(String queueUrl) {
        List<Message> batch = new ArrayList<>();
        // As Lambda's poller does, the batching window opens with the first message, not with the polling: after an
        // idle spell a deploy's first message still waits for the rest of the deploy.
        long windowEnds = Long.MAX_VALUE;
        int payload = 0;
        while (!stopping && batch.size() < mapping.batchSize()) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(windowEnds - System.nanoTime());
            if (!batch.isEmpty() && remainingMs <= 0) {
                break;
            }
            int wait = batch.isEmpty() ? POLL_SECONDS
                    : (int) Math.min(POLL_SECONDS, Math.max(0, (remainingMs + 999) / 1000));
            int max = Math.min(MAX_PER_RECEIVE, mapping.batchSize() - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max)
                    .waitTimeSeconds(wait).messageSystemAttributeNamesWithStrings("All")
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty() && !received.isEmpty()) {
                windowEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(mapping.batchingWindowSeconds());
            }
            for (Message message : received) {
                int size = message.body().getBytes(StandardCharsets.UTF_8).length + 1024;
                if (!batch.isEmpty() && payload + size > MAX_PAYLOAD_BYTES) {
                    // Does not fit this invocation: back on the queue for the next batch.
                    release(queueUrl, List.of(message));
                    continue;
                }
                payload += size;
                batch.add(message);
            }
            if (payload >= MAX_PAYLOAD_BYTES || (batch.isEmpty() && stopping)) {
                break;
            }
            if (!batch.isEmpty() && mapping.batchingWindowSeconds() == 0) {
                break;
            }
        }
        return batch;
    }

    private void invokeAndSettle(String queueUrl, List<Message> batch) {
        batchesInvoked.incrementAndGet();
        byte[] event = Jsons.write(event(batch)).getBytes(StandardCharsets.UTF_8);
        byte[] response;
        try {
            response = pool.invokeWhenFree(event);
        } catch (LocalLambda.FunctionErrorException | LocalLambda.FunctionInitException e) {
            System.err.println("sam-local: " + mapping.functionId() + " failed a batch of " + batch.size()
                    + " from " + mapping.queueArn() + "; the messages return after the visibility timeout: "
                    + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            System.err.println("sam-local: " + mapping.functionId() + " could not run: " + e.getMessage());
            return;
        }
        Set<String> failed = mapping.reportBatchItemFailures() ? reportedFailures(response, batch) : Set.of();
        if (failed == null) {
            System.err.println("sam-local: " + mapping.functionId() + " returned an invalid batchItemFailures"
                    + " response; the whole batch counts as failed");
            return;
        }
        List<Message> done = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
        delete(queueUrl, done);
    }

    /**
     * The message ids the response reports as failed; empty for an empty/null response or no failures; null when
     * the response is not a valid batch response (Lambda then treats the whole batch as failed).
     */
    static Set<String> reportedFailures(byte[] response, List<Message> batch) {
        Set<String> inBatch = new HashSet<>();
        batch.forEach(m -> inBatch.add(m.messageId()));
        List<String> reported = BatchResponse.reportedFailures(response).orElse(null);
        if (reported == null || !inBatch.containsAll(reported)) {
            return null;
        }
        return new HashSet<>(reported);
    }

    private void delete(String queueUrl, List<Message> messages) {
        for (int from = 0; from < messages.size(); from += MAX_PER_RECEIVE) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_PER_RECEIVE));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            messagesDeleted.addAndGet(result.successful().size());
            result.failed().forEach(f -> System.err.println("sam-local: could not delete a message of "
                    + mapping.queueArn() + ": " + f.message()));
        }
    }

    private void release(String queueUrl, List<Message> messages) {
        for (Message message : messages) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0));
            } catch (RuntimeException e) {
                // It comes back after the visibility timeout instead.
            }
        }
    }

    /** The event Lambda sends for an SQS batch. */
    Map<String, Object> event(List<Message> batch) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message message : batch) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            Map<String, String> attributes = new LinkedHashMap<>();
            for (MessageSystemAttributeName name : List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                    MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.SENDER_ID,
                    MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP)) {
                attributes.put(name.toString(), message.attributes().get(name));
            }
            message.attributesAsStrings().forEach(attributes::putIfAbsent);
            record.put("attributes", attributes);
            Map<String, Object> messageAttributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> messageAttributes.put(name, attribute(value)));
            record.put("messageAttributes", messageAttributes);
            record.put("md5OfBody", message.md5OfBody());
            if (message.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", mapping.queueArn());
            record.put("awsRegion", region);
            records.add(record);
        }
        return Map.of("Records", records);
    }

    private static Map<String, Object> attribute(MessageAttributeValue value) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        if (value.stringValue() != null) {
            attribute.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            attribute.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        attribute.put("stringListValues", value.stringListValues());
        attribute.put("binaryListValues", value.binaryListValues().stream()
                .map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
        attribute.put("dataType", value.dataType());
        return attribute;
    }

    /**
     * Stops polling: a batch being gathered goes back to the queue at once, batches being processed finish and
     * are settled (bounded by the function's timeout), so no message is lost or hidden longer than its visibility
     * timeout.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            poller.join(Duration.ofSeconds(POLL_SECONDS + 5));
            invokers.shutdown();
            invokers.awaitTermination(pool.spec().timeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        invokers.shutdownNow();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
