package io.mediasuite.devices.cleanup;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.DeviceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One DynamoDB stream record of the devices table as Lambda delivers it, reduced to what the cleanup needs.
 *
 * @param sequenceNumber what a partial-batch response names the record by
 * @param byTtl          a REMOVE made by the TTL process (user identity: service {@code dynamodb.amazonaws.com}),
 *                       not by the application
 * @param deviceId       the removed item's key
 * @param endpointArn    the removed item's SNS endpoint (from the old image), null when it had none
 * @param device         the removed device as its old image shows it, null when the image is not a whole device
 *                       item (then its token's ownership cannot be found)
 */
public record TtlRemoval(String sequenceNumber, boolean byTtl, String deviceId, String endpointArn,
                         DeviceRecord device) {

    /** The principal the TTL process deletes items as. */
    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    /**
     * Reads a stream record ({@code eventName}, {@code userIdentity}, {@code dynamodb.Keys/OldImage/SequenceNumber}).
     *
     * @return empty when the record has no sequence number (nothing could name it in a retry)
     */
    public static Optional<TtlRemoval> parse(JsonNode record) {
        JsonNode dynamodb = record.path("dynamodb");
        String sequenceNumber = text(dynamodb.path("SequenceNumber"));
        if (sequenceNumber == null) {
            return Optional.empty();
        }
        JsonNode identity = record.path("userIdentity");
        boolean byTtl = "REMOVE".equals(text(record.path("eventName")))
                && "Service".equals(text(identity.path("type")))
                && TTL_PRINCIPAL.equals(text(identity.path("principalId")));
        String deviceId = text(dynamodb.path("Keys").path("deviceId").path("S"));
        JsonNode oldImage = dynamodb.path("OldImage");
        String endpointArn = text(oldImage.path("endpointArn").path("S"));
        DeviceRecord device = DeviceTable.fromImage(item(oldImage)).orElse(null);
        return Optional.of(new TtlRemoval(sequenceNumber, byTtl, deviceId, endpointArn, device));
    }

    /**
     * An image in DynamoDB's JSON form as attribute values, for the types a device item holds (S, N, BOOL, SS);
     * attributes of other types are left out, so an image that needs them is not read as a device.
     */
    private static Map<String, AttributeValue> item(JsonNode image) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        image.properties().forEach(attribute -> {
            JsonNode value = attribute.getValue();
            if (value.path("S").isTextual()) {
                item.put(attribute.getKey(), AttributeValue.fromS(value.path("S").textValue()));
            } else if (value.path("N").isTextual()) {
                item.put(attribute.getKey(), AttributeValue.fromN(value.path("N").textValue()));
            } else if (value.path("BOOL").isBoolean()) {
                item.put(attribute.getKey(), AttributeValue.fromBool(value.path("BOOL").booleanValue()));
            } else if (value.path("SS").isArray()) {
                List<String> strings = new ArrayList<>();
                value.path("SS").forEach(s -> strings.add(s.asText()));
                item.put(attribute.getKey(), AttributeValue.fromSs(strings));
            }
        });
        return item;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }
}
