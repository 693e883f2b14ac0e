package io.mediasuite.devices.cleanup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One DynamoDB stream record of the devices table as Lambda delivers it, reduced to what the cleanup needs.
 *
 * @param sequenceNumber what a partial-batch response names the record by
 * @param byTtl          a REMOVE made by the TTL process (user identity: service {@code dynamodb.amazonaws.com}),
 *                       not by the application
 * @param deviceId       the removed item's key
 * @param endpointArn    the removed item's SNS endpoint (from the old image), null when it had none
 */
public record TtlRemoval(String sequenceNumber, boolean byTtl, String deviceId, String endpointArn) {

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
        String endpointArn = text(dynamodb.path("OldImage").path("endpointArn").path("S"));
        return Optional.of(new TtlRemoval(sequenceNumber, byTtl, deviceId, endpointArn));
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }
}
