package io.mediasuite.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.LocalLambda;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's asynchronous invocation of one function (what SNS, S3 and EventBridge use): the event is queued and
 * run on an instance of the function's {@link FunctionPool}; an invocation that fails is retried up to
 * {@code EventInvokeConfig.MaximumRetryAttempts} times (Lambda waits about one minute before the first retry and
 * two before the second), and an event whose retries are exhausted, or older than
 * {@code MaximumEventAgeInSeconds}, goes to the {@code OnFailure} SQS destination as Lambda's invocation record
 * ({@code version, timestamp, requestContext, requestPayload, responseContext, responsePayload}).
 */
public final class AsyncInvoker implements AutoCloseable {

    /** Lambda's waits before the first and the second retry. */
    public static final List<Duration> LAMBDA_RETRY_DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));

    private final FunctionPool pool;
    private final EventSourceSpecs.AsyncConfig config;
    private final String functionArn;
    private final SqsClient sqs;
    private final Function<String, String> queueUrlOfArn;
    private final List<Duration> retryDelays;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong failedEvents = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();

    /**
     * @param queueUrlOfArn the URL of an SQS queue given its ARN (for the OnFailure destination)
     * @param retryDelays   the wait before each retry; the last one repeats
     */
    public AsyncInvoker(FunctionPool pool, EventSourceSpecs.AsyncConfig config, String functionArn, SqsClient sqs,
                        Function<String, String> queueUrlOfArn, List<Duration> retryDelays) {
        this.pool = pool;
        this.config = config;
        this.functionArn = functionArn;
        this.sqs = sqs;
        this.queueUrlOfArn = queueUrlOfArn;
        this.retryDelays = List.copyOf(retryDelays);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(Math.max(1, pool.limit()),
                SqsEventSource.daemon("async-" + pool.spec().logicalId()));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
    }

    /** Queues the event, as {@code InvocationType=Event} does; returns the request id. */
    public String invoke(byte[] event) {
        String requestId = UUID.randomUUID().toString();
        Instant received = Instant.now();
        scheduler.execute(() -> attempt(event, requestId, received, 1));
        return requestId;
    }

    /** Invocations that ended in success. */
    public long succeeded() {
        return succeeded.get();
    }

    /** Events given up on (sent to the OnFailure destination when there is one). */
    public long failedEvents() {
        return failedEvents.get();
    }

    private void attempt(byte[] event, String requestId, Instant received, int attempt) {
        if (Duration.between(received, Instant.now()).getSeconds() > config.maximumEventAgeSeconds()) {
            giveUp(event, requestId, attempt - 1, "EventAgeExceeded", null);
            return;
        }
        byte[] error;
        try {
            pool.invokeWhenFree(event);
            succeeded.incrementAndGet();
            return;
        } catch (LocalLambda.FunctionErrorException e) {
            error = e.payload();
        } catch (LocalLambda.FunctionInitException e) {
            error = LocalLambda.errorDocument("Runtime.InitError", e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IllegalStateException e) {
            // The pool closed: the runner is stopping.
            return;
        }
        System.err.println("sam-local: " + pool.spec().logicalId() + " failed asynchronous request " + requestId
                + " (attempt " + attempt + "): " + new String(error, StandardCharsets.UTF_8));
        if (attempt <= config.maximumRetryAttempts()) {
            Duration delay = retryDelays.get(Math.min(attempt - 1, retryDelays.size() - 1));
            try {
                scheduler.schedule(() -> attempt(event, requestId, received, attempt + 1), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The runner is stopping; the event is dropped with it, as a deleted function's would be.
            }
            return;
        }
        giveUp(event, requestId, attempt, "RetriesExhausted", error);
    }

    private void giveUp(byte[] event, String requestId, int invokeCount, String condition, byte[] error) {
        failedEvents.incrementAndGet();
        if (config.onFailureDestination() == null) {
            System.err.println("sam-local: " + pool.spec().logicalId() + " dropped asynchronous request " + requestId
                    + " (" + condition + "; no OnFailure destination)");
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("requestId", requestId);
        requestContext.put("functionArn", functionArn + ":$LATEST");
        requestContext.put("condition", condition);
        requestContext.put("approximateInvokeCount", invokeCount);
        record.put("requestContext", requestContext);
        record.put("requestPayload", json(event));
        Map<String, Object> responseContext = new LinkedHashMap<>();
        responseContext.put("statusCode", 200);
        responseContext.put("executedVersion", "$LATEST");
        responseContext.put("functionError", "Unhandled");
        if (error != null) {
            record.put("responseContext", responseContext);
            record.put("responsePayload", json(error));
        }
        String queueUrl = queueUrlOfArn.apply(config.onFailureDestination());
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Jsons.write(record)));
    }

    private static Object json(byte[] payload) {
        try {
            JsonNode node = Jsons.MAPPER.readTree(payload);
            return node == null ? null : node;
        } catch (IOException e) {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Drops queued retries; an invocation in progress finishes (bounded by the function's timeout). */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(pool.spec().timeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
    }
}
