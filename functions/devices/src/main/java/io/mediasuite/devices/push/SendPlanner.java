package io.mediasuite.devices.push;

import io.mediasuite.common.Log;
import io.mediasuite.devices.geo.GeoIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the planning steps of a send, off the API request: each step queues a bounded slice of the send's push
 * tasks, records the new cursor, and queues the next step, so a send of any size is planned in steps that each
 * fit well inside one invocation, and a step that fails or times out is simply delivered again.
 *
 * <p>Every step is safe to run twice. The slice is queued before the cursor moves (a crash in between re-queues
 * the same tasks, and the worker's per-task claim runs each task once); the cursor moves only from the value the
 * step was given, so the total counts each slice once; and the next step is queued after the cursor moved, also
 * by a redelivery that finds its slice already recorded, so the chain cannot stop half-way.
 */
public final class SendPlanner {

    /** Tasks queued per step: 50 SendMessageBatch calls, a second or two. */
    public static final int DEFAULT_SLICE = 500;

    private final NotificationStore store;
    private final PushQueue queue;
    private final int slice;

    public SendPlanner(NotificationStore store, PushQueue queue, int slice) {
        if (slice < 1) {
            throw new IllegalArgumentException("slice must be positive");
        }
        this.store = store;
        this.queue = queue;
        this.slice = slice;
    }

    /**
     * Runs one step.
     *
     * @return the tasks this step queued (0 when it found its slice already recorded)
     */
    public int process(PlanStep step) {
        List<GeoIndex.CellRead> plan = GeoIndex.plan(step.lat(), step.lon(), step.radiusKm());
        long cursor = step.planCursor();
        long next = Math.min(plan.size(), cursor + slice);
        List<PushTask> tasks = new ArrayList<>((int) Math.max(0, next - cursor));
        for (long i = cursor; i < next; i++) {
            tasks.add(step.task(plan.get((int) i)));
        }
        var current = store.find(step.notificationId()).orElse(null);
        if (current == null) {
            Log.warn("planning step for an unknown notification", "notificationId", step.notificationId());
            return 0;
        }
        if (current.planCursor() > cursor) {
            // Redelivered after it was recorded: only make sure the chain goes on (if the next step already moved
            // the cursor further, it has queued its own successor).
            if (current.planCursor() == next && next < plan.size()) {
                queue.send(step.next(next));
            }
            Log.info("planning step already recorded", "notificationId", step.notificationId(), "cursor", cursor);
            return 0;
        }
        queue.sendAll(tasks);
        boolean recorded = store.recordPlanned(step.notificationId(), cursor, next, plan.size());
        // Not recorded: a parallel copy of this step moved the cursor first and queues the successor itself.
        if (recorded && next < plan.size()) {
            queue.send(step.next(next));
        }
        Log.info("planning step done", "notificationId", step.notificationId(), "cursor", cursor, "queued",
                tasks.size(), "planSize", plan.size(), "recorded", recorded);
        return tasks.size();
    }
}
