package io.mediasuite.devices.feedback;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The Lambda event of an SNS subscription ({@code {"Records":[{"EventSource":"aws:sns","Sns":{...}}]}}), only
 * the fields this function reads. Declared here rather than using aws-lambda-java-events' SNSEvent because that
 * class types {@code Timestamp} as a Joda DateTime, which the shared mapper has no module for.
 */
public record SnsEvent(@JsonProperty("Records") List<Delivery> records) {

    /** One delivery. */
    public record Delivery(@JsonProperty("EventSource") String eventSource,
                         @JsonProperty("EventSubscriptionArn") String eventSubscriptionArn,
                         @JsonProperty("Sns") Notification sns) {
    }

    /** The SNS notification. */
    public record Notification(@JsonProperty("Type") String type, @JsonProperty("MessageId") String messageId,
                               @JsonProperty("TopicArn") String topicArn, @JsonProperty("Subject") String subject,
                               @JsonProperty("Message") String message, @JsonProperty("Timestamp") String timestamp) {
    }
}
