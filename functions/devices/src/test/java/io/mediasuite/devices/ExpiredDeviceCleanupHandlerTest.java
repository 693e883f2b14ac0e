package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * The expired-device cleanup against DynamoDB Local and moto: devices registered through the device API (real
 * endpoints in moto), their items deleted, and the stream records of those deletes delivered in the shape Lambda
 * sends ({@code events/ExpiredDeviceCleanupFunction/ttl-remove.json} with the device's own key and endpoint). The
 * outcome is read from moto: does the endpoint still exist.
 */
class ExpiredDeviceCleanupHandlerTest {

    private static final Path SAMPLE = Path.of("../../events/ExpiredDeviceCleanupFunction/ttl-remove.json");
    private static final Map<String, String> APPLICATION_DELETE = Map.of("none", "");

    private final DeviceApiHandler devices = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
    private final ExpiredDeviceCleanupHandler cleanup = new ExpiredDeviceCleanupHandler(LocalDevices.CLEANUP_ENV);

    /** A registered device: its id and endpoint. */
    private record Registered(String deviceId, String endpointArn) {
    }

    private Registered register(String token) {
        String id = deviceId();
        APIGatewayProxyResponseEvent response = call(devices, deviceRequest("PUT", id,
                "{\"platform\":\"APNS\",\"token\":\"" + token + "\"}"));
        assertTrue(response.getStatusCode() == 200 || response.getStatusCode() == 201, response.getBody());
        return new Registered(id, body(response).path("endpointArn").asText());
    }

    /** Deletes the device's item, as the TTL process would. */
    private static void expire(Registered device) {
        LocalDevices.DYNAMODB.deleteItem(b -> b.tableName(LocalDevices.DEVICES_TABLE)
                .key(Map.of("deviceId", AttributeValue.fromS(device.deviceId()))));
    }

    /** The stream record of the device's removal, by the TTL process unless {@code identity} says otherwise. */
    private static JsonNode record(Registered device, String sequenceNumber, Map<String, String> identity)
            throws Exception {
        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(Files.readString(SAMPLE)).path("Records").get(0).deepCopy();
        ObjectNode dynamodb = (ObjectNode) record.path("dynamodb");
        ((ObjectNode) dynamodb.path("Keys").path("deviceId")).put("S", device.deviceId());
        ((ObjectNode) dynamodb.path("OldImage").path("deviceId")).put("S", device.deviceId());
        ((ObjectNode) dynamodb.path("OldImage").path("endpointArn")).put("S", device.endpointArn());
        dynamodb.put("SequenceNumber", sequenceNumber);
        if (identity == APPLICATION_DELETE) {
            record.remove("userIdentity");
        }
        return record;
    }

    private static String event(JsonNode... records) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (JsonNode record : records) {
            array.add(record);
        }
        return Json.write(event);
    }

    private static List<String> failedRecords(byte[] answer) throws Exception {
        List<String> failed = new ArrayList<>();
        Json.MAPPER.readTree(answer).path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        return failed;
    }

    private static boolean endpointExists(String endpointArn) {
        try {
            SNS.getEndpointAttributes(b -> b.endpointArn(endpointArn));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Test
    void handle_shouldDeleteTheEndpoint_whenTheTtlRemovedTheDevice() throws Exception {
        // given
        Registered device = register(apnsToken());
        expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(device, "100", null)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertFalse(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldSucceed_whenTheSameRemovalIsDeliveredAgain() throws Exception {
        // given: a removal already applied
        Registered device = register(apnsToken());
        expire(device);
        LocalDevices.invoke(cleanup, event(record(device, "200", null)));

        // when
        byte[] again = LocalDevices.invoke(cleanup, event(record(device, "200", null)));

        // then
        assertEquals(List.of(), failedRecords(again));
        assertFalse(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldKeepTheEndpoint_whenTheApplicationDeletedTheItem() throws Exception {
        // given: a delete that is not the TTL's (the device API deletes the endpoint itself when it deletes)
        Registered device = register(apnsToken());
        expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(device, "300", APPLICATION_DELETE)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertTrue(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldKeepTheEndpoint_whenALiveDeviceStillUsesIt() throws Exception {
        // given: the same token registered by two installations shares one endpoint; the older item expires
        String token = apnsToken();
        Registered old = register(token);
        String live = deviceId();
        LocalDevices.DYNAMODB.putItem(b -> b.tableName(LocalDevices.DEVICES_TABLE).item(Map.of(
                "deviceId", AttributeValue.fromS(live), "endpointArn", AttributeValue.fromS(old.endpointArn()),
                "platform", AttributeValue.fromS("APNS"))));
        expire(old);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(old, "400", null)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertTrue(endpointExists(old.endpointArn()));
    }

    @Test
    void handle_shouldLeaveTheEndpointAlone_whenTheRemovedItemIsNoDevice() throws Exception {
        // given: an item of the table under a key no device id can have (e.g. a token-ownership item) expires
        Registered device = register(apnsToken());
        Registered other = new Registered("token#" + device.deviceId(), device.endpointArn());
        expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(other, "450", null)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertTrue(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldReportTheFirstFailedRecordAndStop_whenADependencyFails() throws Exception {
        // given: a cleanup whose endpoint lookups fail (its table does not exist), two removals
        ExpiredDeviceCleanupHandler broken = new ExpiredDeviceCleanupHandler(
                LocalDevices.with(LocalDevices.CLEANUP_ENV, "DEVICES_TABLE", "no-such-table"));
        Registered first = register(apnsToken());
        Registered second = register(apnsToken());
        expire(first);
        expire(second);

        // when
        byte[] answer = LocalDevices.invoke(broken, event(record(first, "500", null), record(second, "501", null)));

        // then: Lambda retries from the first record; nothing was deleted
        assertEquals(List.of("500"), failedRecords(answer));
        assertTrue(endpointExists(first.endpointArn()));
        assertTrue(endpointExists(second.endpointArn()));
    }

    @Test
    void handle_shouldFailTheInvocation_whenTheEventIsNotAStreamBatch() {
        // when / then: nothing can be named in a partial answer, so Lambda retries the batch as a whole
        assertThrows(IllegalArgumentException.class, () -> LocalDevices.invoke(cleanup, "{\"detail\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> LocalDevices.invoke(cleanup,
                "{\"Records\":[{\"eventName\":\"REMOVE\",\"dynamodb\":{}}]}"));
    }
}
