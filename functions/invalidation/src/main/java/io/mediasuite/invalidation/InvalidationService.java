package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a batch of event items into invalidations, per distribution: groups the object changes by the
 * distribution that serves them, reads what that distribution has in flight, plans within what CloudFront still
 * accepts, and submits. Changes that cannot be invalidated now (the in-flight allowance is short, CloudFront
 * throttles or is unavailable) come back as failures of their items with how long to wait; items that could not
 * be read come back as poison. Nothing is dropped.
 */
public final class InvalidationService {

    /** An item that failed, why, and (for a wait) how many seconds until retrying is worth it, 0 if unknown. */
    public record ItemFailure(EventItem item, FailureKind kind, String reason, int waitSeconds) {
    }

    /** An invalidation made (or found already made) for one distribution. */
    public record Submitted(String distributionId, String invalidationId, String status, int paths, int wildcards) {
    }

    /** What a batch came to. */
    public record BatchResult(List<Submitted> invalidations, List<ItemFailure> failures, int ignoredChanges) {
    }

    /** Why some changes of a distribution are not done, and for how long. */
    private record NotDone(FailureKind kind, String reason, int waitSeconds) {
    }

    private final InvalidationConfig config;
    private final InvalidationPlanner planner;
    private final CloudFrontInvalidator invalidator;
    private final InFlightReader inFlight;
    private final Function<List<ObjectChange>, Set<ObjectChange>> immutable;
    private final Clock clock;
    private final InvalidationLedger ledger;

    /**
     * @param inFlight  reads the distribution's invalidations in progress; {@code null} plans against the full
     *                  allowance and learns the limits from CreateInvalidation
     * @param costs     what wildcards would purge
     * @param immutable the changes of a batch that need no invalidation
     * @param clock     for the wait until in-flight invalidations complete
     * @param ledger    remembers the object versions already invalidated; {@code null} for none
     */
    public InvalidationService(InvalidationConfig config, CloudFrontInvalidator invalidator, InFlightReader inFlight,
                               WildcardCosts costs, Function<List<ObjectChange>, Set<ObjectChange>> immutable,
                               Clock clock, InvalidationLedger ledger) {
        this.config = config;
        this.planner = new InvalidationPlanner(config, costs);
        this.invalidator = invalidator;
        this.inFlight = inFlight;
        this.immutable = immutable;
        this.clock = clock;
        this.ledger = ledger;
    }

    public BatchResult process(List<EventItem> items) {
        Map<String, ItemFailure> failures = new LinkedHashMap<>();
        Map<String, List<ObjectChange>> changesByDistribution = new TreeMap<>();
        Map<ObjectChange, EventItem> itemOf = new IdentityHashMap<>();
        int ignored = 0;
        for (EventItem item : items) {
            if (item.poison().isPresent()) {
                Log.warn("unreadable event item; reported failed so it ends in the dead-letter queue",
                        "itemId", item.id(), "reason", item.poison().get(),
                        "receiveCount", item.sqs().map(EventItem.SqsDelivery::receiveCount).orElse(1));
                failures.put(item.id(), new ItemFailure(item, FailureKind.POISON, item.poison().get(), 0));
                continue;
            }
            for (ObjectChange change : expandOriginals(item.changes())) {
                if (config.siteBucket().isPresent() && !config.siteBucket().get().equals(change.bucket())
                        && !isOriginal(change)) {
                    ignored++;
                    Log.debug("change in another bucket ignored", "bucket", change.bucket(), "key", change.key());
                    continue;
                }
                var route = config.routeFor(change.key());
                if (route.isEmpty()) {
                    ignored++;
                    Log.debug("change outside every routed prefix ignored", "key", change.key());
                    continue;
                }
                changesByDistribution.computeIfAbsent(route.get().distributionId(), d -> new ArrayList<>()).add(change);
                itemOf.put(change, item);
            }
        }

        List<Submitted> submitted = new ArrayList<>();
        for (Map.Entry<String, List<ObjectChange>> group : changesByDistribution.entrySet()) {
            Map<ObjectChange, NotDone> notDone = invalidate(group.getKey(), group.getValue(), submitted);
            notDone.forEach((change, why) -> {
                EventItem item = itemOf.get(change);
                failures.putIfAbsent(item.id(), new ItemFailure(item, why.kind(), why.reason(), why.waitSeconds()));
            });
        }
        List<ItemFailure> inOrder = new ArrayList<>();
        for (EventItem item : items) {
            ItemFailure failure = failures.remove(item.id());
            if (failure != null) {
                inOrder.add(failure);
            }
        }
        return new BatchResult(submitted, inOrder, ignored);
    }

    private boolean isOriginal(ObjectChange change) {
        return config.imagesBucket().map(change.bucket()::equals).orElse(false);
    }

    /**
     * A change of an original in the images bucket stands for its thumbnails' URLs (every allowed size, fit and
     * cover), as keys of the distribution's route, so they are planned with the site's paths. Signed thumbnails
     * of other sizes cannot be listed and are not invalidated.
     */
    private List<ObjectChange> expandOriginals(List<ObjectChange> changes) {
        if (config.imagesBucket().isEmpty() || changes.stream().noneMatch(this::isOriginal)) {
            return changes;
        }
        String keyPrefix = config.routes().stream().filter(r -> r.pathPrefix().equals("/")).findFirst()
                .map(Route::keyPrefix).orElse("");
        List<ObjectChange> expanded = new ArrayList<>();
        for (ObjectChange change : changes) {
            if (!isOriginal(change)) {
                expanded.add(change);
                continue;
            }
            for (String path : config.thumbnailPaths(change.key())) {
                expanded.add(new ObjectChange(change.sourceId(), change.bucket(), keyPrefix + path, change.kind(),
                        change.eventName(), change.sequencer(), change.eTag()));
            }
        }
        return expanded;
    }

