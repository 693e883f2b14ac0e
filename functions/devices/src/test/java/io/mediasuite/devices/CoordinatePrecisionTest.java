package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.proxy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Coordinates of any magnitude the API document allows get an answer, not a 500: numbers are read to nine
 * decimal places ({@link JsonBody#NUMBER_DECIMALS}), which keeps them inside DynamoDB's number range (a raw
 * {@code 1e-131} underflows it), then stored as documented (device locations rounded to 0.01 degree; a send's
 * centre as read).
 */
class CoordinatePrecisionTest {

    private final DeviceApiHandler devices = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
    private final NotificationApiHandler notifications = new NotificationApiHandler(LocalDevices.NOTIFICATION_API_ENV);

    @ParameterizedTest
    @ValueSource(strings = {"1e-131", "-1e-131", "4.9e-324", "1e-400", "-0.0", "0.0000000004999"})
    void put_shouldStoreZero_whenACoordinateIsBelowTheReadPrecision(String tiny) {
        // given
        String id = deviceId();
        String registration = "{\"platform\":\"APNS\",\"token\":\"" + apnsToken() + "\",\"location\":{\"lat\":"
                + tiny + ",\"lon\":" + tiny + "}}";

        // when
        APIGatewayProxyResponseEvent response = call(devices, deviceRequest("PUT", id, registration));

        // then
        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode location = body(response).path("location");
        assertEquals("0.0", location.path("lat").asText());
        assertEquals("0.0", location.path("lon").asText());
        assertEquals(location, body(call(devices, deviceRequest("GET", id, null))).path("location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-131", "-1e-131", "4.9e-324", "0.0000000004999"})
    void post_shouldAcceptTheSend_whenItsCentreIsBelowTheReadPrecision(String tiny) {
        // given / when: accepted, and its status shows the centre as read
        JsonNode near = sendAndReadCentre(tiny, tiny);

        // then
        assertEquals(0.0, near.path("lat").asDouble());
        assertEquals(0.0, near.path("lon").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"48.8566134999", "48.85661350001"})
    void post_shouldKeepNineDecimals_whenACentreHasMore(String lat) {
        // given / when
        JsonNode near = sendAndReadCentre(lat, "2.35");

        // then
        assertEquals(new BigDecimal(lat).setScale(9, RoundingMode.HALF_EVEN).doubleValue(), near.path("lat").asDouble());
    }

    /** POSTs a send around (lat, lon), expects 202, and returns the centre its status shows. */
    private JsonNode sendAndReadCentre(String lat, String lon) {
        String send = "{\"near\":{\"lat\":" + lat + ",\"lon\":" + lon + ",\"radiusKm\":1},"
                + "\"message\":{\"title\":\"t\",\"body\":\"b\"}}";
        APIGatewayProxyResponseEvent response = call(notifications,
                proxy("POST", "/notifications", "/notifications", null, send));
        assertEquals(202, response.getStatusCode(), response.getBody());
        String id = body(response).path("notificationId").asText();
        return body(call(notifications, proxy("GET", "/notifications/{notificationId}", "/notifications/" + id,
                Map.of("notificationId", id), null))).path("near");
    }
}
