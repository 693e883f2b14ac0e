package io.mediasuite.invalidation;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads object changes out of every shape an S3 change can reach the function in:
 * <ul>
 *   <li>an SQS event whose message bodies are S3 event notifications (the deployed path), SNS envelopes of
 *       them (SNS to SQS without raw delivery), EventBridge events, or the {@code s3:TestEvent} S3 sends when
 *       the notification is configured;</li>
 *   <li>an S3 event invoking the function directly (also what {@code sam local invoke} passes);</li>
 *   <li>an SNS event whose messages are S3 event notifications;</li>
 *   <li>an EventBridge event, {@code Object Created} or {@code Object Deleted}.</li>
 * </ul>
 * Keys in S3 notifications are form-URL-encoded and get decoded. Keys in EventBridge events are taken as they
 * are: S3 puts the raw key there, and decoding would corrupt keys that contain {@code +} or {@code %}.
 *
 * <p>An item that cannot be read becomes poison with the reason; it never hides the items next to it. An event
 * of no recognised shape at all is an {@link IllegalArgumentException}: the invocation fails.
 */
public final class S3EventReader {

    /** Where the event came from; decides how failures are reported. */
    public enum Source { SQS, S3, SNS, EVENTBRIDGE, S3_TEST_EVENT }

    /** The items of one invocation. */
    public record IncomingEvent(Source source, List<EventItem> items) {
    }

    private S3EventReader() {
    }

    public static IncomingEvent read(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        JsonNode records = event.get("Records");
        if (records != null && records.isArray()) {
            if (records.isEmpty()) {
                return new IncomingEvent(Source.S3, List.of());
            }
            String source = eventSource(records.get(0));
            return switch (source) {
                case "aws:sqs" -> new IncomingEvent(Source.SQS, sqsItems(records));
                case "aws:sns" -> new IncomingEvent(Source.SNS, snsItems(records));
                case "aws:s3" -> new IncomingEvent(Source.S3, s3Items(records));
                default -> throw new IllegalArgumentException("unsupported event source '" + source + "'");
            };
        }
        if (isEventBridge(event)) {
            String id = text(event, "id").orElse("eventbridge:" + event.path("time").asText(""));
            return new IncomingEvent(Source.EVENTBRIDGE, List.of(item(id, event, Optional.empty())));
        }
        if (isTestEvent(event)) {
            return new IncomingEvent(Source.S3_TEST_EVENT, List.of());
        }
        throw new IllegalArgumentException("not an SQS, S3, SNS or EventBridge event");
    }

