package io.mediasuite.devices.push;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.mediasuite.devices.registration.Platform;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One unit of a send, carried by one PushQueue message: read one geo index partition ({@code cellKey}, i.e.
 * one precision-3 cell and shard), narrowed to {@code prefixes} when not empty, keep the devices within the
 * radius on the requested platforms, and publish to each.
 *
 * <p>A task that runs short of time hands the rest to a continuation: the same cell with {@code part + 1}, the
 * prefix it was on and the index key to resume after.
 *
 * @param startKey the geo index's LastEvaluatedKey to resume after (all its attributes are strings), or null
 */
public record PushTask(String notificationId, String cellKey, List<String> prefixes, double lat, double lon,
                       double radiusKm, Set<Platform> platforms, PushMessage message, int part, int prefixIndex,
                       Map<String, String> startKey) {

    public PushTask {
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
    }

    /** Unique within the notification: what marks the task done exactly once. */
    @JsonIgnore
    public String taskId() {
        return cellKey + "/" + part;
    }

    /** The task that carries on from {@code prefixIndex} and {@code startKey}. */
    public PushTask continuation(int nextPrefixIndex, Map<String, String> nextStartKey) {
        return new PushTask(notificationId, cellKey, prefixes, lat, lon, radiusKm, platforms, message, part + 1,
                nextPrefixIndex, nextStartKey);
    }
}
