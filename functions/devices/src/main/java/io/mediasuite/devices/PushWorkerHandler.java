package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Json;
import io.mediasuite.common.Log;
import io.mediasuite.devices.push.EndpointPublisher;
import io.mediasuite.devices.push.NotificationStore;
import io.mediasuite.devices.push.PlanStep;
import io.mediasuite.devices.push.PushCounts;
import io.mediasuite.devices.push.PushQueue;
import io.mediasuite.devices.push.PushTask;
import io.mediasuite.devices.push.PushWorker;
import io.mediasuite.devices.push.SendPlanner;
import io.mediasuite.devices.registration.DeviceTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * PushQueue consumer: each message is one {@link PlanStep} of a send or one {@link PushTask}. Failures are
 * reported per message (ReportBatchItemFailures), so one bad message is retried and then dead-lettered without
 * redoing its neighbours. On a message's last delivery (its ApproximateReceiveCount reached the queue's
 * maxReceiveCount) a failure is also recorded on the notification before the message goes to the dead-letter
 * queue: the task counts as failed, or the planning as failed, so the send still reaches a final state.
 *
 * Configuration: {@code DEVICES_TABLE}, {@code NOTIFICATIONS_TABLE}, {@code PUSH_QUEUE_URL},
 * {@code PUSH_MAX_RECEIVE_COUNT} (the PushQueue's redrive maxReceiveCount), {@code PUBLISH_CONCURRENCY} (default
 * 32: publishes in flight per invocation), {@code PUSH_TIME_RESERVE_SECONDS} (default 60: below this much
 * remaining time a task continues in a new message) and {@code PLAN_SLICE_TASKS} (default 500: tasks queued per
 * planning step).
 */
public final class PushWorkerHandler extends EventHandler<SQSEvent, SQSBatchResponse> {

    private final PushWorker worker;
    private final SendPlanner planner;
    private final NotificationStore store;
    private final int maxReceiveCount;

    public PushWorkerHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public PushWorkerHandler(Env env) {
        this(env, PushWorker.PAGE_SIZE);
    }

    /** As {@link #PushWorkerHandler(Env)}, reading {@code pageSize} index items per page. */
    PushWorkerHandler(Env env, int pageSize) {
        this(Wiring.from(env, pageSize));
    }

    private PushWorkerHandler(Wiring wiring) {
        this(wiring.worker(), wiring.planner(), wiring.store(), wiring.maxReceiveCount());
    }

    public PushWorkerHandler(PushWorker worker, SendPlanner planner, NotificationStore store, int maxReceiveCount) {
        super(SQSEvent.class);
        this.worker = worker;
        this.planner = planner;
        this.store = store;
        this.maxReceiveCount = maxReceiveCount;
    }

    /** The services built from one set of clients and the configuration. */
    private record Wiring(PushWorker worker, SendPlanner planner, NotificationStore store, int maxReceiveCount) {

        static Wiring from(Env env, int pageSize) {
            ConfigReader config = new ConfigReader(env);
            String devicesTable = config.required("DEVICES_TABLE");
            String notificationsTable = config.required("NOTIFICATIONS_TABLE");
            String queueUrl = config.required("PUSH_QUEUE_URL");
            int maxReceiveCount = config.integer("PUSH_MAX_RECEIVE_COUNT", 3, 1, 1000);
            int concurrency = config.integer("PUBLISH_CONCURRENCY", 32, 1, 512);
            int reserveSeconds = config.integer("PUSH_TIME_RESERVE_SECONDS", 60, 1, 600);
            int slice = config.integer("PLAN_SLICE_TASKS", SendPlanner.DEFAULT_SLICE, 1, 10_000);
            AwsClients clients = new AwsClients(env);
            DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
            DeviceTable devices = new DeviceTable(dynamoDb, devicesTable);
            NotificationStore store = new NotificationStore(dynamoDb, notificationsTable);
            PushQueue queue = new PushQueue(clients.build(SqsClient.builder(), "SQS"), queueUrl);
            Clock clock = Clock.systemUTC();
            PushWorker worker = new PushWorker(devices, store, queue,
                    new EndpointPublisher(clients.build(SnsClient.builder(), "SNS"), devices, concurrency, clock),
                    reserveSeconds * 1000L, pageSize, clock);
            return new Wiring(worker, new SendPlanner(store, queue, slice), store, maxReceiveCount);
        }
    }

    @Override
    protected SQSBatchResponse handle(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : messages) {
            JsonNode body = null;
            try {
                body = Json.MAPPER.readTree(message.getBody());
                if (body.has(PlanStep.DISCRIMINATOR)) {
                    DeviceMetrics.tasksPlanned(planner.process(Json.MAPPER.treeToValue(body, PlanStep.class)));
                } else {
                    PushCounts counts = worker.process(Json.MAPPER.treeToValue(body, PushTask.class),
                            () -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis());
                    if (counts != null) {
                        DeviceMetrics.pushed(counts);
                    }
                }
            } catch (Exception e) {
                DeviceMetrics.pushTaskFailed();
                Log.error("push message failed", e, "messageId", message.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                if (receiveCount(message) >= maxReceiveCount) {
                    giveUp(message, body);
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * Records on the notification that a message on its last delivery failed, so the send still ends. A body that
     * is no plan step nor task names no notification: it only goes to the dead-letter queue.
     */
    private void giveUp(SQSEvent.SQSMessage message, JsonNode body) {
        try {
            if (body != null && body.has(PlanStep.DISCRIMINATOR)) {
                PlanStep step = Json.MAPPER.treeToValue(body, PlanStep.class);
                store.markPlanFailed(step.notificationId());
                Log.warn("planning given up", "notificationId", step.notificationId(), "cursor", step.planCursor());
            } else if (body != null) {
                worker.giveUp(Json.MAPPER.treeToValue(body, PushTask.class));
            }
        } catch (Exception e) {
            Log.error("could not record a dead-lettered push message", e, "messageId", message.getMessageId());
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
