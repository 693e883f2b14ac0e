package io.mediasuite.devices.push;

import io.mediasuite.common.Log;
import io.mediasuite.devices.geo.GreatCircle;
import io.mediasuite.devices.registration.DeviceTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /** A task's lease: the invocation's remaining time (at most this) plus a margin. */
    static final long MAX_LEASE_MILLIS = 15 * 60_000L;
    static final long LEASE_MARGIN_MILLIS = 60_000L;

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
     * @return the counts of this part, or null when the task had already ended or another delivery runs it
     */
    public PushCounts process(PushTask task, LongSupplier remainingMillis) {
        String owner = UUID.randomUUID().toString();
        Instant now = clock.instant();
        // The lease outlives this invocation by a margin, and ends long before SQS shows the message again
        // (visibility timeout), so a redelivery after a crash finds it expired and takes the task over.
        Instant leaseUntil = now.plusMillis(Math.min(remainingMillis.getAsLong(), MAX_LEASE_MILLIS) + LEASE_MARGIN_MILLIS);
        long expiresAt = now.plus(NotificationService.RETENTION).getEpochSecond();
        NotificationStore.Claim claim = store.claimTask(task.notificationId(), task.taskId(), owner, now, leaseUntil,
                expiresAt);
        if (claim != NotificationStore.Claim.CLAIMED) {
            // ENDED: a redelivery of a finished task. HELD: a duplicate message while another delivery runs it;
            // that delivery's own message stays on the queue until it ends, so dropping this copy loses nothing.
            Log.info("push task skipped", "notificationId", task.notificationId(), "taskId", task.taskId(),
                    "claim", claim);
            return null;
        }
        try {
            return run(task, owner, remainingMillis);
        } catch (RuntimeException e) {
            try {
                store.releaseTask(task.notificationId(), task.taskId(), owner);
            } catch (RuntimeException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }

    private PushCounts run(PushTask task, String owner, LongSupplier remainingMillis) {
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
            // claim makes the duplicate a no-op.
            queue.send(continuation);
        }
        boolean recorded = store.completeTask(task.notificationId(), task.taskId(), owner, counts,
                continuation == null ? 0 : 1);
        Log.info("push task done", "notificationId", task.notificationId(), "taskId", task.taskId(),
                "matched", counts.matched(), "sent", counts.sent(), "disabled", counts.disabled(),
                "removed", counts.removed(), "failed", counts.failed(), "continued", continuation != null,
                "recorded", recorded);
        return counts;
    }

    /**
     * Ends a task FAILED because its message is on its last delivery: counted once, so the send still reaches a
     * final state, FAILED with the counts of the tasks that did run.
     */
    public void giveUp(PushTask task) {
        boolean counted = store.failTask(task.notificationId(), task.taskId(),
                clock.instant().plus(NotificationService.RETENTION).getEpochSecond());
        Log.warn("push task given up", "notificationId", task.notificationId(), "taskId", task.taskId(),
                "counted", counted);
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