    private static List<EventItem> sqsItems(JsonNode records) {
        List<EventItem> items = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            String id = text(record, "messageId").orElseThrow(
                    () -> new IllegalArgumentException("an SQS record has no messageId"));
            Optional<String> body = text(record, "body");
            Optional<EventItem.SqsDelivery> delivery = Optional.of(new EventItem.SqsDelivery(
                    record.path("receiptHandle").asText(""),
                    parseCount(record.path("attributes").path("ApproximateReceiveCount").asText("1")),
                    text(record, "eventSourceARN").or(() -> text(record, "eventSourceArn")).orElse(""),
                    body.orElse("")));
            if (body.isEmpty()) {
                items.add(EventItem.poison(id, "the message has no body", delivery));
                continue;
            }
            JsonNode payload;
            try {
                payload = Json.MAPPER.readTree(body.get());
            } catch (JacksonException e) {
                items.add(EventItem.poison(id, "the message body is not JSON", delivery));
                continue;
            }
            items.add(item(id, payload, delivery));
        }
        return items;
    }

    private static List<EventItem> snsItems(JsonNode records) {
        List<EventItem> items = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            JsonNode sns = record.path("Sns");
            String id = text(sns, "MessageId").orElse("sns:" + items.size());
            items.add(item(id, record, Optional.empty()));
        }
        return items;
    }

    private static List<EventItem> s3Items(JsonNode records) {
        List<EventItem> items = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            // A direct S3 event has no message id: the record's identity is bucket, key, event and sequencer (which
            // S3 makes unique per object change), so a retried invocation yields the same identity.
            String id = "s3:" + record.path("s3").path("bucket").path("name").asText("")
                    + "/" + record.path("s3").path("object").path("key").asText("")
                    + "#" + record.path("eventName").asText("")
                    + "#" + text(record.path("s3").path("object"), "sequencer")
                            .orElse(record.path("eventTime").asText(""));
            items.add(item(id, record, Optional.empty()));
        }
        return items;
    }

    private static EventItem item(String id, JsonNode payload, Optional<EventItem.SqsDelivery> delivery) {
        try {
            return new EventItem(id, changes(payload, id), Optional.empty(), delivery);
        } catch (MalformedEvent e) {
            return EventItem.poison(id, e.getMessage(), delivery);
        }
    }

    /** The changes in one payload: an S3 event, one of its records, an SNS envelope or record, an EventBridge event. */
    private static List<ObjectChange> changes(JsonNode payload, String sourceId) {
        if (!payload.isObject()) {
            throw new MalformedEvent("the payload is not a JSON object");
        }
        JsonNode records = payload.get("Records");
        if (records != null) {
            if (!records.isArray()) {
                throw new MalformedEvent("Records is not an array");
            }
            List<ObjectChange> changes = new ArrayList<>();
            for (JsonNode record : records) {
                changes.addAll(changes(record, sourceId));
            }
            return changes;
        }
        String source = eventSource(payload);
        if (source.equals("aws:s3")) {
            return s3Change(payload, sourceId).map(List::of).orElse(List.of());
        }
        if (source.equals("aws:sns")) {
            return changes(parseEmbedded(payload.path("Sns").path("Message")), sourceId);
        }
        if ("Notification".equals(payload.path("Type").asText()) && payload.has("Message")) {
            return changes(parseEmbedded(payload.path("Message")), sourceId);
        }
        if (isEventBridge(payload)) {
            return eventBridgeChange(payload, sourceId).map(List::of).orElse(List.of());
        }
        if (isTestEvent(payload)) {
            return List.of();
        }
        throw new MalformedEvent("the payload is not an S3 event notification");
    }

    private static Optional<ObjectChange> s3Change(JsonNode record, String sourceId) {
        String eventName = text(record, "eventName").orElseThrow(() -> new MalformedEvent("an S3 record has no eventName"));
        Optional<ObjectChange.Kind> kind = kindOf(eventName.startsWith("s3:") ? eventName.substring(3) : eventName);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        String bucket = text(record.path("s3").path("bucket"), "name")
                .orElseThrow(() -> new MalformedEvent("an S3 record has no s3.bucket.name"));
        String encodedKey = text(record.path("s3").path("object"), "key")
                .orElseThrow(() -> new MalformedEvent("an S3 record has no s3.object.key"));
        String key;
        try {
            key = CloudFrontPaths.decodeEventKey(encodedKey);
        } catch (IllegalArgumentException e) {
            throw new MalformedEvent("s3.object.key is not URL-encoded as S3 encodes keys");
        }
        JsonNode object = record.path("s3").path("object");
        return Optional.of(new ObjectChange(sourceId, bucket, key, kind.get(), eventName, text(object, "sequencer"),
                text(object, "eTag")));
    }

    private static Optional<ObjectChange> eventBridgeChange(JsonNode event, String sourceId) {
        String detailType = event.path("detail-type").asText("");
        ObjectChange.Kind kind = switch (detailType) {
            case "Object Created" -> ObjectChange.Kind.CREATED;
            case "Object Deleted" -> ObjectChange.Kind.REMOVED;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        JsonNode detail = event.path("detail");
        String bucket = text(detail.path("bucket"), "name")
                .orElseThrow(() -> new MalformedEvent("an EventBridge S3 event has no detail.bucket.name"));
        String key = text(detail.path("object"), "key")
                .orElseThrow(() -> new MalformedEvent("an EventBridge S3 event has no detail.object.key"));
        String reason = detail.path("reason").asText("");
        return Optional.of(new ObjectChange(sourceId, bucket, key, kind,
                reason.isEmpty() ? detailType : detailType + ":" + reason, text(detail.path("object"), "sequencer"),
                text(detail.path("object"), "etag")));
    }

    private static Optional<ObjectChange.Kind> kindOf(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return Optional.of(ObjectChange.Kind.CREATED);
        }
        if (eventName.startsWith("ObjectRemoved:")) {
            return Optional.of(ObjectChange.Kind.REMOVED);
        }
        return Optional.empty();
    }

    private static JsonNode parseEmbedded(JsonNode message) {
        if (!message.isTextual()) {
            throw new MalformedEvent("the SNS message is missing or not a string");
        }
        try {
            return Json.MAPPER.readTree(message.asText());
        } catch (JacksonException e) {
            throw new MalformedEvent("the SNS message is not JSON");
        }
    }

    private static boolean isEventBridge(JsonNode node) {
        return node.has("detail-type") && "aws.s3".equals(node.path("source").asText());
    }

    private static boolean isTestEvent(JsonNode node) {
        return "s3:TestEvent".equals(node.path("Event").asText());
    }

    private static String eventSource(JsonNode record) {
        return text(record, "eventSource").or(() -> text(record, "EventSource")).orElse("");
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() || value.asText().isEmpty()
                ? Optional.empty() : Optional.of(value.asText());
    }

    private static int parseCount(String value) {
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** A payload that is JSON but not of a shape this reader knows; its message is the logged reason. */
    private static final class MalformedEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
