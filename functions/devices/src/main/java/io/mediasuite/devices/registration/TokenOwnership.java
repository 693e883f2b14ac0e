package io.mediasuite.devices.registration;

import io.mediasuite.common.Log;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The steps that end a device's hold on its token, shared by the API's DELETE, the endpoint feedback and the
 * clean-up of expired devices: the device goes and its token's ownership item is released in one transaction
 * (its endpoint moves to the item's retiring list), then the endpoint is deleted from SNS and forgotten. See
 * {@link TokenOwner} for why an endpoint is only ever deleted from that list.
 */
public final class TokenOwnership {

    private final DeviceTable table;
    private final PlatformEndpoints endpoints;
    private final Clock clock;

    public TokenOwnership(DeviceTable table, PlatformEndpoints endpoints, Clock clock) {
        this.table = table;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /**
     * Removes a device as read, with its endpoint when it owns its token. False when the device changed or the
     * ownership moved since (a lost race: the caller reads again).
     */
    public boolean remove(DeviceRecord device) {
        Optional<TokenOwner> owner = table.owner(device.platform(), device.tokenHash())
                .filter(o -> o.ownedBy(device.deviceId(), device.endpointArn()));
        if (owner.isEmpty()) {
            // Not this device's token (an item written before ownership items existed): the item alone goes, and
            // its endpoint only if no ownership item knows it.
            if (!table.deleteIfUnchanged(device)) {
                return false;
            }
            if (device.rev() == null) {
                endpoints.delete(device.endpointArn());
            }
            return true;
        }
        Set<String> retiring = new HashSet<>(owner.get().retiring());
        retiring.add(device.endpointArn());
        if (!table.removeAndRelease(device, owner.get(), retiring, clock.instant())) {
            return false;
        }
        deleteRetired(owner.get(), retiring);
        return true;
    }

    /**
     * Releases the token of a device that is already gone from the table (expired by TTL, or removed by a send
     * that found its endpoint deleted), and deletes its endpoint, unless another installation took the token or
     * the device registered again meanwhile. Returns whether it released anything.
     */
    public boolean releaseGone(DeviceRecord gone) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            Optional<TokenOwner> owner = table.owner(gone.platform(), gone.tokenHash())
                    .filter(o -> o.ownedBy(gone.deviceId(), gone.endpointArn()));
            if (owner.isEmpty()) {
                return false;
            }
            Set<String> retiring = new HashSet<>(owner.get().retiring());
            retiring.add(gone.endpointArn());
            if (table.releaseGone(gone.deviceId(), owner.get(), retiring, clock.instant())) {
                deleteRetired(owner.get(), retiring);
                return true;
            }
        }
        return false;
    }

    /**
     * Deletes endpoints a committed write listed as retiring, then takes them off the list. Safe to repeat and to
     * run concurrently with anyone: they belong to nobody, and the next owner change deletes them anyway.
     */
    void deleteRetired(TokenOwner owner, Set<String> retiring) {
        if (retiring.isEmpty()) {
            return;
        }
        retiring.forEach(endpoints::delete);
        table.forgetRetired(owner, retiring);
        Log.info("endpoints retired", "token", owner.key(), "endpoints", retiring.size());
    }
}
