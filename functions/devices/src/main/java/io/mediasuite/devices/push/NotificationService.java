package io.mediasuite.devices.push;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Geo-targeted sends, operator side. A send never plans nor publishes in the API request: it stores the
 * notification and queues its first planning step ({@link PlanStep}); the PushWorker plans the geo index reads
 * in bounded steps and runs them. The operator gets an id at once, whatever the radius, and follows the counts.
 */
public final class NotificationService {

    /** How long a notification and its counts stay queryable. */
    public static final Duration RETENTION = Duration.ofDays(30);

    private final NotificationStore store;
    private final PushQueue queue;
    private final Clock clock;

    public NotificationService(NotificationStore store, PushQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** An accepted send: its id. */
    public record Accepted(String notificationId) {
    }

    /**
     * Records a send and queues its planning: one item write and one message, whatever the radius.
     *
     * @param requestedBy the caller's IAM identity, kept for audit
     * @throws ApiException SERVICE_UNAVAILABLE when the planning step could not be queued (the notification
     *                      then says FAILED)
     */
    public Accepted send(NotificationRequest request, String requestedBy) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        store.create(new NotificationStore.Notification(id, now, now.plus(RETENTION).getEpochSecond(), requestedBy,
                request.lat(), request.lon(), request.radiusKm(), request.platforms(), request.message().title(),
                0, 0, 0, 0, -1, false, PushCounts.ZERO));
        try {
            queue.send(new PlanStep(id, request.lat(), request.lon(), request.radiusKm(), request.platforms(),
                    request.message(), 0));
        } catch (RuntimeException e) {
            store.markPlanFailed(id);
            throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE, "queueing notification " + id + " failed", e);
        }
        Log.info("notification accepted", "notificationId", id, "radiusKm", request.radiusKm(),
                "requestedBy", requestedBy);
        return new Accepted(id);
    }

    /** Progress and counts of a send. */
    public Optional<NotificationStatus> status(String id) {
        return store.find(id).map(NotificationStatus::of);
    }
}
