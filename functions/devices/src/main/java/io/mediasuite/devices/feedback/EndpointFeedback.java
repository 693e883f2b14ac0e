package io.mediasuite.devices.feedback;

import io.mediasuite.common.Log;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import io.mediasuite.devices.registration.TokenOwnership;
import java.time.Clock;
import java.util.Optional;

/**
 * Closes the loop from SNS back to the devices table, so sends stop reading devices that cannot receive.
 *
 * <ul>
 *   <li>EndpointDeleted: the devices pointing at the endpoint are removed.</li>
 *   <li>EndpointUpdated and DeliveryFailure: the endpoint's current state is read from SNS (events can arrive
 *       late and out of order; the live state cannot). Gone: removed. Disabled: marked disabled, which also takes
 *       the device out of the geo index. Enabled: nothing to do; only a registration, which knows the app's
 *       current token, ever re-enables a device.</li>
 *   <li>EndpointCreated and anything else: ignored (this service creates the endpoints itself).</li>
 * </ul>
 *
 * Every change is conditional on the device still pointing at the event's endpoint, so an event about an
 * endpoint the device has since replaced changes nothing; a removal also releases the device's token (see
 * {@link TokenOwnership}).
 */
public final class EndpointFeedback {

    private static final int MAX_ATTEMPTS = 5;

    private final DeviceTable devices;
    private final PlatformEndpoints endpoints;
    private final PlatformApplications applications;
    private final Clock clock;
    private final TokenOwnership ownership;

    public EndpointFeedback(DeviceTable devices, PlatformEndpoints endpoints, PlatformApplications applications,
                            Clock clock) {
        this.devices = devices;
        this.endpoints = endpoints;
        this.applications = applications;
        this.clock = clock;
        this.ownership = new TokenOwnership(devices, endpoints, clock);
    }

    /** What an event did to the table. */
    public enum Effect { REMOVED, DISABLED, UNCHANGED, IGNORED }

    public Effect apply(EndpointEvent event) {
        if (applications.platformOf(event.endpointArn()).isEmpty()) {
            Log.warn("endpoint event for another application ignored", "endpointArn", event.endpointArn());
            return Effect.IGNORED;
        }
        Effect effect = switch (event.eventType()) {
            case "EndpointDeleted" -> remove(event.endpointArn());
            case "EndpointUpdated", "DeliveryFailure" -> reconcile(event.endpointArn());
            default -> Effect.IGNORED;
        };
        Log.info("endpoint event", "eventType", event.eventType(), "endpointArn", event.endpointArn(),
                "failureType", event.failureType(), "effect", effect.name());
        return effect;
    }

    private Effect reconcile(String endpointArn) {
        Optional<PlatformEndpoints.EndpointState> state = endpoints.state(endpointArn);
        if (state.isEmpty()) {
            return remove(endpointArn);
        }
        if (state.get().enabled()) {
            return Effect.UNCHANGED;
        }
        boolean changed = false;
        for (String deviceId : devices.findByEndpoint(endpointArn)) {
            changed |= devices.markDisabled(deviceId, endpointArn, clock.instant());
        }
        return changed ? Effect.DISABLED : Effect.UNCHANGED;
    }

    private Effect remove(String endpointArn) {
        boolean changed = false;
        for (String deviceId : devices.findByEndpoint(endpointArn)) {
            changed |= removeIfEndpoint(deviceId, endpointArn);
        }
        return changed ? Effect.REMOVED : Effect.UNCHANGED;
    }

    /**
     * Removes the device if it still points at the endpoint, releasing its token; a lost race (the device or the
     * ownership changed meanwhile) is read again, as the device may now point elsewhere.
     */
    private boolean removeIfEndpoint(String deviceId, String endpointArn) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<DeviceRecord> device = devices.get(deviceId).filter(d -> endpointArn.equals(d.endpointArn()));
            if (device.isEmpty()) {
                return false;
            }
            if (ownership.remove(device.get())) {
                return true;
            }
        }
        throw new IllegalStateException("device " + deviceId + " kept changing while its endpoint was removed");
    }
}
