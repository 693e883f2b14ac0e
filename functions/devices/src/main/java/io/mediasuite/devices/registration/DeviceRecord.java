package io.mediasuite.devices.registration;

import io.mediasuite.devices.geo.GeoIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * One registered app installation as stored in the devices table.
 *
 * @param location  coarse coordinates, or null when the app sent none
 * @param expiresAt epoch seconds after which DynamoDB TTL deletes the item (an installation not seen for the
 *                  retention period, and with it its location)
 * @param version   how many times the item was written (informational; the API does not show it)
 * @param rev       a random id renewed by every write: writes are conditional on the rev they read. Unlike a
 *                  counter it cannot repeat when a device is deleted and registered again, so a request that read
 *                  an earlier incarnation can never overwrite a later one.
 */
public record DeviceRecord(String deviceId, Platform platform, String token, String endpointArn, boolean enabled,
                           String userId, DeviceRegistration.Location location, String locale, String appVersion,
                           Instant createdAt, Instant updatedAt, long expiresAt, long version, String rev) {

    /** A fresh revision id for a write. */
    public static String newRev() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Whether this device holds {@code token} of {@code platform}. */
    public boolean holds(Platform otherPlatform, String otherToken) {
        return platform == otherPlatform && platform.sameToken(token, otherToken);
    }

    /**
     * The key of the token index: SHA-256 of platform and token, base64url. It keeps the index small and its keys
     * uniform whatever the token length, and a token can only be looked up by someone who already has it.
     */
    public static String tokenHash(Platform platform, String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(platform.name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ':');
            digest.update(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public String tokenHash() {
        return tokenHash(platform, token);
    }

    /** The geo index sort key, or null when the device has no location. */
    public String geohash() {
        return location == null ? null : GeoIndex.geohash(location.lat(), location.lon());
    }

    /**
     * The geo index partition key, or null: disabled devices leave the index (it is sparse), so a send never
     * reads them.
     */
    public String geoCell() {
        return location == null || !enabled ? null : GeoIndex.cellKey(geohash(), deviceId);
    }

    /** Whether the registration itself (everything but timestamps, expiry and version) is the same. */
    public boolean sameRegistrationAs(DeviceRecord other) {
        return platform == other.platform
                && Objects.equals(token, other.token)
                && Objects.equals(endpointArn, other.endpointArn)
                && enabled == other.enabled
                && Objects.equals(userId, other.userId)
                && Objects.equals(location, other.location)
                && Objects.equals(locale, other.locale)
                && Objects.equals(appVersion, other.appVersion);
    }
}
