package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.DEVICES_TABLE;
import static io.mediasuite.devices.LocalDevices.DYNAMODB;
import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ConfigReader;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.Platform;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import io.mediasuite.devices.registration.TokenOwner;
import io.mediasuite.devices.registration.TokenOwnership;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * {@link TokenOwnership#releaseGone}: what the clean-up of a device that DynamoDB's TTL removed must do with its
 * token and endpoint, and must not do when the token or the installation came back meanwhile.
 */
class TokenReleaseTest {

    private final DeviceApiHandler devices = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
    private final DeviceTable table = new DeviceTable(DYNAMODB, DEVICES_TABLE);
    private final TokenOwnership ownership = new TokenOwnership(table, new PlatformEndpoints(SNS,
            PlatformApplications.from(new ConfigReader(LocalDevices.DEVICE_API_ENV))), Clock.systemUTC());

    /** Registers an installation, then removes its item the way TTL does (a plain delete), and returns it. */
    private DeviceRecord registerThenExpire(String id, String token) {
        call(devices, deviceRequest("PUT", id, "{\"platform\":\"APNS\",\"token\":\"" + token + "\"}"));
        DeviceRecord device = table.get(id).orElseThrow();
        DYNAMODB.deleteItem(b -> b.tableName(DEVICES_TABLE).key(Map.of("deviceId", AttributeValue.fromS(id))));
        return device;
    }

    private static Map<String, AttributeValue> owner(String token) {
        return item(TokenOwner.key(Platform.APNS, DeviceRecord.tokenHash(Platform.APNS, token)));
    }

    @Test
    void releaseGone_shouldDeleteTheEndpointAndReleaseTheToken_whenTheExpiredDeviceStillOwnedIt() {
        // given
        String token = apnsToken();
        DeviceRecord expired = registerThenExpire(deviceId(), token);

        // when
        boolean released = ownership.releaseGone(expired);

        // then
        assertTrue(released);
        assertThrows(NotFoundException.class, () -> SNS.getEndpointAttributes(b -> b.endpointArn(expired.endpointArn())));
        Map<String, AttributeValue> owner = owner(token);
        assertFalse(owner.containsKey("ownerId") || owner.containsKey("retiring"), owner.toString());
        assertTrue(owner.containsKey("expiresAt"), "a released ownership item expires");
    }

    @Test
    void releaseGone_shouldLeaveTheEndpoint_whenAnotherInstallationTookTheTokenMeanwhile() {
        // given: the app was reinstalled before the clean-up ran
        String token = apnsToken();
        DeviceRecord expired = registerThenExpire(deviceId(), token);
        String newId = deviceId();
        String arn = body(call(devices, deviceRequest("PUT", newId, "{\"platform\":\"APNS\",\"token\":\"" + token
                + "\"}"))).path("endpointArn").asText();

        // when
        boolean released = ownership.releaseGone(expired);

        // then: the same endpoint (one per token) now belongs to the new installation and stays
        assertFalse(released);
        assertEquals(expired.endpointArn(), arn);
        assertEquals("true", SNS.getEndpointAttributes(b -> b.endpointArn(arn)).attributes().get("Enabled"));
        assertEquals(newId, owner(token).get("ownerId").s());
    }

    @Test
    void releaseGone_shouldChangeNothing_whenTheSameInstallationRegisteredAgain() {
        // given
        String id = deviceId();
        String token = apnsToken();
        DeviceRecord expired = registerThenExpire(id, token);
        call(devices, deviceRequest("PUT", id, "{\"platform\":\"APNS\",\"token\":\"" + token + "\"}"));
        Map<String, AttributeValue> before = owner(token);

        // when
        boolean released = ownership.releaseGone(expired);

        // then
        assertFalse(released);
        assertEquals(before, owner(token));
        assertEquals(expired.endpointArn(), item(id).get("endpointArn").s());
        SNS.getEndpointAttributes(b -> b.endpointArn(expired.endpointArn()));
    }
}