    /** Plans and submits one distribution's changes; returns the changes not done. */
    private Map<ObjectChange, NotDone> invalidate(String distribution, List<ObjectChange> all,
                                                  List<Submitted> submitted) {
        List<ObjectChange> changes = notYetInvalidated(distribution, all);
        if (changes.isEmpty()) {
            return Map.of();
        }
        Set<ObjectChange> skip = Tracing.span("ImmutableObjects.of", () -> immutable.apply(changes));
        InFlight flight = readInFlight(distribution);
        List<ObjectChange> pending = changes;
        Map<ObjectChange, NotDone> notDone = new IdentityHashMap<>();
        // A second round only after CloudFront refused for its limits: another batch took the allowance
        // between the reading and the request; read again and plan what is left within what remains.
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            notDone.clear();
            PlanLimits limits = PlanLimits.of(config).within(flight);
            List<ObjectChange> planInput = pending;
            BatchPlan plan = Tracing.span("InvalidationPlanner.plan",
                    () -> planner.plan(distribution, planInput, limits, skip::contains));
            Log.info("invalidation planned", plan.logFields());
            NotDone waiting = new NotDone(FailureKind.LIMIT, "in-flight allowance short", waitSeconds(flight));
            plan.deferred().forEach(change -> notDone.put(change, waiting));
            Set<ObjectChange> failedHere = Collections.newSetFromMap(new IdentityHashMap<>());
            CloudFrontInvalidator.Failed failure = null;
            for (InvalidationPlan invalidation : plan.invalidations()) {
                if (failure != null) {
                    failedHere.addAll(invalidation.changes());
                    continue;
                }
                CloudFrontInvalidator.Outcome outcome = invalidator.submit(invalidation);
                if (outcome instanceof CloudFrontInvalidator.Created created) {
                    Log.info("invalidation created", "distributionId", distribution,
                            "invalidationId", created.invalidationId(), "status", created.status(),
                            "callerReference", created.callerReference(), "billedPaths", invalidation.billedPaths(),
                            "wildcards", invalidation.wildcardCount());
                    submitted.add(new Submitted(distribution, created.invalidationId(), created.status(),
                            invalidation.paths().size(), invalidation.wildcardCount()));
                } else if (outcome instanceof CloudFrontInvalidator.Failed failed) {
                    Log.warn("invalidation not created", "distributionId", distribution, "kind", failed.kind().name(),
                            "errorCode", failed.errorCode(), "detail", failed.detail(),
                            "changes", invalidation.changes().size());
                    failure = failed;
                    failedHere.addAll(invalidation.changes());
                }
            }
            if (failure != null) {
                NotDone why = new NotDone(failure.kind(), failure.errorCode(),
                        failure.kind() == FailureKind.LIMIT ? waitSeconds(flight) : 0);
                failedHere.forEach(change -> notDone.putIfAbsent(change, why));
            }
            record(planInput, notDone);
            if (failure == null || failure.kind() != FailureKind.LIMIT || round == 1) {
                break;
            }
            pending = new ArrayList<>(notDone.keySet());
            flight = readInFlight(distribution);
        }
        return notDone;
    }

    /** {@code changes} without the object versions an earlier invalidation already covers (a redelivery). */
    private List<ObjectChange> notYetInvalidated(String distribution, List<ObjectChange> changes) {
        if (ledger == null) {
            return changes;
        }
        Set<String> versions = new java.util.HashSet<>();
        changes.forEach(c -> c.versionId().ifPresent(versions::add));
        if (versions.isEmpty()) {
            return changes;
        }
        Set<String> done = ledger.alreadyInvalidated(versions);
        if (done.isEmpty()) {
            return changes;
        }
        List<ObjectChange> left = changes.stream()
                .filter(c -> c.versionId().map(v -> !done.contains(v)).orElse(true)).toList();
        Log.info("object versions already invalidated skipped", "distributionId", distribution,
                "skipped", changes.size() - left.size(), "left", left.size());
        return left;
    }

    /** Records the versions of {@code planned} that are done, i.e. not in {@code notDone}. */
    private void record(List<ObjectChange> planned, Map<ObjectChange, NotDone> notDone) {
        if (ledger == null) {
            return;
        }
        List<String> done = planned.stream().filter(c -> !notDone.containsKey(c))
                .flatMap(c -> c.versionId().stream()).toList();
        if (!done.isEmpty()) {
            ledger.record(done);
        }
    }

    private InFlight readInFlight(String distribution) {
        if (inFlight == null) {
            return InFlight.UNKNOWN;
        }
        InFlight flight = inFlight.read(distribution);
        Log.info("in-flight invalidations", "distributionId", distribution, "known", flight.known(),
                "invalidations", flight.invalidations(), "filePaths", flight.files(), "wildcards", flight.wildcards());
        return flight;
    }

    /**
     * Seconds until the oldest invalidation in progress should have completed; 0 when unknown. Once it is
     * overdue, CloudFront is slow today: expect it to take as long again as it already has, so that waiting
     * messages do not come back every few seconds.
     */
    private int waitSeconds(InFlight flight) {
        if (flight.oldest().isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant expected = flight.oldest().get().plusSeconds(config.expectedCompletionSeconds());
        long seconds = now.isBefore(expected) ? Duration.between(now, expected).toSeconds() + 1
                : Duration.between(flight.oldest().get(), now).toSeconds();
        return (int) Math.max(1, Math.min(seconds, 43_200));
    }
}
