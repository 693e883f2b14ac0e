package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Log;
import io.mediasuite.devices.cleanup.ExpiredDeviceCleanup;
import io.mediasuite.devices.cleanup.TtlRemoval;
import io.mediasuite.devices.registration.PlatformApplications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Consumer of the devices table's stream (filtered to TTL removals): deletes the SNS endpoint of each device the
 * TTL removed. Records are applied in stream order; at the first failure the handler stops and reports that
 * record (ReportBatchItemFailures), so Lambda retries from it and, once its retries are spent, hands the batch's
 * description to the on-failure queue. A record without a sequence number cannot be named in a retry: it fails
 * the whole batch the same way.
 *
 * Configuration: {@code DEVICES_TABLE} and the three {@code *_PLATFORM_APPLICATION_ARN}s.
 */
public final class ExpiredDeviceCleanupHandler extends EventHandler<JsonNode, Map<String, Object>> {

    private final ExpiredDeviceCleanup cleanup;

    public ExpiredDeviceCleanupHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public ExpiredDeviceCleanupHandler(Env env) {
        this(cleanupFrom(env));
    }

    public ExpiredDeviceCleanupHandler(ExpiredDeviceCleanup cleanup) {
        super(JsonNode.class);
        this.cleanup = cleanup;
    }

    private static ExpiredDeviceCleanup cleanupFrom(Env env) {
        ConfigReader config = new ConfigReader(env);
        String table = config.required("DEVICES_TABLE");
        PlatformApplications applications = PlatformApplications.from(config);
        AwsClients clients = new AwsClients(env);
        return new ExpiredDeviceCleanup(clients.build(SnsClient.builder(), "SNS"),
                clients.build(DynamoDbClient.builder(), "DYNAMODB"), table, applications);
    }

    @Override
    protected Map<String, Object> handle(JsonNode event, Context context) {
        JsonNode records = event == null ? null : event.path("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("not a DynamoDB stream event: no Records");
        }
        List<Map<String, String>> failures = new ArrayList<>();
        for (JsonNode record : records) {
            Optional<TtlRemoval> removal = TtlRemoval.parse(record);
            if (removal.isEmpty()) {
                throw new IllegalArgumentException("stream record without a sequence number");
            }
            try {
                DeviceMetrics.expiredDevice(cleanup.apply(removal.get()).name());
            } catch (RuntimeException e) {
                DeviceMetrics.expiredDevice("FAILED");
                Log.error("expired device cleanup failed", e, "deviceId", removal.get().deviceId());
                failures.add(Map.of("itemIdentifier", removal.get().sequenceNumber()));
                break;
            }
        }
        return Map.of("batchItemFailures", failures);
    }
}
