package io.mediasuite.deployhooks;

import io.mediasuite.common.ConfigReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expired-device cleanup: delivers, as Lambda's DynamoDB stream poller does, a TTL removal of a device whose
 * endpoint (under the APNs sandbox platform application) does not exist. The new version must look the endpoint
 * up in the devices table's endpoint index, delete it (SNS answers success for an endpoint that is already gone)
 * and report no failed record. No real device or endpoint is touched.
 *
 * <p>Configuration: {@code APNS_SANDBOX_PLATFORM_APPLICATION_ARN} (the template passes the function's own).
 */
final class ExpiredDeviceCleanupSmokeTest implements SmokeTest {

    static final String NAME = "expired-device-cleanup";

    private final String applicationArn;

    ExpiredDeviceCleanupSmokeTest(String applicationArn) {
        this.applicationArn = applicationArn;
    }

    static ExpiredDeviceCleanupSmokeTest from(ConfigReader config) {
        return new ExpiredDeviceCleanupSmokeTest(SandboxApplication.from(config).arn());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String[] arn = target.versionArn().split(":");
        String endpointArn = new SandboxApplication(applicationArn).unusedEndpointArn();
        String deviceId = "pretraffic-" + runId;
        Map<String, Object> image = Map.of("deviceId", Map.of("S", deviceId), "endpointArn", Map.of("S", endpointArn),
                "platform", Map.of("S", "APNS_SANDBOX"));
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("ApproximateCreationDateTime", Instant.now().getEpochSecond());
        dynamodb.put("Keys", Map.of("deviceId", Map.of("S", deviceId)));
        dynamodb.put("OldImage", image);
        dynamodb.put("SequenceNumber", "1" + Math.abs(runId.hashCode()));
        dynamodb.put("SizeBytes", 200);
        dynamodb.put("StreamViewType", "OLD_IMAGE");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventID", runId);
        record.put("eventName", "REMOVE");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", arn[3]);
        record.put("dynamodb", dynamodb);
        record.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
        record.put("eventSourceARN", "arn:aws:dynamodb:" + arn[3] + ":" + arn[4]
                + ":table/pretraffic/stream/2026-01-01T00:00:00.000");
        String what = "TTL removal of a device with an endpoint that does not exist";
        Set<String> failed = SqsBatches.failedIds(what, target.invoke(what, Map.of("Records", List.of(record))));
        if (!failed.isEmpty()) {
            throw new SmokeFailure(what + ": reported failed records " + failed);
        }
    }
}
