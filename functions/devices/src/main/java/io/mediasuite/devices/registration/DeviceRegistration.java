package io.mediasuite.devices.registration;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.ApiException;
import io.mediasuite.devices.JsonBody;
import io.mediasuite.devices.geo.GeoIndex;
import java.util.regex.Pattern;

/**
 * A validated {@code PUT /devices/{deviceId}} request. PUT replaces the registration: an optional field that is
 * left out is removed (an app that cannot get a location this time stops being located, rather than keeping a
 * stale position).
 *
 * @param location coarse coordinates (see {@link GeoIndex#coarsen}), or null
 */
public record DeviceRegistration(String deviceId, Platform platform, String token, String userId,
                                 Location location, String locale, String appVersion) {

    /** Largest accepted body; a registration is a few hundred bytes, an FCM token at most 4 KB. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    /**
     * Installation ids: 8-128 URL-safe characters, so UUIDs (either case), Android ids and base64url ids fit.
     * They act as bearer identifiers for the device routes, so apps must generate them randomly.
     */
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    private static final Pattern USER_ID = Pattern.compile("[\\p{L}\\p{N}._@:+\\-]{1,128}");
    /** BCP 47 language tags, loosely: {@code en}, {@code pt-BR}, {@code zh-Hant-TW}. */
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");
    private static final Pattern APP_VERSION = Pattern.compile("[0-9A-Za-z.+_\\-]{1,32}");

    /** A location as stored: coordinates rounded to the stored grain. */
    public record Location(double lat, double lon) {
        public static Location coarse(double lat, double lon) {
            return new Location(GeoIndex.coarsen(lat), GeoIndex.coarsen(lon));
        }
    }

    /** Checks a device id from the path. */
    public static String validDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw ApiException.invalid("deviceId", "must be 8 to 128 characters of A-Z, a-z, 0-9, '-' or '_'");
        }
        return deviceId;
    }

    /**
     * Validates a request.
     *
     * @throws ApiException a 400 listing every invalid field
     */
    public static DeviceRegistration parse(String deviceId, String bodyText) {
        validDeviceId(deviceId);
        JsonNode body = JsonBody.parseObject(bodyText, MAX_BODY_BYTES);
        JsonBody fields = new JsonBody();

        Platform platform = null;
        String platformName = fields.requiredString(body, "platform", "platform", null, null);
        if (platformName != null) {
            platform = Platform.parse(platformName).orElse(null);
            if (platform == null) {
                fields.reject("platform", "must be one of APNS, APNS_SANDBOX, FCM");
            }
        }

        String token = fields.requiredString(body, "token", "token", null, null);
        if (token != null && platform != null) {
            String normalized = platform.normalizeToken(token).orElse(null);
            if (normalized == null) {
                fields.reject("token", platform.tokenRule());
            }
            token = normalized;
        }

        String userId = fields.optionalString(body, "userId", "userId", USER_ID,
                "must be 1 to 128 letters, digits or . _ @ : + -");
        String locale = fields.optionalString(body, "locale", "locale", LOCALE,
                "must be a language tag such as en or pt-BR");
        String appVersion = fields.optionalString(body, "appVersion", "appVersion", APP_VERSION,
                "must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '+', '_' or '-'");

        Location location = null;
        JsonNode locationNode = fields.optionalObject(body, "location", "location");
        if (locationNode != null) {
            double lat = fields.requiredNumber(locationNode, "lat", "location.lat", -90, 90,
                    "must be between -90 and 90");
            double lon = fields.requiredNumber(locationNode, "lon", "location.lon", -180, 180,
                    "must be between -180 and 180");
            if (!Double.isNaN(lat) && !Double.isNaN(lon)) {
                location = Location.coarse(lat, lon);
            }
        }

        fields.throwIfInvalid();
        return new DeviceRegistration(deviceId, platform, token, userId, location, locale, appVersion);
    }
}
