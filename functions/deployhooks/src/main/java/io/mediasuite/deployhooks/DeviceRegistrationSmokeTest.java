package io.mediasuite.deployhooks;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Device API: registers a test installation against the APNs sandbox platform application (a real SNS endpoint
 * is created), reads it back, deletes it and checks it is gone. The device id and token are new on every run,
 * and the delete runs even when a read check fails, so nothing is left behind.
 */
final class DeviceRegistrationSmokeTest implements SmokeTest {

    static final String NAME = "device-registration";
    private static final String RESOURCE = "/devices/{deviceId}";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String deviceId = runId;
        String path = "/devices/" + deviceId;
        Map<String, String> parameters = Map.of("deviceId", deviceId);
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        String body = "{\"platform\":\"APNS_SANDBOX\",\"token\":\"" + HexFormat.of().formatHex(token)
                + "\",\"appVersion\":\"pretraffic\"}";

        target.call("PUT " + path, ProxyRequests.request("PUT", RESOURCE, path, parameters, body), 200, 201);
        try {
            target.call("GET " + path, ProxyRequests.request("GET", RESOURCE, path, parameters, null), 200);
        } finally {
            target.call("DELETE " + path, ProxyRequests.request("DELETE", RESOURCE, path, parameters, null), 204);
        }
        target.call("GET " + path + " after DELETE", ProxyRequests.request("GET", RESOURCE, path, parameters, null), 404);
    }
}
