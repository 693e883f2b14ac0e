package io.mediasuite.invalidation.delivery;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** The queue the function's messages come from, as far as retrying them goes. */
public interface RetryQueue {

    /** The queue's {@code maxReceiveCount}; empty when it has no redrive policy. */
    OptionalInt maxReceiveCount();

    /** Sets the visibility timeout (seconds) of received messages, by receipt handle. Best effort. */
    void changeVisibility(Map<String, Integer> secondsByReceipt);

    /**
     * Sends {@code bodies} as new messages that become visible after {@code delaySeconds} (at most 900); returns
     * the indexes of the bodies that could not be sent.
     */
    Set<Integer> send(List<String> bodies, int delaySeconds);

    /** Whether a message received from {@code eventSourceArn} belongs to this queue. */
    boolean owns(String eventSourceArn);

    /** Thrown by {@link #maxReceiveCount} when the redrive policy cannot be read. */
    final class UnreadablePolicy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnreadablePolicy(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
