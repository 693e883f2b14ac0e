package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Log;
import io.mediasuite.devices.feedback.EndpointEvent;
import io.mediasuite.devices.feedback.EndpointFeedback;
import io.mediasuite.devices.feedback.SnsEvent;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Subscribed to the topic the platform applications publish their endpoint events to (EndpointUpdated,
 * EndpointDeleted, DeliveryFailure): keeps the devices table in step with SNS.
 *
 * <p>Each record of an event is handled on its own (SNS delivers one per invocation today, but the event format
 * allows several): a record that is malformed (no notification, or a message that is not an endpoint event) or
 * that fails to apply (DynamoDB or SNS unavailable, throttled) is logged with its index and message id, and the
 * records after it are still applied. Then, if any record failed, the invocation fails, so Lambda retries the
 * event and after its retries hands it to the function's on-failure queue: no record is dropped with only a log
 * line left of it. Applying an event again is harmless, as every change is conditional on the current state.
 *
 * Configuration: {@code DEVICES_TABLE} and the three {@code *_PLATFORM_APPLICATION_ARN}s.
 */
public final class EndpointFeedbackHandler extends EventHandler<SnsEvent, Void> {

    private final EndpointFeedback feedback;

    public EndpointFeedbackHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public EndpointFeedbackHandler(Env env) {
        this(feedbackFrom(env));
    }

    public EndpointFeedbackHandler(EndpointFeedback feedback) {
        super(SnsEvent.class);
        this.feedback = feedback;
    }

    private static EndpointFeedback feedbackFrom(Env env) {
        ConfigReader config = new ConfigReader(env);
        String table = config.required("DEVICES_TABLE");
        PlatformApplications applications = PlatformApplications.from(config);
        AwsClients clients = new AwsClients(env);
        return new EndpointFeedback(new DeviceTable(clients.build(DynamoDbClient.builder(), "DYNAMODB"), table),
                new PlatformEndpoints(clients.build(SnsClient.builder(), "SNS"), applications), applications,
                Clock.systemUTC());
    }

    @Override
    protected Void handle(SnsEvent event, Context context) {
        if (event.records() == null || event.records().isEmpty()) {
            throw new IllegalArgumentException("SNS event without records");
        }
        RuntimeException failure = null;
        for (int index = 0; index < event.records().size(); index++) {
            SnsEvent.Delivery delivery = event.records().get(index);
            String messageId = delivery == null || delivery.sns() == null ? null : delivery.sns().messageId();
            try {
                if (delivery == null || delivery.sns() == null) {
                    throw new IllegalArgumentException("SNS record without a notification");
                }
                feedback.apply(EndpointEvent.parse(delivery.sns().message()));
                DeviceMetrics.endpointEvent("applied");
            } catch (IllegalArgumentException e) {
                DeviceMetrics.endpointEvent("malformed");
                Log.error("malformed endpoint event record", e, "record", index, "messageId", messageId);
                failure = keep(failure, e);
            } catch (RuntimeException e) {
                DeviceMetrics.endpointEvent("failed");
                Log.error("endpoint event record not applied", e, "record", index, "messageId", messageId);
                failure = keep(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    /** The first failure, carrying the later ones as suppressed: the invocation's error names them all. */
    private static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
