package io.mediasuite.devices.push;

import java.util.List;

/**
 * A send as {@code GET /notifications/{id}} shows it. {@code status}: QUEUED (no task finished), IN_PROGRESS,
 * COMPLETED (every task finished, counts are final) or ENQUEUE_FAILED (some tasks never reached the queue).
 */
public record NotificationStatus(String notificationId, String status, String createdAt, String requestedBy,
                                 Near near, List<String> platforms, String title, PushCounts counts, Tasks tasks) {

    /** The targeted circle. */
    public record Near(double lat, double lon, double radiusKm) {
    }

    /** Task progress. */
    public record Tasks(long total, long done) {
    }

    static NotificationStatus of(NotificationStore.Notification n) {
        String status;
        if (n.enqueueFailed()) {
            status = "ENQUEUE_FAILED";
        } else if (n.tasksDone() >= n.tasksTotal()) {
            status = "COMPLETED";
        } else if (n.tasksDone() == 0) {
            status = "QUEUED";
        } else {
            status = "IN_PROGRESS";
        }
        return new NotificationStatus(n.id(), status, n.createdAt().toString(), n.requestedBy(),
                new Near(n.lat(), n.lon(), n.radiusKm()), n.platforms().stream().map(Enum::name).toList(), n.title(),
                n.counts(), new Tasks(n.tasksTotal(), n.tasksDone()));
    }
}
