package io.mediasuite.devices.push;

import io.mediasuite.devices.registration.Platform;
import java.util.Set;

/**
 * One planning step of a send, carried by a PushQueue message: queue the tasks {@code cursor} to
 * {@code cursor + slice} of the send's plan ({@link io.mediasuite.devices.geo.GeoIndex#plan}, which is
 * deterministic, so every step recomputes the same list), then hand on to the step at the next cursor.
 *
 * @param planCursor the index of the first task of this step in the plan; also what tells this message from a
 *                   {@link PushTask} on the queue
 */
public record PlanStep(String notificationId, double lat, double lon, double radiusKm, Set<Platform> platforms,
                       PushMessage message, long planCursor) {

    /** The field only a planning step has. */
    public static final String DISCRIMINATOR = "planCursor";

    /** The step after this one. */
    public PlanStep next(long nextCursor) {
        return new PlanStep(notificationId, lat, lon, radiusKm, platforms, message, nextCursor);
    }

    /** The push task reading one index partition of this send. */
    PushTask task(io.mediasuite.devices.geo.GeoIndex.CellRead read) {
        return new PushTask(notificationId, read.cellKey(), read.prefixes(), lat, lon, radiusKm, platforms, message,
                0, 0, null);
    }
}
