package io.mediasuite.devices.registration;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Registers, reads and deletes app installations, keeping each stored SNS endpoint valid, enabled and on the
 * device's latest token with AWS's recommended token-management algorithm:
 *
 * <ol>
 *   <li>No endpoint ARN stored: CreatePlatformEndpoint (recovering the ARN from SNS's "already exists with the
 *       same Token" answer).</li>
 *   <li>GetEndpointAttributes on the ARN: NotFound means the endpoint was deleted, so create it again; a token
 *       that differs from the device's, or Enabled=false, is fixed with SetEndpointAttributes(Token, Enabled=true).
 *   </li>
 *   <li>Nothing changed: no write at all. The steady state (an app opening with the same token, location and
 *       attributes) costs one consistent GetItem and one GetEndpointAttributes.</li>
 * </ol>
 *
 * Writes are conditional (absent for a new device, same version for an update); a request that loses a race
 * starts over from a fresh read, and as every SNS step is idempotent the winner's endpoint is reused, so two
 * racing first registrations end with one endpoint and one item. When a token arrives under a new device id
 * (reinstall, user switch), the installation that held it before is found through the token index and retired,
 * so the phone is not pushed twice.
 */
public final class DeviceRegistry {

    private static final int MAX_ATTEMPTS = 3;

    /**
     * How stale the expiry may get before a registration that changed nothing still rewrites it: at most one
     * write per device per day keeps active installations alive without giving up write-free steady state.
     */
    static final Duration EXPIRY_REFRESH = Duration.ofDays(1);

    private final DeviceTable table;
    private final PlatformEndpoints endpoints;
    private final Duration retention;
    private final Clock clock;

    /**
     * @param retention how long an installation that stops registering is kept (DynamoDB TTL), with its location
     */
    public DeviceRegistry(DeviceTable table, PlatformEndpoints endpoints, Duration retention, Clock clock) {
        if (retention.compareTo(EXPIRY_REFRESH.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("retention must be at least two days");
        }
        this.table = table;
        this.endpoints = endpoints;
        this.retention = retention;
        this.clock = clock;
    }

    /** The outcome of a registration: the stored device and whether this request created it. */
    public record Registered(DeviceRecord device, boolean created) {
    }

    /**
     * Registers or refreshes an installation.
     *
     * @throws ApiException CONFLICT when the device kept changing under three attempts in a row
     */
    public Registered register(DeviceRegistration registration) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<DeviceRecord> existing = table.get(registration.deviceId());
            Optional<Registered> result = attempt(registration, existing.orElse(null));
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw new ApiException(ApiException.Kind.CONFLICT,
                "device " + registration.deviceId() + " changed concurrently " + MAX_ATTEMPTS + " times");
    }

    /** One pass of the algorithm over what was read; empty when a conditional write lost a race. */
    private Optional<Registered> attempt(DeviceRegistration registration, DeviceRecord existing) {
        List<String> steps = new ArrayList<>();
        Platform platform = registration.platform();
        boolean samePlatform = existing != null && existing.platform() == platform;

        String endpointArn = samePlatform ? existing.endpointArn() : null;
        String createdArn = null;
        if (endpointArn == null) {
            endpointArn = endpoints.create(platform, registration.token());
            createdArn = endpointArn;
            steps.add("create");
        }
        Optional<PlatformEndpoints.EndpointState> state = endpoints.state(endpointArn);
        if (state.isEmpty()) {
            // Deleted out of band (or by SNS after an uninstall): start over with a fresh endpoint.
            endpointArn = endpoints.create(platform, registration.token());
            createdArn = endpointArn;
            steps.add("recreate");
            state = endpoints.state(endpointArn);
            if (state.isEmpty()) {
                throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE,
                        "endpoint " + endpointArn + " vanished right after it was created");
            }
        }
        if (!platform.sameToken(state.get().token(), registration.token()) || !state.get().enabled()) {
            endpoints.enable(endpointArn, registration.token());
            steps.add(state.get().enabled() ? "updateToken" : "enable");
        }

        Instant now = clock.instant();
        DeviceRecord desired = new DeviceRecord(registration.deviceId(), platform, registration.token(), endpointArn,
                true, registration.userId(), registration.location(), registration.locale(),
                registration.appVersion(), existing == null ? now : existing.createdAt(), now,
                now.plus(retention).getEpochSecond(), existing == null ? 1 : existing.version() + 1);

        if (existing == null) {
            try {
                table.insert(desired);
            } catch (ConditionalCheckFailedException e) {
                discardLosingEndpoint(desired, createdArn);
                return Optional.empty();
            }
            steps.add("insert");
            retireOtherHolders(desired, steps);
            log(desired, "created", steps);
            return Optional.of(new Registered(desired, true));
        }

        if (desired.sameRegistrationAs(existing) && !expiryDue(existing, now)) {
            log(existing, "unchanged", steps);
            return Optional.of(new Registered(existing, false));
        }
        try {
            table.replace(desired, existing.version());
        } catch (ConditionalCheckFailedException e) {
            discardLosingEndpoint(desired, createdArn);
            return Optional.empty();
        }
        steps.add("replace");
        if (!samePlatform) {
            // The old endpoint belongs to the other platform's application; nothing will use it again.
            endpoints.delete(existing.endpointArn());
            steps.add("deleteOldEndpoint");
        }
        if (!samePlatform || !existing.token().equals(desired.token()) || !existing.endpointArn().equals(endpointArn)) {
            retireOtherHolders(desired, steps);
        }
        log(desired, "updated", steps);
        return Optional.of(new Registered(desired, false));
    }

    /**
     * Retires every other installation holding this device's token: its item is deleted (if it still holds the
     * token) and, when it pointed at a different endpoint, that endpoint too, as it would push the same phone.
     */
    private void retireOtherHolders(DeviceRecord device, List<String> steps) {
        String tokenHash = device.tokenHash();
        for (DeviceTable.TokenHolder holder : table.findByToken(tokenHash)) {
            if (holder.deviceId().equals(device.deviceId())) {
                continue;
            }
            if (table.deleteIfToken(holder.deviceId(), tokenHash)) {
                steps.add("retire:" + holder.deviceId());
                if (holder.endpointArn() != null && !holder.endpointArn().equals(device.endpointArn())) {
                    endpoints.delete(holder.endpointArn());
                }
            }
        }
    }

    /**
     * After losing a race: when this request created an endpoint for the winner's token that is not the one the
     * winner stored, nothing will ever point at it, and it would only duplicate pushes; delete it. (SNS makes
     * identical creates return one endpoint, so this is normally a no-op.)
     */
    private void discardLosingEndpoint(DeviceRecord loser, String createdArn) {
        if (createdArn == null) {
            return;
        }
        table.get(loser.deviceId()).ifPresent(winner -> {
            if (winner.tokenHash().equals(loser.tokenHash()) && !winner.endpointArn().equals(createdArn)) {
                endpoints.delete(createdArn);
            }
        });
    }

    private boolean expiryDue(DeviceRecord existing, Instant now) {
        long refreshBy = now.plus(retention).minus(EXPIRY_REFRESH).getEpochSecond();
        return existing.expiresAt() < refreshBy;
    }

    /** The stored device. */
    public Optional<DeviceRecord> find(String deviceId) {
        return table.get(deviceId);
    }

    /**
     * Deletes an installation and its SNS endpoint; deleting an unknown device succeeds (DELETE is idempotent).
     * The endpoint goes first: if the item delete then fails, the next registration repairs the item, whereas
     * the other order could leave an endpoint nothing points at.
     */
    public void delete(String deviceId) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<DeviceRecord> existing = table.get(deviceId);
            if (existing.isEmpty()) {
                return;
            }
            endpoints.delete(existing.get().endpointArn());
            if (table.deleteIfVersion(deviceId, existing.get().version())) {
                Log.info("device deleted", "deviceId", deviceId);
                return;
            }
        }
        throw new ApiException(ApiException.Kind.CONFLICT, "device " + deviceId + " changed concurrently");
    }

    private static void log(DeviceRecord device, String outcome, List<String> steps) {
        Log.info("device registered", "deviceId", device.deviceId(), "platform", device.platform().name(),
                "outcome", outcome, "steps", steps);
    }
}
