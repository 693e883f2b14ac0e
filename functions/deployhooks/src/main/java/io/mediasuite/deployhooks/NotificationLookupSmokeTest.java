package io.mediasuite.deployhooks;

import java.util.Map;
import java.util.UUID;

/**
 * Notification API: looks up a notification id that was never issued (a read of the notifications table through
 * the real handler) and expects 404, then a malformed id and expects 400. No send is made: a send would push
 * to real devices.
 */
final class NotificationLookupSmokeTest implements SmokeTest {

    static final String NAME = "notification-lookup";
    private static final String RESOURCE = "/notifications/{notificationId}";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String unknown = UUID.randomUUID().toString();
        target.call("GET /notifications/" + unknown, ProxyRequests.request("GET", RESOURCE, "/notifications/" + unknown,
                Map.of("notificationId", unknown), null), 404);
        target.call("GET /notifications/" + runId, ProxyRequests.request("GET", RESOURCE, "/notifications/" + runId,
                Map.of("notificationId", runId), null), 400);
    }
}
