package io.mediasuite.devices.push;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import io.mediasuite.devices.geo.GeoIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Geo-targeted sends, operator side. A send never publishes in the API request: it works out which geo index
 * partitions cover the circle, stores the notification with one pending task per partition, and queues one
 * task message per partition for the PushWorker. The operator gets an id at once and follows the counts.
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

    /** An accepted send: its id and how many tasks it fanned out to. */
    public record Accepted(String notificationId, int tasks) {
    }

    /**
     * Fans a send out to the PushQueue.
     *
     * @param requestedBy the caller's IAM identity, kept for audit
     * @throws ApiException SERVICE_UNAVAILABLE when queueing failed part-way (the notification says so)
     */
    public Accepted send(NotificationRequest request, String requestedBy) {
        List<GeoIndex.CellRead> reads = GeoIndex.plan(request.lat(), request.lon(), request.radiusKm());
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        store.create(new NotificationStore.Notification(id, now, now.plus(RETENTION).getEpochSecond(), requestedBy,
                request.lat(), request.lon(), request.radiusKm(), request.platforms(), request.message().title(),
                reads.size(), 0, PushCounts.ZERO, false));
        List<PushTask> tasks = new ArrayList<>(reads.size());
        for (GeoIndex.CellRead read : reads) {
            tasks.add(new PushTask(id, read.cellKey(), read.prefixes(), request.lat(), request.lon(),
                    request.radiusKm(), request.platforms(), request.message(), 0, 0, null));
        }
        try {
            queue.sendAll(tasks);
        } catch (RuntimeException e) {
            store.markEnqueueFailed(id);
            throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE, "queueing notification " + id + " failed", e);
        }
        Log.info("notification queued", "notificationId", id, "tasks", tasks.size(), "radiusKm", request.radiusKm(),
                "requestedBy", requestedBy);
        return new Accepted(id, tasks.size());
    }

    /** Progress and counts of a send. */
    public Optional<NotificationStatus> status(String id) {
        return store.find(id).map(NotificationStatus::of);
    }
}
