package io.mediasuite.devices.feedback;

import io.mediasuite.common.Log;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import java.time.Clock;
import java.util.List;
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
 * endpoint the device has since replaced changes nothing.
 */
public final class EndpointFeedback {

    private final DeviceTable devices;
    private final PlatformEndpoints endpoints;
    private final PlatformApplications applications;
    private final Clock clock;

    public EndpointFeedback(DeviceTable devices, PlatformEndpoints endpoints, PlatformApplications applications,
                            Clock clock) {
        this.devices = devices;
        this.endpoints = endpoints;
        this.applications = applications;
        this.clock = clock;
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
        List<String> deviceIds = devices.findByEndpoint(endpointArn);
        boolean changed = false;
        for (String deviceId : deviceIds) {
            changed |= devices.deleteIfEndpoint(deviceId, endpointArn);
        }
        return changed ? Effect.REMOVED : Effect.UNCHANGED;
    }
}
