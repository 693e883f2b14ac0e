package io.mediasuite.local.events;

import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.LocalCloud;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every event source of a stack's template, running against the emulators as Lambda runs them: the SQS event
 * source mappings ({@link SqsEventSource}), the functions' SNS subscriptions ({@link SnsSubscriptions}, invoked
 * asynchronously by an {@link AsyncInvoker} per function with its {@code EventInvokeConfig}) and the DynamoDB stream
 * mappings ({@link DynamoDbStreamSource}). S3 notifications need nothing here: the bucket delivers them to its
 * queues (moto does this as S3 does), whose mappings then run. Every invocation takes an instance from the
 * function's {@link FunctionPool}, shared with the API routes.
 */
public final class EventSources implements AutoCloseable {

    private final AwsLocalClients clients;
    private final List<SqsEventSource> queues = new ArrayList<>();
    private final List<DynamoDbStreamSource> streams = new ArrayList<>();
    private final Map<String, AsyncInvoker> asyncInvokers = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private SnsSubscriptions subscriptions;

    private EventSources(AwsLocalClients clients) {
        this.clients = clients;
        started.push(clients);
    }

    /**
     * Starts every event source the template declares.
     *
     * @param pools the pool of a function, by logical id (created on first use by the caller)
     * @param subscriptionHost the address SNS subscriptions are served on; the emulator must reach it
     */
    public static EventSources start(LocalCloud cloud, Function<String, FunctionPool> pools, String subscriptionHost) {
        EventSources sources = new EventSources(new AwsLocalClients(cloud.emulators().environment()));
        try {
            sources.startAll(cloud, pools, subscriptionHost);
            return sources;
        } catch (RuntimeException | Error e) {
            sources.close();
            throw e;
        }
    }

    private void startAll(LocalCloud cloud, Function<String, FunctionPool> pools, String subscriptionHost) {
        String region = String.valueOf(cloud.resolve(Map.of("Ref", "AWS::Region")));
        List<EventSourceSpecs.SnsSubscription> topics = EventSourceSpecs.sns(cloud);
        if (!topics.isEmpty()) {
            try {
                subscriptions = SnsSubscriptions.start(subscriptionHost, cloud.stackName(), clients.sns);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the SNS subscription endpoints", e);
            }
            started.push(subscriptions);
            for (EventSourceSpecs.SnsSubscription topic : topics) {
                subscriptions.subscribe(topic, asyncInvoker(cloud, topic.functionId(), pools, region));
            }
        }
        for (EventSourceSpecs.SqsMapping mapping : EventSourceSpecs.sqs(cloud)) {
            SqsEventSource source = new SqsEventSource(mapping, queueUrl(mapping.queueArn()), clients.sqs,
                    pools.apply(mapping.functionId()), region);
            started.push(source);
            queues.add(source.start());
        }
        for (EventSourceSpecs.StreamMapping mapping : EventSourceSpecs.dynamoDb(cloud)) {
            if (mapping.streamArn() == null || !mapping.streamArn().contains(":table/")) {
                throw new IllegalStateException(mapping.functionId() + "'s DynamoDB event " + mapping.eventName()
                        + " reads a table without a stream: give " + mapping.tableLogicalId()
                        + " a StreamSpecification in the template");
            }
            DynamoDbStreamSource source = new DynamoDbStreamSource(mapping, clients.dynamoDbStreams,
                    pools.apply(mapping.functionId()), clients.sqs, this::queueUrl, region);
            started.push(source);
            streams.add(source.start());
        }
    }

    private AsyncInvoker asyncInvoker(LocalCloud cloud, String functionId, Function<String, FunctionPool> pools,
                                      String region) {
        return asyncInvokers.computeIfAbsent(functionId, id -> {
            FunctionPool pool = pools.apply(id);
            AsyncInvoker invoker = new AsyncInvoker(pool, EventSourceSpecs.asyncConfig(cloud, id),
                    "arn:aws:lambda:" + region + ":123456789012:function:" + pool.spec().functionName(), clients.sqs,
                    this::queueUrl, AsyncInvoker.LAMBDA_RETRY_DELAYS);
            started.push(invoker);
            return invoker;
        });
    }

    /** The URL of the queue an ARN names ({@code arn:aws:sqs:region:account:name}). */
    private String queueUrl(String queueArn) {
        String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        return clients.sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    /** The SQS mappings running. */
    public List<SqsEventSource> queues() {
        return List.copyOf(queues);
    }

    /** The DynamoDB stream mappings running. */
    public List<DynamoDbStreamSource> streams() {
        return List.copyOf(streams);
    }

    /** The asynchronous invokers of the functions subscribed to topics, by function id. */
    public Map<String, AsyncInvoker> asyncInvokers() {
        return Map.copyOf(asyncInvokers);
    }

    /** Banner lines, one per event source. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        queues.forEach(q -> lines.add(q.describe()));
        if (subscriptions != null) {
            lines.addAll(subscriptions.describe());
        }
        streams.forEach(s -> lines.add(s.describe()));
        return lines;
    }

    /**
     * Stops polling and delivering, last started first: pollers finish the batch they are invoking (and leave the
     * batch they were gathering on the queue), SNS subscriptions are removed, queued asynchronous retries are dropped.
     */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("sam-local: stopping an event source: " + e.getMessage());
            }
        }
    }
}
