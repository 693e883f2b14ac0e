package io.mediasuite.devices.registration;

import java.util.Set;

/**
 * Who owns a push token: the ownership item of one (platform, token) in the devices table, keyed
 * {@code token#<PLATFORM>#<token hash>} (a key no installation id can take, as ids never contain '#').
 *
 * <p>It is the single place that says which installation holds a token and which SNS endpoint delivers to it, and
 * every change of either is a transaction over this item and the device items concerned, conditional on the
 * {@code version} read. An endpoint leaves ownership through {@code retiring}: an endpoint is deleted from SNS
 * only after a committed write has put it there, and whoever next changes the item deletes what it finds there
 * before creating its own endpoint. So no request can pick up (through SNS's idempotent create) an endpoint that
 * someone else is about to delete, and no endpoint is forgotten between its retirement and its deletion.
 *
 * @param ownerId     the installation holding the token, or null when nobody does
 * @param endpointArn the token's endpoint, or null when nobody holds the token
 * @param retiring    endpoints of this token that are no longer owned and are (being) deleted
 * @param version     bumped by every ownership change; a new owner writes on the version it read
 */
public record TokenOwner(Platform platform, String tokenHash, String ownerId, String endpointArn,
                         Set<String> retiring, long version) {

    public TokenOwner {
        retiring = Set.copyOf(retiring);
    }

    /** The item key of a token's ownership item. */
    public static String key(Platform platform, String tokenHash) {
        return "token#" + platform.name() + "#" + tokenHash;
    }

    public String key() {
        return key(platform, tokenHash);
    }

    /** Whether {@code deviceId} owns the token through {@code endpoint}. */
    public boolean ownedBy(String deviceId, String endpoint) {
        return deviceId.equals(ownerId) && endpoint.equals(endpointArn);
    }
}
