package io.mediasuite.devices.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;

/**
 * One SNS platform application event, as SNS publishes it to the topics named in the application's
 * {@code EventEndpointCreated}, {@code EventEndpointUpdated}, {@code EventEndpointDeleted} and
 * {@code EventDeliveryFailure} attributes. The notification's {@code Message} is a JSON object such as
 *
 * <pre>{@code
 * {"EventType":"DeliveryFailure","EndpointArn":"arn:aws:sns:...:endpoint/GCM/app/...",
 *  "FailureType":"InvalidPlatformToken","FailureMessage":"...","DeliveryAttempts":1,
 *  "MessageId":"...","Resource":"arn:aws:sns:...:app/GCM/app","Service":"SNS","Time":"..."}
 * }</pre>
 *
 * Only {@code EventType} and {@code EndpointArn} are relied on: what an update changed is not documented field
 * by field, so the handler asks SNS for the endpoint's current state instead of trusting the event's copy.
 *
 * @param failureType for DeliveryFailure: e.g. InvalidPlatformToken, EndpointDisabled, DeliveryFailedPerm
 */
public record EndpointEvent(String eventType, String endpointArn, String failureType) {

    /**
     * Reads an event message.
     *
     * @throws IllegalArgumentException when it is not an event object with EventType and EndpointArn
     */
    public static EndpointEvent parse(String message) {
        JsonNode node;
        try {
            node = message == null ? null : Json.MAPPER.readTree(message);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("SNS event message is not JSON", e);
        }
        if (node == null || !node.isObject() || !node.path("EventType").isTextual()
                || !node.path("EndpointArn").isTextual()) {
            throw new IllegalArgumentException("SNS event message lacks EventType or EndpointArn");
        }
        return new EndpointEvent(node.get("EventType").textValue(), node.get("EndpointArn").textValue(),
                node.path("FailureType").isTextual() ? node.get("FailureType").textValue() : null);
    }
}
