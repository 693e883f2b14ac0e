package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
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
 * EndpointDeleted, DeliveryFailure): keeps the devices table in step with SNS. A message that is not an endpoint
 * event fails the invocation, so Lambda retries it and then hands it to the function's on-failure queue.
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
        for (SnsEvent.Delivery delivery : event.records()) {
            if (delivery.sns() == null) {
                throw new IllegalArgumentException("SNS record without a notification");
            }
            feedback.apply(EndpointEvent.parse(delivery.sns().message()));
        }
        return null;
    }
}
