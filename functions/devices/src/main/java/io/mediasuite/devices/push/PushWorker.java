package io.mediasuite.devices.push;

import io.mediasuite.common.Log;
import io.mediasuite.devices.geo.GreatCircle;
import io.mediasuite.devices.registration.DeviceTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs one {@link PushTask}: pages through its geo index partition, keeps the devices within the exact
 * great-circle radius on the requested platforms, publishes to them, and records the counts once.
 *
 * <p>A task that would run past the invocation's time hands the rest of its partition to a continuation task
 * on the queue (raising the notification's task total in the same write that records its own counts), so no
 * audience is too large for the Lambda timeout.
 */
public final class PushWorker {

    /** Index items read per page: a few hundred keeps a page's publishes well inside one time check. */
    public static final int PAGE_SIZE = 250;

    private final DeviceTable devices;
    private final NotificationStore store;
    private final PushQueue queue;
    private final EndpointPublisher publisher;
    private final long reserveMillis;
    private final int pageSize;
    private final Clock clock;

    /**
     * @param reserveMillis time to keep in hand: a new page is only started while more than this remains
     * @param pageSize      index items per read, normally {@link #PAGE_SIZE}
     */
    public PushWorker(DeviceTable devices, NotificationStore store, PushQueue queue, EndpointPublisher publisher,
                      long reserveMillis, int pageSize, Clock clock) {
        this.devices = devices;
        this.store = store;
        this.queue = queue;
        this.publisher = publisher;
        this.reserveMillis = reserveMillis;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    /**
     * Processes a task.
     *
     * @param remainingMillis the invocation's remaining time
     * @return the counts of this part, or null when the task had already been done (a redelivery)
     */
    public PushCounts process(PushTask task, LongSupplier remainingMillis) {
        if (store.taskDone(task.notificationId(), task.taskId())) {
            Log.info("push task already done", "notificationId", task.notificationId(), "taskId", task.taskId());
            return null;
        }
        String message = task.message().render();
        List<String> prefixes = task.prefixes().isEmpty() ? java.util.Collections.singletonList(null) : task.prefixes();
        PushCounts counts = PushCounts.ZERO;
        int prefixIndex = task.prefixIndex();
        Map<String, AttributeValue> startKey = toAttributes(task.startKey());
        PushTask continuation = null;

        while (prefixIndex < prefixes.size()) {
            DeviceTable.GeoPage page = devices.queryCell(task.cellKey(), prefixes.get(prefixIndex), startKey, pageSize);
            counts = counts.plus(publisher.publishAll(targets(task, page.devices()), message));
            if (page.lastKey() != null) {
                startKey = page.lastKey();
            } else {
                prefixIndex++;
                startKey = null;
            }
            if (prefixIndex < prefixes.size() && remainingMillis.getAsLong() < reserveMillis) {
                continuation = task.continuation(prefixIndex, fromAttributes(startKey));
                break;
            }
        }

        if (continuation != null) {
            // Queue first: if recording then fails, the redelivered task re-queues a continuation whose own
            // marker makes the duplicate a no-op.
            queue.send(continuation);
        }
        long markerExpiry = clock.instant().plus(NotificationService.RETENTION).getEpochSecond();
        boolean recorded = store.completeTask(task.notificationId(), task.taskId(), counts,
                continuation == null ? 0 : 1, markerExpiry);
        Log.info("push task done", "notificationId", task.notificationId(), "taskId", task.taskId(),
                "matched", counts.matched(), "sent", counts.sent(), "disabled", counts.disabled(),
                "removed", counts.removed(), "failed", counts.failed(), "continued", continuation != null,
                "recorded", recorded);
        return counts;
    }

    /** The exact filter: requested platform and great-circle distance within the radius. */
    static List<DeviceTable.GeoDevice> targets(PushTask task, List<DeviceTable.GeoDevice> candidates) {
        List<DeviceTable.GeoDevice> targets = new ArrayList<>(candidates.size());
        for (DeviceTable.GeoDevice device : candidates) {
            if (task.platforms().contains(device.platform())
                    && GreatCircle.distanceKm(task.lat(), task.lon(), device.lat(), device.lon()) <= task.radiusKm()) {
                targets.add(device);
            }
        }
        return targets;
    }

    private static Map<String, AttributeValue> toAttributes(Map<String, String> key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        Map<String, AttributeValue> attributes = new HashMap<>();
        key.forEach((name, value) -> attributes.put(name, AttributeValue.fromS(value)));
        return attributes;
    }

    private static Map<String, String> fromAttributes(Map<String, AttributeValue> key) {
        if (key == null) {
            return null;
        }
        Map<String, String> strings = new HashMap<>();
        key.forEach((name, value) -> strings.put(name, value.s()));
        return strings;
    }
}
