package io.mediasuite.deployhooks;

import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoint feedback: delivers, as SNS does, an {@code EndpointDeleted} event of the APNs sandbox platform
 * application for an endpoint no device uses. The new version must look it up (the devices table's endpoint
 * index) and finish without error; nothing changes.
 *
 * <p>Configuration: {@code APNS_SANDBOX_PLATFORM_APPLICATION_ARN} (the template passes the function's own).
 */
final class EndpointFeedbackSmokeTest implements SmokeTest {

    static final String NAME = "endpoint-feedback";

    private final String applicationArn;

    EndpointFeedbackSmokeTest(String applicationArn) {
        this.applicationArn = applicationArn;
    }

    static EndpointFeedbackSmokeTest from(ConfigReader config) {
        return new EndpointFeedbackSmokeTest(SandboxApplication.from(config).arn());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String endpointArn = new SandboxApplication(applicationArn).unusedEndpointArn();
        String topicArn = applicationArn.substring(0, applicationArn.indexOf(":app/")) + ":pretraffic";
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("EventType", "EndpointDeleted");
        event.put("EndpointArn", endpointArn);
        event.put("Resource", applicationArn);
        event.put("Service", "SNS");
        event.put("Time", Instant.now().toString());
        Map<String, Object> sns = new LinkedHashMap<>();
        sns.put("Type", "Notification");
        sns.put("MessageId", runId);
        sns.put("TopicArn", topicArn);
        sns.put("Subject", null);
        sns.put("Message", Json.write(event));
        sns.put("Timestamp", Instant.now().toString());
        sns.put("SignatureVersion", "1");
        sns.put("MessageAttributes", Map.of());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", topicArn + ":" + runId);
        record.put("Sns", sns);
        target.invoke("SNS EndpointDeleted for an unused endpoint", Map.of("Records", List.of(record)));
    }
}
