package io.mediasuite.devices.push;

import java.util.List;

/**
 * A send as {@code GET /notifications/{id}} shows it. {@code status}: PLANNING (tasks are still being queued;
 * the total grows), IN_PROGRESS (every task queued, some not ended), and two final states: COMPLETED (every task
 * done, the counts are final) and FAILED (planning failed, or every task ended and some failed: they reached the
 * dead-letter queue, and the devices they would have read are in no count).
 */
public record NotificationStatus(String notificationId, String status, String createdAt, String requestedBy,
                                 Near near, List<String> platforms, String title, PushCounts counts, Tasks tasks) {

    /** The targeted circle. */
    public record Near(double lat, double lon, double radiusKm) {
    }

    /** Task progress: queued so far, ended done, ended failed. */
    public record Tasks(long total, long done, long failed) {
    }

    static NotificationStatus of(NotificationStore.Notification n) {
        return new NotificationStatus(n.id(), statusOf(n), n.createdAt().toString(), n.requestedBy(),
                new Near(n.lat(), n.lon(), n.radiusKm()), n.platforms().stream().map(Enum::name).toList(), n.title(),
                n.counts(), new Tasks(n.tasksTotal(), n.tasksDone(), n.tasksFailed()));
    }

    static String statusOf(NotificationStore.Notification n) {
        if (n.planFailed()) {
            return "FAILED";
        }
        if (!n.planned()) {
            return "PLANNING";
        }
        if (n.tasksDone() + n.tasksFailed() < n.tasksTotal()) {
            return "IN_PROGRESS";
        }
        return n.tasksFailed() > 0 ? "FAILED" : "COMPLETED";
    }
}
