package io.mediasuite.invalidation;

import java.util.List;
import java.util.Optional;

/**
 * One unit an event source retries on its own: an SQS message, an SNS record, an EventBridge event or an S3
 * record. Either it carries object changes (possibly none: a test event, an event type that needs no
 * invalidation) or it is poison, with the reason it could not be read.
 *
 * @param id      the item's identity (for SQS the message id, which is also what batch failures report)
 * @param changes the object changes it carries
 * @param poison  why the item could not be read, if it could not
 * @param sqs     delivery details when the item is an SQS message
 */
public record EventItem(String id, List<ObjectChange> changes, Optional<String> poison, Optional<SqsDelivery> sqs) {

    public EventItem {
        changes = List.copyOf(changes);
    }

    /**
     * An SQS message's delivery details: its receipt and receive count (for the visibility delay) and its body
     * (sent again as a new message when a deferred message nears the queue's {@code maxReceiveCount}).
     */
    public record SqsDelivery(String receiptHandle, int receiveCount, String eventSourceArn, String body) {
    }

    static EventItem poison(String id, String reason, Optional<SqsDelivery> sqs) {
        return new EventItem(id, List.of(), Optional.of(reason), sqs);
    }
}
