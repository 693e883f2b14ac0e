package io.mediasuite.devices.registration;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers, reads and deletes app installations, keeping each stored SNS endpoint valid, enabled and on the
 * device's latest token with AWS's recommended token-management algorithm, and each token owned by exactly one
 * installation (the latest to register it) through its {@link TokenOwner} item:
 *
 * <ol>
 *   <li>The device already holds the token: GetEndpointAttributes on its endpoint; a token that differs, or
 *       Enabled=false, is fixed with SetEndpointAttributes(Token, Enabled=true). Nothing else changed: no write
 *       at all, so the steady state (an app opening with the same token, location and attributes) costs one
 *       consistent GetItem and one GetEndpointAttributes. Other fields changed: one PutItem conditional on the
 *       rev read (token and endpoint stay, so the ownership is untouched).</li>
 *   <li>Otherwise (new device, new token, other platform, endpoint deleted out of band) the device claims the
 *       token: read its ownership item (and the installation holding it, if another), delete the endpoints it
 *       lists as retiring, CreatePlatformEndpoint (recovering the ARN from SNS's "already exists with the same
 *       Token" answer) and GetEndpointAttributes, then one transaction writes the device, the ownership (owner,
 *       endpoint, the replaced endpoints as retiring), deletes the previous holder and releases the token this
 *       device gave up, each conditional on what was read. Then the retiring endpoints are deleted.</li>
 * </ol>
 *
 * A request that loses a race (a condition failed) reads again and starts over; the last to commit owns the
 * token. Endpoints this request got from SNS in a lost attempt, if not the one it finally stores, are listed as
 * retiring in its final write: SNS may hand racing creates two endpoints for one token, and neither may leak.
 */
public final class DeviceRegistry {

    /** Attempts before a registration that keeps losing races answers 409; each loss means someone else won. */
    private static final int MAX_ATTEMPTS = 6;

    /**
     * How stale the expiry may get before a registration that changed nothing still rewrites it: at most one
     * write per device per day keeps active installations alive without giving up write-free steady state.
     */
    static final Duration EXPIRY_REFRESH = Duration.ofDays(1);

