package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsApplication;
import static io.mediasuite.devices.LocalDevices.apnsSandboxApplication;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.endpointsWithToken;
import static io.mediasuite.devices.LocalDevices.fcmApplication;
import static io.mediasuite.devices.LocalDevices.fcmToken;
import static io.mediasuite.devices.LocalDevices.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.Platform;
import io.mediasuite.devices.registration.TokenOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Every branch of the registration algorithm, end to end through {@link DeviceApiHandler} built from the
 * function's template environment, against DynamoDB Local and moto. The AWS calls each path makes are counted
 * on the handler's own clients by {@link AwsCallRecorder}.
 */
class DeviceApiHandlerTest {

    private static final String GET_ITEM = "DynamoDb.GetItem";
    private static final String PUT_ITEM = "DynamoDb.PutItem";
    private static final String UPDATE_ITEM = "DynamoDb.UpdateItem";
    private static final String TRANSACT = "DynamoDb.TransactWriteItems";
    private static final String CREATE = "Sns.CreatePlatformEndpoint";
    private static final String GET_ATTRIBUTES = "Sns.GetEndpointAttributes";
    private static final String SET_ATTRIBUTES = "Sns.SetEndpointAttributes";
    private static final String DELETE_ENDPOINT = "Sns.DeleteEndpoint";

