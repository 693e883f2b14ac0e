package io.mediasuite.devices;

import io.mediasuite.common.Metrics;
import io.mediasuite.devices.push.PushCounts;
import java.util.Map;

/**
 * The device functions' business metrics (service {@code Devices}); the dashboard in template.yaml charts them.
 * Dimensions are outcomes from small fixed sets, never a device id or a token.
 */
public final class DeviceMetrics {

    static final String SERVICE = "Devices";

    private DeviceMetrics() {
    }

    /**
     * A registration answered: {@code created} (first registration) or {@code refreshed}, with the DynamoDB and SNS
     * calls it took (the steady state is exactly one of each).
     */
    static void registration(boolean created, Map<String, Integer> calls) {
        Metrics.count(SERVICE, "Registrations", 1, "Outcome", created ? "created" : "refreshed");
        Metrics.record(SERVICE, "DynamoDbCallsPerRegistration", Metrics.Unit.Count, calls.getOrDefault("DynamoDb", 0));
        Metrics.record(SERVICE, "SnsCallsPerRegistration", Metrics.Unit.Count, calls.getOrDefault("Sns", 0));
    }

    /** A geo send accepted by the API (its planning runs later, in the push worker). */
    static void sendAccepted() {
        Metrics.count(SERVICE, "SendsAccepted", 1);
    }

    /** A planning step of a geo send queued {@code tasks} push tasks. */
    static void tasksPlanned(long tasks) {
        Metrics.count(SERVICE, "PushTasksPlanned", tasks);
    }

    /** What one push task did: devices matched and each publish outcome. */
    static void pushed(PushCounts counts) {
        Metrics.count(SERVICE, "PushTasksDone", 1);
        Metrics.count(SERVICE, "PushesMatched", counts.matched());
        Metrics.count(SERVICE, "Pushes", counts.sent(), "Outcome", "sent");
        Metrics.count(SERVICE, "Pushes", counts.disabled(), "Outcome", "disabled");
        Metrics.count(SERVICE, "Pushes", counts.removed(), "Outcome", "removed");
        Metrics.count(SERVICE, "Pushes", counts.failed(), "Outcome", "failed");
    }

    /** A push task that failed and goes back to the queue. */
    static void pushTaskFailed() {
        Metrics.count(SERVICE, "PushTasksFailed", 1);
    }

    /** An endpoint event record from the platform applications: applied, malformed, or failed (retried). */
    static void endpointEvent(String outcome) {
        Metrics.count(SERVICE, "EndpointEvents", 1, "Outcome", outcome);
    }

    /** A device the TTL removed, by what its cleanup did (DELETED, KEPT_IN_USE, KEPT_TAKEN_OVER, SKIPPED, FAILED). */
    static void expiredDevice(String outcome) {
        Metrics.count(SERVICE, "ExpiredDevices", 1, "Outcome", outcome);
    }
}
