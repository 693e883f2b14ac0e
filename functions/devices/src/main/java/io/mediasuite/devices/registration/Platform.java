package io.mediasuite.devices.registration;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The push services a device can register with, with what each accepts as a device token and the key its
 * payload goes under in an SNS {@code MessageStructure=json} message.
 */
public enum Platform {

    /** Apple Push Notification service, production. */
    APNS("APNS", "APNS"),
    /** Apple Push Notification service, development builds. */
    APNS_SANDBOX("APNS_SANDBOX", "APNS_SANDBOX"),
    /** Firebase Cloud Messaging; SNS still calls the platform and the payload key GCM. */
    FCM("GCM", "GCM");

    /**
     * APNs device tokens are opaque bytes sent as hex: 32 bytes (64 digits) today, and Apple warns they may grow,
     * so up to 200 digits are accepted. SNS reports them back in lower case, so they are stored that way.
     */
    private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-f]{64,200}");

    /**
     * FCM registration tokens are URL-safe text (letters, digits, '-', '_', and ':' between the instance id and
     * the rest), about 150-180 characters in practice; 100-4096 leaves room without accepting junk.
     */
    private static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:\\-]{100,4096}");

    private final String snsPlatform;
    private final String payloadKey;

    Platform(String snsPlatform, String payloadKey) {
        this.snsPlatform = snsPlatform;
        this.payloadKey = payloadKey;
    }

    /** The platform name inside platform application ARNs ({@code app/<name>/...}). */
    public String snsPlatform() {
        return snsPlatform;
    }

    /** The key of this platform's payload in a {@code MessageStructure=json} message. */
    public String payloadKey() {
        return payloadKey;
    }

    /** Parses an API value (exact, upper case). */
    public static Optional<Platform> parse(String value) {
        for (Platform platform : values()) {
            if (platform.name().equals(value)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }

    /** The token in the form SNS stores it (APNs: lower-case hex), or empty when it is not a valid token. */
    public Optional<String> normalizeToken(String token) {
        if (this == FCM) {
            return FCM_TOKEN.matcher(token).matches() ? Optional.of(token) : Optional.empty();
        }
        String lower = token.toLowerCase(Locale.ROOT);
        return lower.length() % 2 == 0 && APNS_TOKEN.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    /** Why a token is rejected, as a public field message. */
    public String tokenRule() {
        return this == FCM
                ? "must be an FCM registration token: 100 to 4096 characters of A-Z, a-z, 0-9, '-', '_' or ':'"
                : "must be an APNs device token: an even number (64 to 200) of hexadecimal digits";
    }

    /** Whether two tokens of this platform are the same (APNs hex is case-insensitive). */
    public boolean sameToken(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return this == FCM ? a.equals(b) : a.equalsIgnoreCase(b);
    }
}