    private final DeviceApiHandler handler = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);

    @AfterEach
    void clearHook() {
        AwsCallRecorder.clearHook();
    }

    private APIGatewayProxyResponseEvent put(String deviceId, String body) {
        return call(handler, deviceRequest("PUT", deviceId, body));
    }

    private static String apns(String token) {
        return "{\"platform\":\"APNS\",\"token\":\"" + token + "\",\"userId\":\"u-42\",\"locale\":\"fr-FR\","
                + "\"appVersion\":\"3.2.0\",\"location\":{\"lat\":48.85661,\"lon\":2.35222}}";
    }

    /** A token's ownership item (empty when it has none). */
    private static Map<String, AttributeValue> ownerItem(String platform, String token) {
        Platform parsed = Platform.valueOf(platform);
        return item(TokenOwner.key(parsed, DeviceRecord.tokenHash(parsed, token)));
    }

    private static Map<String, String> endpoint(String arn) {
        return SNS.getEndpointAttributes(b -> b.endpointArn(arn)).attributes();
    }

    @Test
    void put_shouldCreateEndpointAndItem_whenTheDeviceIsNew() {
        // given
        String id = deviceId();
        String token = apnsToken();
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then
        assertEquals(201, response[0].getStatusCode(), response[0].getBody());
        JsonNode device = body(response[0]);
        assertEquals(id, device.path("deviceId").asText());
        assertEquals("APNS", device.path("platform").asText());
        assertTrue(device.path("enabled").asBoolean());
        assertFalse(device.has("token"), "the token is never returned");
        assertEquals(48.86, device.path("location").path("lat").asDouble(), "stored coarse");
        String arn = device.path("endpointArn").asText();
        assertEquals(List.of(arn), endpointsWithToken(apnsApplication(), token));
        assertEquals("true", endpoint(arn).get("Enabled"));
        Map<String, AttributeValue> item = item(id);
        assertEquals(arn, item.get("endpointArn").s());
        assertEquals("u0", item.get("geohash").s().substring(0, 2));
        assertTrue(item.get("geoCell").s().matches(item.get("geohash").s().substring(0, 3) + "#[0-7]"));
        assertTrue(Long.parseLong(item.get("expiresAt").n()) > java.time.Instant.now().plusSeconds(80L * 86400).getEpochSecond());
        assertEquals(List.of(GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT), calls);
        Map<String, AttributeValue> owner = ownerItem("APNS", token);
        assertEquals(id, owner.get("ownerId").s());
        assertEquals(arn, owner.get("ownerEndpoint").s());
    }

    @Test
    void put_shouldCostOneReadAndOneGetEndpointAttributes_whenNothingChanged() {
        // given
        String id = deviceId();
        String token = apnsToken();
        APIGatewayProxyResponseEvent first = put(id, apns(token));
        Map<String, AttributeValue> before = item(id);
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then: exactly the two calls, no write, and the same answer
        assertEquals(List.of(GET_ITEM, GET_ATTRIBUTES), calls);
        assertEquals(200, response[0].getStatusCode());
        assertEquals(body(first).path("endpointArn"), body(response[0]).path("endpointArn"));
        assertEquals(body(first).path("updatedAt"), body(response[0]).path("updatedAt"));
        assertEquals(before, item(id));
    }

    @Test
    void put_shouldMoveToTheNewTokensEndpointAndRetireTheOld_whenTheTokenRotated() {
        // given
        String id = deviceId();
        String oldToken = apnsToken();
        String oldArn = body(put(id, apns(oldToken))).path("endpointArn").asText();
        String rotated = apnsToken();
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(rotated)));

        // then: an endpoint per token; the old one is deleted and its token released
        assertEquals(200, response[0].getStatusCode());
        String arn = body(response[0]).path("endpointArn").asText();
        assertNotEquals(oldArn, arn);
        assertEquals(rotated, endpoint(arn).get("Token"));
        assertThrows(NotFoundException.class, () -> endpoint(oldArn));
        assertEquals(rotated, item(id).get("token").s());
        assertEquals("2", item(id).get("version").n());
        assertEquals(id, ownerItem("APNS", rotated).get("ownerId").s());
        Map<String, AttributeValue> released = ownerItem("APNS", oldToken);
        assertFalse(released.containsKey("ownerId"), "old token released: " + released);
        assertFalse(released.containsKey("retiring"), "old endpoint deleted and forgotten: " + released);
        assertTrue(released.containsKey("expiresAt"), "a released ownership item expires");
        assertEquals(List.of(GET_ITEM, GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT, DELETE_ENDPOINT,
                UPDATE_ITEM), calls);
    }

    @Test
    void put_shouldReenableTheEndpoint_whenItWasDisabledOutOfBand() {
        // given: SNS disabled the endpoint (APNs said the token was invalid, the app was reinstalled...)
        String id = deviceId();
        String token = apnsToken();
        String arn = body(put(id, apns(token))).path("endpointArn").asText();
        SNS.setEndpointAttributes(b -> b.endpointArn(arn).attributes(Map.of("Enabled", "false")));
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then: enabled again with the latest token; the item already said enabled, so no write
        assertEquals(200, response[0].getStatusCode());
        assertEquals("true", endpoint(arn).get("Enabled"));
        assertEquals(token, endpoint(arn).get("Token"));
        assertEquals(List.of(GET_ITEM, GET_ATTRIBUTES, SET_ATTRIBUTES), calls);
    }

    @Test
    void put_shouldCreateAFreshEndpoint_whenTheStoredOneWasDeletedOutOfBand() {
        // given
        String id = deviceId();
        String token = apnsToken();
        String deleted = body(put(id, apns(token))).path("endpointArn").asText();
        SNS.deleteEndpoint(b -> b.endpointArn(deleted));
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then
        assertEquals(200, response[0].getStatusCode());
        String arn = body(response[0]).path("endpointArn").asText();
        assertNotEquals(deleted, arn);
        assertEquals(List.of(arn), endpointsWithToken(apnsApplication(), token));
        assertEquals(arn, item(id).get("endpointArn").s());
        assertEquals(List.of(GET_ITEM, GET_ATTRIBUTES, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT), calls);
    }

    @Test
    void put_shouldAdoptTheExistingEndpoint_whenSnsSaysTheTokenExistsWithDifferentAttributes() {
        // given: an endpoint for the token made elsewhere (older app version with CustomUserData), now disabled
        String id = deviceId();
        String token = apnsToken();
        String existing = SNS.createPlatformEndpoint(b -> b.platformApplicationArn(apnsApplication()).token(token)
                .customUserData("legacy-v1")).endpointArn();
        SNS.setEndpointAttributes(b -> b.endpointArn(existing).attributes(Map.of("Enabled", "false")));
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then: the ARN is recovered from SNS's InvalidParameter message and the endpoint re-enabled
        assertEquals(201, response[0].getStatusCode(), response[0].getBody());
        assertEquals(existing, body(response[0]).path("endpointArn").asText());
        assertEquals(List.of(existing), endpointsWithToken(apnsApplication(), token));
        assertEquals("true", endpoint(existing).get("Enabled"));
        assertEquals(List.of(GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, SET_ATTRIBUTES, TRANSACT), calls);
    }

    @Test
    void put_shouldEndWithOneEndpointAndOneItem_whenAnotherFirstRegistrationWinsTheRace() {
        // given: a second request for the same new device lands right before this one's conditional insert
        String id = deviceId();
        String token = apnsToken();
        DeviceApiHandler rival = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
        APIGatewayProxyResponseEvent[] rivalResponse = new APIGatewayProxyResponseEvent[1];
        AwsCallRecorder.beforeNext(TRANSACT, () -> rivalResponse[0] = call(rival, deviceRequest("PUT", id, apns(token))));
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(id, apns(token)));

        // then: the rival created the device; this request lost the insert, read again, and found it done
        assertEquals(201, rivalResponse[0].getStatusCode());
        assertEquals(200, response[0].getStatusCode());
        String arn = body(rivalResponse[0]).path("endpointArn").asText();
        assertEquals(arn, body(response[0]).path("endpointArn").asText());
        assertEquals(List.of(arn), endpointsWithToken(apnsApplication(), token));
        assertEquals("1", item(id).get("version").n());
        assertEquals(List.of(
                GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT, // this request, up to its claim...
                GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT, // ...where the rival runs and wins
                GET_ITEM, GET_ATTRIBUTES), calls);                    // claim lost; fresh pass: steady state
    }

    @Test
    void put_shouldEndWithOneEndpointAndOneItem_whenManyFirstRegistrationsRunAtOnce() throws Exception {
        // given
        String id = deviceId();
        String token = fcmToken();
        String body = "{\"platform\":\"FCM\",\"token\":\"" + token + "\"}";
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();

        // when
        try (ExecutorService executor = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                DeviceApiHandler racer = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
                futures.add(executor.submit(() -> {
                    start.await();
                    return call(racer, deviceRequest("PUT", id, body));
                }));
            }
            start.countDown();
        }

        // then
        List<Integer> statuses = new ArrayList<>();
        for (Future<APIGatewayProxyResponseEvent> future : futures) {
            statuses.add(future.get().getStatusCode());
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "statuses " + statuses);
        assertEquals(racers - 1, statuses.stream().filter(s -> s == 200).count(), "statuses " + statuses);
        List<String> endpoints = endpointsWithToken(fcmApplication(), token);
        assertEquals(1, endpoints.size(), "endpoints " + endpoints);
        assertEquals(endpoints.getFirst(), item(id).get("endpointArn").s());
    }

    @Test
    void put_shouldRetireTheOldInstallation_whenItsTokenShowsUpUnderANewDeviceId() {
        // given: the app was reinstalled; the OS kept the token, the app made a new installation id
        String oldId = deviceId();
        String newId = deviceId();
        String token = apnsToken();
        String arn = body(put(oldId, apns(token))).path("endpointArn").asText();
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];

        // when
        List<String> calls = AwsCallRecorder.record(() -> response[0] = put(newId, apns(token)));

        // then: one endpoint, one item, held by the new installation
        assertEquals(201, response[0].getStatusCode());
        assertEquals(arn, body(response[0]).path("endpointArn").asText());
        assertTrue(item(oldId) == null || item(oldId).isEmpty(), "old installation still stored");
        assertEquals(404, call(handler, deviceRequest("GET", oldId, null)).getStatusCode());
        assertEquals(List.of(arn), endpointsWithToken(apnsApplication(), token));
        assertEquals(List.of(GET_ITEM, GET_ITEM, GET_ITEM, CREATE, GET_ATTRIBUTES, TRANSACT), calls);
        assertEquals(newId, ownerItem("APNS", token).get("ownerId").s());
    }

    @Test
    void put_shouldTakeTheTokensEndpointAndRetireTheOtherDevice_whenARotatedTokenWasHeldByAnotherDevice() {
        // given: two installations; the second's token rotates to the one the first holds
        String firstId = deviceId();
        String secondId = deviceId();
        String shared = apnsToken();
        String firstArn = body(put(firstId, apns(shared))).path("endpointArn").asText();
        String secondArn = body(put(secondId, apns(apnsToken()))).path("endpointArn").asText();

        // when
        APIGatewayProxyResponseEvent response = put(secondId, apns(shared));

        // then: the phone keeps one endpoint, the token's; the first installation and the second's old endpoint go
        assertEquals(200, response.getStatusCode());
        assertEquals(firstArn, body(response).path("endpointArn").asText());
        assertTrue(item(firstId) == null || item(firstId).isEmpty());
        assertThrows(NotFoundException.class, () -> endpoint(secondArn));
        assertEquals(shared, endpoint(firstArn).get("Token"));
        assertEquals(secondId, ownerItem("APNS", shared).get("ownerId").s());
    }

    @Test
    void put_shouldMoveToTheOtherPlatformApplication_whenTheDeviceChangesPlatform() {
        // given: a development build registered in the sandbox, then the App Store build on the same install
        String id = deviceId();
        String sandboxToken = apnsToken();
        String sandboxArn = body(put(id, "{\"platform\":\"APNS_SANDBOX\",\"token\":\"" + sandboxToken + "\"}"))
                .path("endpointArn").asText();
        String token = apnsToken();

        // when
        APIGatewayProxyResponseEvent response = put(id, apns(token));

        // then
        assertEquals(200, response.getStatusCode());
        String arn = body(response).path("endpointArn").asText();
        assertTrue(arn.contains(":endpoint/APNS/"), arn);
        assertThrows(NotFoundException.class, () -> endpoint(sandboxArn));
        assertTrue(endpointsWithToken(apnsSandboxApplication(), sandboxToken).isEmpty());
        assertEquals("APNS", item(id).get("platform").s());
    }

    @Test
    void put_shouldRemoveTheLocation_whenTheAppNoLongerSendsOne() {
        // given
        String id = deviceId();
        String token = apnsToken();
        put(id, apns(token));

        // when
        APIGatewayProxyResponseEvent response = put(id, "{\"platform\":\"APNS\",\"token\":\"" + token + "\"}");

        // then
        assertEquals(200, response.getStatusCode());
        Map<String, AttributeValue> item = item(id);
        assertNull(item.get("lat"));
        assertNull(item.get("geohash"));
        assertNull(item.get("geoCell"));
        assertTrue(body(response).path("location").isMissingNode());
    }

    @Test
    void put_shouldRewriteTheExpiryOnce_whenTheLastWriteIsOverADayOld() {
        // given: registered two days ago, unchanged since
        String id = deviceId();
        String token = apnsToken();
        java.time.Clock twoDaysAgo = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(-2));
        call(new DeviceApiHandler(DeviceApiHandler.registryFrom(LocalDevices.DEVICE_API_ENV, twoDaysAgo)),
                deviceRequest("PUT", id, apns(token)));
        long oldExpiry = Long.parseLong(item(id).get("expiresAt").n());

        // when
        List<String> refresh = AwsCallRecorder.record(() -> put(id, apns(token)));
        List<String> next = AwsCallRecorder.record(() -> put(id, apns(token)));

        // then: one write moves the expiry forward by the two days; the next open is write-free again
        assertEquals(List.of(GET_ITEM, GET_ATTRIBUTES, PUT_ITEM), refresh);
        assertEquals(List.of(GET_ITEM, GET_ATTRIBUTES), next);
        long newExpiry = Long.parseLong(item(id).get("expiresAt").n());
        assertEquals(2 * 86400, newExpiry - oldExpiry, 5);
    }

    @Test
    void get_shouldReturnTheDeviceWithoutItsToken_whenRegistered() {
        // given
        String id = deviceId();
        put(id, apns(apnsToken()));

        // when
        APIGatewayProxyResponseEvent response = call(handler, deviceRequest("GET", id, null));

        // then
        assertEquals(200, response.getStatusCode());
        JsonNode device = body(response);
        assertEquals(id, device.path("deviceId").asText());
        assertEquals("u-42", device.path("userId").asText());
        assertEquals("fr-FR", device.path("locale").asText());
        assertFalse(device.has("token"));
        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
    }

    @Test
    void get_shouldAnswer404_whenTheDeviceIsUnknown() {
        // given / when
        APIGatewayProxyResponseEvent response = call(handler, deviceRequest("GET", deviceId(), null));

        // then
        assertEquals(404, response.getStatusCode());
        assertEquals("not_found", body(response).path("error").path("code").asText());
    }

    @Test
    void delete_shouldRemoveItemAndEndpoint_andStaySuccessful_whenRepeated() {
        // given
        String id = deviceId();
        String arn = body(put(id, apns(apnsToken()))).path("endpointArn").asText();

        // when
        APIGatewayProxyResponseEvent first = call(handler, deviceRequest("DELETE", id, null));
        List<String> calls = AwsCallRecorder.record(() -> assertEquals(204,
                call(handler, deviceRequest("DELETE", id, null)).getStatusCode()));

        // then
        assertEquals(204, first.getStatusCode());
        assertThrows(NotFoundException.class, () -> endpoint(arn));
        assertEquals(404, call(handler, deviceRequest("GET", id, null)).getStatusCode());
        assertEquals(List.of(GET_ITEM), calls, "deleting nothing reads once and stops");
    }

    @Test
    void delete_shouldReleaseTheTokenWithTheItemBeforeDeletingTheEndpoint_whenTheDeviceExists() {
        // given
        String id = deviceId();
        String token = apnsToken();
        put(id, apns(token));

        // when
        List<String> calls = AwsCallRecorder.record(() -> call(handler, deviceRequest("DELETE", id, null)));

        // then: device and ownership in one transaction, then the endpoint, then it leaves the retiring list
        assertEquals(List.of(GET_ITEM, GET_ITEM, TRANSACT, DELETE_ENDPOINT, UPDATE_ITEM), calls);
        Map<String, AttributeValue> released = ownerItem("APNS", token);
        assertFalse(released.containsKey("ownerId") || released.containsKey("retiring"), released.toString());
    }

    @Test
    void post_shouldAnswer405_whenTheMethodIsNotARegistrationMethod() {
        // given / when
        APIGatewayProxyResponseEvent response = call(handler, deviceRequest("POST", deviceId(), "{}"));

        // then
        assertEquals(405, response.getStatusCode());
    }

    static Stream<Arguments> invalidRegistrations() {
        String token = "a".repeat(64);
        String fcm = "f".repeat(152);
        return Stream.of(
                Arguments.of("no body", null, "body", "is required"),
                Arguments.of("not JSON", "{platform:", "body", "must be a valid JSON document"),
                Arguments.of("not an object", "[1,2]", "body", "must be a JSON object"),
                Arguments.of("too large", "{\"platform\":\"APNS\",\"token\":\"" + token + "\",\"userId\":\""
                        + "x".repeat(9000) + "\"}", "body", "must be at most 8192 bytes"),
                Arguments.of("missing platform", "{\"token\":\"" + token + "\"}", "platform", "is required"),
                Arguments.of("unknown platform", "{\"platform\":\"WNS\",\"token\":\"" + token + "\"}", "platform",
                        "must be one of APNS, APNS_SANDBOX, FCM"),
                Arguments.of("platform in lower case", "{\"platform\":\"apns\",\"token\":\"" + token + "\"}",
                        "platform", "must be one of APNS, APNS_SANDBOX, FCM"),
                Arguments.of("platform not a string", "{\"platform\":1,\"token\":\"" + token + "\"}", "platform",
                        "must be a string"),
                Arguments.of("missing token", "{\"platform\":\"APNS\"}", "token", "is required"),
                Arguments.of("APNs token not hex", "{\"platform\":\"APNS\",\"token\":\"" + "g".repeat(64) + "\"}",
                        "token", "must be an APNs device token: an even number (64 to 200) of hexadecimal digits"),
                Arguments.of("APNs token too short", "{\"platform\":\"APNS_SANDBOX\",\"token\":\"" + "a".repeat(62)
                        + "\"}", "token", "must be an APNs device token: an even number (64 to 200) of hexadecimal digits"),
                Arguments.of("APNs token odd length", "{\"platform\":\"APNS\",\"token\":\"" + "a".repeat(65) + "\"}",
                        "token", "must be an APNs device token: an even number (64 to 200) of hexadecimal digits"),
                Arguments.of("FCM token with a space", "{\"platform\":\"FCM\",\"token\":\"" + fcm.substring(1) + " \"}",
                        "token", "must be an FCM registration token: 100 to 4096 characters of A-Z, a-z, 0-9, '-', '_' or ':'"),
                Arguments.of("FCM token too short", "{\"platform\":\"FCM\",\"token\":\"" + "f".repeat(99) + "\"}",
                        "token", "must be an FCM registration token: 100 to 4096 characters of A-Z, a-z, 0-9, '-', '_' or ':'"),
                Arguments.of("latitude above 90", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":90.5,\"lon\":0}}", "location.lat", "must be between -90 and 90"),
                Arguments.of("latitude below -90", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":-91,\"lon\":0}}", "location.lat", "must be between -90 and 90"),
                Arguments.of("longitude above 180", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":0,\"lon\":180.01}}", "location.lon", "must be between -180 and 180"),
                Arguments.of("longitude below -180", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":0,\"lon\":-181}}", "location.lon", "must be between -180 and 180"),
                Arguments.of("latitude as a string", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":\"48.8\",\"lon\":2}}", "location.lat", "must be a number"),
                Arguments.of("longitude missing", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":{\"lat\":48.8}}", "location.lon", "is required"),
                Arguments.of("location not an object", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"location\":[48.8,2.3]}", "location", "must be an object"),
                Arguments.of("userId with a space", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"userId\":\"a b\"}", "userId", "must be 1 to 128 letters, digits or . _ @ : + -"),
                Arguments.of("locale malformed", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"locale\":\"en_US\"}", "locale", "must be a language tag such as en or pt-BR"),
                Arguments.of("appVersion too long", "{\"platform\":\"FCM\",\"token\":\"" + fcm
                        + "\",\"appVersion\":\"" + "1".repeat(33) + "\"}", "appVersion",
                        "must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '+', '_' or '-'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegistrations")
    void put_shouldAnswer400NamingTheField_whenTheRequestIsInvalid(String name, String requestBody, String field,
                                                                    String message) {
        // given
        String id = deviceId();

        // when
        List<String> calls = new ArrayList<>();
        APIGatewayProxyResponseEvent[] response = new APIGatewayProxyResponseEvent[1];
        calls.addAll(AwsCallRecorder.record(() -> response[0] = put(id, requestBody)));

        // then
        assertEquals(400, response[0].getStatusCode(), response[0].getBody());
        JsonNode error = body(response[0]).path("error");
        assertEquals("bad_request", error.path("code").asText());
        List<String> fields = new ArrayList<>();
        error.path("fields").forEach(f -> fields.add(f.path("field").asText() + ": " + f.path("message").asText()));
        assertTrue(fields.contains(field + ": " + message), "fields " + fields);
        assertTrue(calls.isEmpty(), "an invalid request touches nothing: " + calls);
    }

    @Test
    void put_shouldListEveryInvalidField_whenSeveralAreWrong() {
        // given
        String requestBody = "{\"platform\":\"BLACKBERRY\",\"token\":\"\",\"location\":{\"lat\":100,\"lon\":-200}}";

        // when
        APIGatewayProxyResponseEvent response = put(deviceId(), requestBody);

        // then
        assertEquals(400, response.getStatusCode());
        List<String> fields = new ArrayList<>();
        body(response).path("error").path("fields").forEach(f -> fields.add(f.path("field").asText()));
        assertEquals(List.of("platform", "location.lat", "location.lon"), fields);
    }

    @Test
    void put_shouldAnswer400OnDeviceId_whenThePathIdIsMalformed() {
        // given / when
        APIGatewayProxyResponseEvent shortId = put("abc", apns(apnsToken()));
        APIGatewayProxyResponseEvent slash = put("abc/../../etc", apns(apnsToken()));

        // then
        for (APIGatewayProxyResponseEvent response : List.of(shortId, slash)) {
            assertEquals(400, response.getStatusCode());
            assertEquals("deviceId", body(response).path("error").path("fields").path(0).path("field").asText());
        }
    }
}