    private final DeviceTable table;
    private final PlatformEndpoints endpoints;
    private final TokenOwnership ownership;
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
        this.ownership = new TokenOwnership(table, endpoints, clock);
        this.retention = retention;
        this.clock = clock;
    }

    /** The outcome of a registration: the stored device and whether this request created it. */
    public record Registered(DeviceRecord device, boolean created) {
    }

    /**
     * Registers or refreshes an installation.
     *
     * @throws ApiException CONFLICT when the device or its token kept changing under every attempt
     */
    public Registered register(DeviceRegistration registration) {
        Set<String> created = new LinkedHashSet<>();
        List<String> steps = new ArrayList<>(); // across attempts, so a lost race shows in the log line
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            DeviceRecord existing = table.get(registration.deviceId()).orElse(null);
            Registered result = existing != null && existing.rev() != null
                    && existing.holds(registration.platform(), registration.token())
                    ? refresh(registration, existing, created, steps)
                    : claim(registration, existing, created, Set.of(), steps);
            if (result != null) {
                return result;
            }
        }
        Log.warn("registration gave up", "deviceId", registration.deviceId(), "unclaimedEndpoints", created.size());
        throw new ApiException(ApiException.Kind.CONFLICT,
                "device " + registration.deviceId() + " changed concurrently " + MAX_ATTEMPTS + " times");
    }

    /** Step 1: the device holds the token already. Null when a race was lost, or to claim instead (endpoint gone). */
    private Registered refresh(DeviceRegistration registration, DeviceRecord existing, Set<String> created,
                               List<String> steps) {
        Optional<PlatformEndpoints.EndpointState> state = endpoints.state(existing.endpointArn());
        if (state.isEmpty()) {
            // Deleted out of band (or by SNS after an uninstall): claim the token again with a fresh endpoint.
            steps.add("endpointGone");
            return claim(registration, existing, created, Set.of(existing.endpointArn()), steps);
        }
        if (!fixEndpoint(existing.endpointArn(), state.get(), registration, steps)) {
            steps.add("endpointGone");
            return null;
        }
        Instant now = clock.instant();
        DeviceRecord desired = desired(registration, existing.endpointArn(), existing, now);
        if (desired.sameRegistrationAs(existing) && !expiryDue(existing, now)) {
            log(existing, "unchanged", steps);
            return new Registered(existing, false);
        }
        if (!table.replace(desired, existing)) {
            steps.add("lostRace");
            return null;
        }
        steps.add("replace");
        log(desired, "updated", steps);
        return new Registered(desired, false);
    }

    /**
     * Step 2: take the token (again) with the endpoint SNS gives for it. Null when a race was lost.
     *
     * @param created endpoints this request got from SNS so far (its lost attempts' ones are retired if unused)
     * @param gone    endpoints known to be deleted already
     */
    private Registered claim(DeviceRegistration registration, DeviceRecord existing, Set<String> created,
                             Set<String> gone, List<String> steps) {
        Platform platform = registration.platform();
        String tokenHash = DeviceRecord.tokenHash(platform, registration.token());
        TokenOwner owner = table.owner(platform, tokenHash).orElse(null);
        DeviceRecord holder = null;
        if (owner != null && owner.ownerId() != null && !owner.ownerId().equals(registration.deviceId())) {
            holder = table.get(owner.ownerId()).filter(d -> d.holds(platform, registration.token())).orElse(null);
        }
        boolean tokenChanged = existing != null && !existing.holds(platform, registration.token());
        TokenOwner released = !tokenChanged ? null : table.owner(existing.platform(), existing.tokenHash())
                .filter(o -> o.ownedBy(existing.deviceId(), existing.endpointArn())).orElse(null);

        // Finish the deletions the last ownership change started before asking SNS for an endpoint: its
        // idempotent create could otherwise hand back an endpoint that is about to be deleted.
        if (owner != null && !owner.retiring().isEmpty()) {
            owner.retiring().forEach(endpoints::delete);
            steps.add("deleteRetiring");
        }
        String endpointArn = endpoints.create(platform, registration.token());
        created.add(endpointArn);
        steps.add("create");
        Optional<PlatformEndpoints.EndpointState> state = endpoints.state(endpointArn);
        if (state.isEmpty() || !fixEndpoint(endpointArn, state.get(), registration, steps)) {
            steps.add("endpointGone");
            return null; // deleted between our create and our read: someone retired it, start over
        }

        Set<String> retiring = new HashSet<>(created);
        if (owner != null && owner.endpointArn() != null) {
            retiring.add(owner.endpointArn());
        }
        if (holder != null) {
            retiring.add(holder.endpointArn());
        }
        if (existing != null && existing.rev() == null) {
            // An item written before ownership items existed: no ownership item knows its endpoint.
            retiring.add(existing.endpointArn());
        }
        retiring.remove(endpointArn);
        retiring.removeAll(gone); // deleting them again would only cost calls
        if (created.size() > 1 && created.stream().anyMatch(arn -> !arn.equals(endpointArn))) {
            steps.add("retireUnusedCreated"); // SNS gave this request more than one endpoint for the token
        }
        Set<String> releasedRetiring = new HashSet<>();
        if (released != null) {
            releasedRetiring.addAll(released.retiring());
            releasedRetiring.add(existing.endpointArn());
            releasedRetiring.remove(endpointArn);
        }

        Instant now = clock.instant();
        DeviceRecord desired = desired(registration, endpointArn, existing, now);
        TokenOwner claimed = new TokenOwner(platform, tokenHash, desired.deviceId(), endpointArn, retiring,
                owner == null ? 1 : owner.version() + 1);
        if (!table.claim(new DeviceTable.Claim(desired, existing, owner, retiring, holder, released,
                releasedRetiring), now)) {
            steps.add("lostRace");
            return null;
        }
        steps.add("claim");
        if (holder != null) {
            steps.add("retire:" + holder.deviceId());
        }
        ownership.deleteRetired(claimed, retiring);
        if (released != null) {
            ownership.deleteRetired(released, releasedRetiring);
        }
        log(desired, existing == null ? "created" : "claimed", steps);
        return new Registered(desired, existing == null);
    }

    /** GetEndpointAttributes said the token differs or the endpoint is disabled: set both. False if it is gone. */
    private boolean fixEndpoint(String endpointArn, PlatformEndpoints.EndpointState state,
                                DeviceRegistration registration, List<String> steps) {
        if (registration.platform().sameToken(state.token(), registration.token()) && state.enabled()) {
            return true;
        }
        steps.add(state.enabled() ? "updateToken" : "enable");
        return endpoints.enable(endpointArn, registration.token());
    }

    private DeviceRecord desired(DeviceRegistration registration, String endpointArn, DeviceRecord existing,
                                 Instant now) {
        return new DeviceRecord(registration.deviceId(), registration.platform(), registration.token(), endpointArn,
                true, registration.userId(), registration.location(), registration.locale(),
                registration.appVersion(), existing == null ? now : existing.createdAt(), now,
                now.plus(retention).getEpochSecond(), existing == null ? 1 : existing.version() + 1,
                DeviceRecord.newRev());
    }

    /** A short random pause before another attempt, so racing requests stop colliding in lockstep. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE, "interrupted", e);
        }
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
     * The item goes first, with the token's release, in one transaction; the endpoint is deleted from the
     * ownership item's retiring list afterwards, so it is never deleted while someone could still claim it.
     */
    public void delete(String deviceId) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            Optional<DeviceRecord> existing = table.get(deviceId);
            if (existing.isEmpty()) {
                return;
            }
            if (ownership.remove(existing.get())) {
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
