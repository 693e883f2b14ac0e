package io.mediasuite.invalidation.delivery;

import io.mediasuite.common.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Decides when each failed SQS message comes back, so that no change is lost to CloudFront's limits.
 *
 * <ul>
 *   <li>An unreadable message is made visible at once: retrying cannot fix it, and it reaches the dead-letter
 *       queue after {@code maxReceiveCount} receives.</li>
 *   <li>A message that must wait (in-flight limits, throttling, CloudFront unavailable) is delayed with its
 *       visibility timeout: at least the wait the caller estimated (until the oldest invalidation in progress
 *       should complete), else {@code base * 2^(receives - 1)}, at most {@code max}. A message whose receive
 *       count comes within two of the queue's {@code maxReceiveCount} is instead sent again as a new message
 *       (receive count 1) and the old one is reported done, so waiting can never dead-letter it. When the redrive
 *       policy cannot be read, every waiting message is sent again.</li>
 *   <li>A message CloudFront rejected (configuration: no such distribution, access denied) keeps the exponential
 *       delay and goes to the dead-letter queue after {@code maxReceiveCount}: only an operator can fix it, and
 *       the dead-letter queue is where it can be redriven from.</li>
 * </ul>
 */
public final class Redelivery {

    /** SQS's maximum {@code DelaySeconds}. */
    static final int MAX_SEND_DELAY = 900;
    /** SQS's maximum visibility timeout. */
    static final int MAX_VISIBILITY = 43_200;
    /** Receives kept in reserve below {@code maxReceiveCount}: one failed resend still leaves a chance. */
    static final int RESERVE = 2;

    /** Why a message is retried. */
    public enum Reason { POISON, WAIT, REJECTED }

    /**
     * One failed message.
     *
     * @param waitSeconds the caller's estimate of how long the cause lasts, 0 when unknown
     */
    public record Retry(String messageId, String receiptHandle, int receiveCount, String eventSourceArn, String body,
                        Reason reason, int waitSeconds) {
    }

    private final RetryQueue queue;
    private final int baseSeconds;
    private final int maxSeconds;

    public Redelivery(RetryQueue queue, int baseSeconds, int maxSeconds) {
        this.queue = queue;
        this.baseSeconds = baseSeconds;
        this.maxSeconds = Math.min(maxSeconds, MAX_VISIBILITY);
    }

    /** Seconds until a message that failed for {@code reason} on its {@code receiveCount}-th receive comes back. */
    public int delaySeconds(Reason reason, int receiveCount, int waitSeconds) {
        if (reason == Reason.POISON) {
            return 0;
        }
        if (reason == Reason.WAIT && waitSeconds > 0) {
            return Math.min(maxSeconds, Math.max(baseSeconds, waitSeconds));
        }
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 20);
        return (int) Math.min((long) maxSeconds, (long) baseSeconds << exponent);
    }

    /**
     * Applies the delays and resends; returns the ids of the messages still to report failed (a message sent
     * again is done: Lambda deletes it).
     */
    public List<String> apply(List<Retry> retries) {
        Map<String, Integer> visibility = new LinkedHashMap<>();
        List<Retry> resend = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        OptionalInt limit = null;
        for (Retry retry : retries) {
            if (retry.receiptHandle().isEmpty() || !queue.owns(retry.eventSourceArn())) {
                failed.add(retry.messageId()); // another queue's message: its own settings apply
                continue;
            }
            int delay = delaySeconds(retry.reason(), retry.receiveCount(), retry.waitSeconds());
            if (retry.reason() == Reason.WAIT && !retry.body().isEmpty()) {
                if (limit == null) {
                    limit = redriveLimit();
                }
                if (limit == null || limit.isPresent() && retry.receiveCount() >= limit.getAsInt() - RESERVE) {
                    resend.add(retry);
                    continue;
                }
            }
            visibility.put(retry.receiptHandle(), delay);
            failed.add(retry.messageId());
        }
        if (!resend.isEmpty()) {
            int delay = Math.min(MAX_SEND_DELAY, resend.stream()
                    .mapToInt(r -> delaySeconds(r.reason(), r.receiveCount(), r.waitSeconds())).max().orElse(0));
            Set<Integer> notSent = queue.send(resend.stream().map(Retry::body).toList(), delay);
            for (int i = 0; i < resend.size(); i++) {
                Retry retry = resend.get(i);
                if (notSent.contains(i)) {
                    visibility.put(retry.receiptHandle(), delaySeconds(retry.reason(), retry.receiveCount(),
                            retry.waitSeconds()));
                    failed.add(retry.messageId());
                }
            }
            Log.info("waiting messages sent again before their receive count nears maxReceiveCount",
                    "sent", resend.size() - notSent.size(), "notSent", notSent.size(), "delaySeconds", delay);
        }
        if (!visibility.isEmpty()) {
            queue.changeVisibility(visibility);
        }
        return failed;
    }

    /** The queue's maxReceiveCount; {@code null} when it cannot be read (then every waiting message is resent). */
    private OptionalInt redriveLimit() {
        try {
            return queue.maxReceiveCount();
        } catch (RetryQueue.UnreadablePolicy e) {
            Log.warn("redrive policy not readable; waiting messages are sent again as new messages",
                    "detail", String.valueOf(e.getMessage()));
            return null;
        }
    }
}
