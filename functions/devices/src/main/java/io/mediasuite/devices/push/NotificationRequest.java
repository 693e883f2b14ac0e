package io.mediasuite.devices.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.ApiException;
import io.mediasuite.devices.JsonBody;
import io.mediasuite.devices.registration.Platform;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /notifications}: send {@code message} to the devices within {@code radiusKm} of
 * ({@code lat}, {@code lon}), optionally only on some platforms.
 */
public record NotificationRequest(double lat, double lon, double radiusKm, Set<Platform> platforms,
                                  PushMessage message) {

    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Largest radius: about a country. Beyond it a send reads thousands of cells; split such campaigns. */
    public static final double MAX_RADIUS_KM = 1000.0;
    public static final double MIN_RADIUS_KM = 0.1;
    private static final int MAX_TITLE = 256;
    private static final int MAX_TEXT = 2048;
    private static final int MAX_DATA_KEYS = 32;
    private static final Pattern DATA_KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    public NotificationRequest {
        platforms = platforms == null || platforms.isEmpty() ? EnumSet.allOf(Platform.class) : EnumSet.copyOf(platforms);
    }

    /**
     * Validates a request body.
     *
     * @throws ApiException a 400 listing every invalid field
     */
    public static NotificationRequest parse(String bodyText) {
        JsonNode body = JsonBody.parseObject(bodyText, MAX_BODY_BYTES);
        JsonBody fields = new JsonBody();

        double lat = Double.NaN;
        double lon = Double.NaN;
        double radius = Double.NaN;
        JsonNode near = fields.requiredObject(body, "near", "near");
        if (near != null) {
            lat = fields.requiredNumber(near, "lat", "near.lat", -90, 90, "must be between -90 and 90");
            lon = fields.requiredNumber(near, "lon", "near.lon", -180, 180, "must be between -180 and 180");
            radius = fields.requiredNumber(near, "radiusKm", "near.radiusKm", MIN_RADIUS_KM, MAX_RADIUS_KM,
                    "must be between " + MIN_RADIUS_KM + " and " + (int) MAX_RADIUS_KM);
        }

        PushMessage message = null;
        JsonNode messageNode = fields.requiredObject(body, "message", "message");
        if (messageNode != null) {
            String title = text(fields, messageNode, "title", MAX_TITLE);
            String text = text(fields, messageNode, "body", MAX_TEXT);
            Map<String, String> data = data(fields, messageNode.get("data"));
            if (title != null && text != null && data != null) {
                message = new PushMessage(title, text, data);
                if (message.largestPlatformPayloadBytes() > PushMessage.MAX_PLATFORM_PAYLOAD_BYTES) {
                    fields.reject("message", "makes a push payload larger than "
                            + PushMessage.MAX_PLATFORM_PAYLOAD_BYTES + " bytes");
                }
            }
        }

        Set<Platform> platforms = platforms(fields, body.get("platforms"));
        fields.throwIfInvalid();
        return new NotificationRequest(lat, lon, radius, platforms, message);
    }

    private static String text(JsonBody fields, JsonNode message, String name, int max) {
        String value = fields.requiredString(message, name, "message." + name, null, null);
        if (value != null && (value.isBlank() || value.length() > max)) {
            fields.reject("message." + name, "must be 1 to " + max + " characters and not blank");
            return null;
        }
        return value;
    }

    private static Map<String, String> data(JsonBody fields, JsonNode node) {
        Map<String, String> data = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return data;
        }
        if (!node.isObject()) {
            fields.reject("message.data", "must be an object of string values");
            return null;
        }
        if (node.size() > MAX_DATA_KEYS) {
            fields.reject("message.data", "must have at most " + MAX_DATA_KEYS + " keys");
            return null;
        }
        boolean valid = true;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            if (!DATA_KEY.matcher(key).matches()) {
                fields.reject("message.data", "keys must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
                valid = false;
            } else if (reserved(key)) {
                // FCM rejects these keys and "aps" is Apple's own dictionary.
                fields.reject("message.data." + key, "is reserved by APNs or FCM");
                valid = false;
            } else if (!entry.getValue().isTextual()) {
                fields.reject("message.data." + key, "must be a string");
                valid = false;
            } else {
                data.put(key, entry.getValue().textValue());
            }
        }
        return valid ? data : null;
    }

    private static boolean reserved(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("aps") || lower.equals("from") || lower.equals("notification")
                || lower.equals("message_type") || lower.startsWith("google") || lower.startsWith("gcm");
    }

    private static Set<Platform> platforms(JsonBody fields, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.reject("platforms", "must be a non-empty array of APNS, APNS_SANDBOX, FCM");
            return null;
        }
        Set<Platform> platforms = EnumSet.noneOf(Platform.class);
        for (JsonNode item : node) {
            Platform platform = item.isTextual() ? Platform.parse(item.textValue()).orElse(null) : null;
            if (platform == null || !platforms.add(platform)) {
                fields.reject("platforms", "must list distinct values of APNS, APNS_SANDBOX, FCM");
                return null;
            }
        }
        return platforms;
    }
}
