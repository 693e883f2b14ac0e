package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.common.Json;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.Platform;
import io.mediasuite.devices.registration.TokenOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A registered device: its id, token and endpoint. */
    private record Registered(String deviceId, String token, String endpointArn) {
    }

    private Registered register(String token) {
        return register(deviceId(), token);
    }

    private Registered register(String id, String token) {
        APIGatewayProxyResponseEvent response = call(devices, deviceRequest("PUT", id,
                "{\"platform\":\"APNS\",\"token\":\"" + token + "\"}"));
        assertTrue(response.getStatusCode() == 200 || response.getStatusCode() == 201, response.getBody());
        return new Registered(id, token, body(response).path("endpointArn").asText());
    }

    /** Deletes the device's item, as the TTL process would; returns the item as the stream's old image. */
    private static ObjectNode expire(Registered device) {
        Map<String, AttributeValue> key = Map.of("deviceId", AttributeValue.fromS(device.deviceId()));
        Map<String, AttributeValue> item = LocalDevices.DYNAMODB.getItem(b -> b.tableName(LocalDevices.DEVICES_TABLE)
                .key(key).consistentRead(true)).item();
        LocalDevices.DYNAMODB.deleteItem(b -> b.tableName(LocalDevices.DEVICES_TABLE).key(key));
        ObjectNode image = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> {
            ObjectNode typed = image.putObject(name);
            switch (value.type()) {
                case S -> typed.put("S", value.s());
                case N -> typed.put("N", value.n());
                case BOOL -> typed.put("BOOL", value.bool());
                default -> throw new IllegalStateException("a device item holds no " + value.type());
            }
        });
        return image;
    }

    /**
     * The old image of an item written before token-ownership items existed (the sample's, without its token, so
     * no ownership item can be found for it), under the device's key and endpoint.
     */
    private static ObjectNode legacyImage(Registered device) throws Exception {
        ObjectNode image = (ObjectNode) Json.MAPPER.readTree(Files.readString(SAMPLE)).path("Records").get(0)
                .path("dynamodb").path("OldImage").deepCopy();
        image.remove("token");
        ((ObjectNode) image.path("deviceId")).put("S", device.deviceId());
        ((ObjectNode) image.path("endpointArn")).put("S", device.endpointArn());
        return image;
    }

    /** The stream record of the device's removal, by the TTL process unless {@code identity} says otherwise. */
    private static JsonNode record(Registered device, ObjectNode oldImage, String sequenceNumber,
                                   Map<String, String> identity) throws Exception {
        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(Files.readString(SAMPLE)).path("Records").get(0).deepCopy();
        ObjectNode dynamodb = (ObjectNode) record.path("dynamodb");
        ((ObjectNode) dynamodb.path("Keys").path("deviceId")).put("S", device.deviceId());
        dynamodb.set("OldImage", oldImage);
        dynamodb.put("SequenceNumber", sequenceNumber);
        if (identity == APPLICATION_DELETE) {
            record.remove("userIdentity");
        }
        return record;
    }

    private static TokenOwner owner(Registered device) {
        return new DeviceTable(LocalDevices.DYNAMODB, LocalDevices.DEVICES_TABLE)
                .owner(Platform.APNS, DeviceRecord.tokenHash(Platform.APNS, device.token())).orElseThrow();
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
        ObjectNode image = expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(device, image, "100", null)));

        // then: the endpoint is gone and the token is free, with nothing left to retire
        assertEquals(List.of(), failedRecords(answer));
        assertFalse(endpointExists(device.endpointArn()));
        assertNull(owner(device).ownerId());
        assertEquals(Set.of(), owner(device).retiring());
    }

    @Test
    void handle_shouldKeepTheEndpoint_whenAReinstallTookTheTokenOverBeforeTheCleanupRan() throws Exception {
        // given: the device expires, then the app, reinstalled, registers the same token under a new id (SNS
        // hands it the same endpoint) before the removal reaches the cleanup
        String token = apnsToken();
        Registered expired = register(token);
        ObjectNode image = expire(expired);
        Registered reinstall = register(token);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(expired, image, "150", null)));

        // then: the reinstall keeps its endpoint and its ownership
        assertEquals(List.of(), failedRecords(answer));
        assertEquals(expired.endpointArn(), reinstall.endpointArn(), "the premise: SNS reuses the endpoint");
        assertTrue(endpointExists(reinstall.endpointArn()));
        assertEquals(reinstall.deviceId(), owner(reinstall).ownerId());
        assertEquals(reinstall.endpointArn(), owner(reinstall).endpointArn());
    }

    @Test
    void handle_shouldSucceed_whenTheSameRemovalIsDeliveredAgain() throws Exception {
        // given: a removal already applied
        Registered device = register(apnsToken());
        ObjectNode image = expire(device);
        LocalDevices.invoke(cleanup, event(record(device, image, "200", null)));

        // when
        byte[] again = LocalDevices.invoke(cleanup, event(record(device, image, "200", null)));

        // then
        assertEquals(List.of(), failedRecords(again));
        assertFalse(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldKeepTheEndpoint_whenTheApplicationDeletedTheItem() throws Exception {
        // given: a delete that is not the TTL's (the device API deletes the endpoint itself when it deletes)
        Registered device = register(apnsToken());
        ObjectNode image = expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(device, image, "300", APPLICATION_DELETE)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertTrue(endpointExists(device.endpointArn()));
    }

    @Test
    void handle_shouldKeepTheEndpoint_whenALiveDeviceStillUsesIt() throws Exception {
        // given: an item from before token ownership, whose endpoint another installation's item shares
        String token = apnsToken();
        Registered old = register(token);
        String live = deviceId();
        LocalDevices.DYNAMODB.putItem(b -> b.tableName(LocalDevices.DEVICES_TABLE).item(Map.of(
                "deviceId", AttributeValue.fromS(live), "endpointArn", AttributeValue.fromS(old.endpointArn()),
                "platform", AttributeValue.fromS("APNS"))));
        expire(old);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(old, legacyImage(old), "400", null)));

        // then
        assertEquals(List.of(), failedRecords(answer));
        assertTrue(endpointExists(old.endpointArn()));
    }

    @Test
    void handle_shouldLeaveTheEndpointAlone_whenTheRemovedItemIsNoDevice() throws Exception {
        // given: an item of the table under a key no device id can have (e.g. a token-ownership item) expires
        Registered device = register(apnsToken());
        Registered other = new Registered("token#" + device.deviceId(), device.token(), device.endpointArn());
        expire(device);

        // when
        byte[] answer = LocalDevices.invoke(cleanup, event(record(other, legacyImage(other), "450", null)));

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
        ObjectNode firstImage = expire(first);
        ObjectNode secondImage = expire(second);

        // when
        byte[] answer = LocalDevices.invoke(broken, event(record(first, firstImage, "500", null),
                record(second, secondImage, "501", null)));

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
