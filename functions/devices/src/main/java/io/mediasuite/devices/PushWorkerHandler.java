package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Json;
import io.mediasuite.common.Log;
import io.mediasuite.devices.push.EndpointPublisher;
import io.mediasuite.devices.push.NotificationStore;
import io.mediasuite.devices.push.PushCounts;
import io.mediasuite.devices.push.PushQueue;
import io.mediasuite.devices.push.PushTask;
import io.mediasuite.devices.push.PushWorker;
import io.mediasuite.devices.registration.DeviceTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * PushQueue consumer: each message is one {@link PushTask}. Failures are reported per message
 * (ReportBatchItemFailures), so one bad task is retried and then dead-lettered without redoing its neighbours.
 *
 * Configuration: {@code DEVICES_TABLE}, {@code NOTIFICATIONS_TABLE}, {@code PUSH_QUEUE_URL},
 * {@code PUBLISH_CONCURRENCY} (default 32: publishes in flight per invocation) and
 * {@code PUSH_TIME_RESERVE_SECONDS} (default 60: below this much remaining time a task continues in a new message).
 */
public final class PushWorkerHandler extends EventHandler<SQSEvent, SQSBatchResponse> {

    private final PushWorker worker;

    public PushWorkerHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public PushWorkerHandler(Env env) {
        this(workerFrom(env, PushWorker.PAGE_SIZE));
    }

    public PushWorkerHandler(PushWorker worker) {
        super(SQSEvent.class);
        this.worker = worker;
    }

    static PushWorker workerFrom(Env env, int pageSize) {
        ConfigReader config = new ConfigReader(env);
        String devicesTable = config.required("DEVICES_TABLE");
        String notificationsTable = config.required("NOTIFICATIONS_TABLE");
        String queueUrl = config.required("PUSH_QUEUE_URL");
        int concurrency = config.integer("PUBLISH_CONCURRENCY", 32, 1, 512);
        int reserveSeconds = config.integer("PUSH_TIME_RESERVE_SECONDS", 60, 1, 600);
        AwsClients clients = new AwsClients(env);
        DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
        DeviceTable devices = new DeviceTable(dynamoDb, devicesTable);
        Clock clock = Clock.systemUTC();
        return new PushWorker(devices, new NotificationStore(dynamoDb, notificationsTable),
                new PushQueue(clients.build(SqsClient.builder(), "SQS"), queueUrl),
                new EndpointPublisher(clients.build(SnsClient.builder(), "SNS"), devices, concurrency, clock),
                reserveSeconds * 1000L, pageSize, clock);
    }

    @Override
    protected SQSBatchResponse handle(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : messages) {
            try {
                PushTask task = Json.MAPPER.readValue(message.getBody(), PushTask.class);
                PushCounts counts = worker.process(task,
                        () -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis());
                // null: a redelivered task that was already done (SQS delivers at least once); nothing to count.
                if (counts != null) {
                    DeviceMetrics.pushed(counts);
                }
            } catch (Exception e) {
                DeviceMetrics.pushTaskFailed();
                Log.error("push task failed", e, "messageId", message.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
