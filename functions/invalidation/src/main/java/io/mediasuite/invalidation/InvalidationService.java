package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a batch of event items into at most one invalidation per distribution: groups the object changes by the
 * distribution that serves them, plans each group and submits the plan. Items that could not be read, and items
 * whose distribution's invalidation failed, come back as failures; nothing is dropped.
 */
public final class InvalidationService {

    /** An item that failed, and why. */
    public record ItemFailure(EventItem item, FailureKind kind, String reason) {
    }

    /** An invalidation made (or found already made) for one distribution. */
    public record Submitted(String distributionId, String invalidationId, String status, int paths, int wildcards) {
    }

    /** What a batch came to. */
    public record BatchResult(List<Submitted> invalidations, List<ItemFailure> failures, int ignoredChanges) {
    }

    private final InvalidationConfig config;
    private final InvalidationPlanner planner;
    private final CloudFrontInvalidator invalidator;

    public InvalidationService(InvalidationConfig config, CloudFrontInvalidator invalidator) {
        this.config = config;
        this.planner = new InvalidationPlanner(config);
        this.invalidator = invalidator;
    }

    public BatchResult process(List<EventItem> items) {
        Map<String, ItemFailure> failures = new LinkedHashMap<>();
        Map<String, List<ObjectChange>> changesByDistribution = new TreeMap<>();
        Map<String, Set<EventItem>> itemsByDistribution = new TreeMap<>();
        int ignored = 0;
        for (EventItem item : items) {
            if (item.poison().isPresent()) {
                Log.warn("unreadable event item; reported failed so it ends in the dead-letter queue",
                        "itemId", item.id(), "reason", item.poison().get(),
                        "receiveCount", item.sqs().map(EventItem.SqsDelivery::receiveCount).orElse(1));
                failures.put(item.id(), new ItemFailure(item, FailureKind.POISON, item.poison().get()));
                continue;
            }
            for (ObjectChange change : item.changes()) {
                if (config.siteBucket().isPresent() && !config.siteBucket().get().equals(change.bucket())) {
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
                String distribution = route.get().distributionId();
                changesByDistribution.computeIfAbsent(distribution, d -> new ArrayList<>()).add(change);
                itemsByDistribution.computeIfAbsent(distribution, d -> new LinkedHashSet<>()).add(item);
            }
        }

        List<Submitted> submitted = new ArrayList<>();
        for (Map.Entry<String, List<ObjectChange>> group : changesByDistribution.entrySet()) {
            String distribution = group.getKey();
            InvalidationPlan plan = Tracing.span("InvalidationPlanner.plan",
                    () -> planner.plan(distribution, group.getValue()));
            Log.info("invalidation planned", plan.logFields());
            if (plan.isEmpty()) {
                continue;
            }
            CloudFrontInvalidator.Outcome outcome = invalidator.submit(plan);
            if (outcome instanceof CloudFrontInvalidator.Created created) {
                Log.info("invalidation created", "distributionId", distribution,
                        "invalidationId", created.invalidationId(), "status", created.status(),
                        "callerReference", created.callerReference(), "billedPaths", plan.billedPaths());
                submitted.add(new Submitted(distribution, created.invalidationId(), created.status(),
                        plan.paths().size(), plan.wildcardCount()));
            } else if (outcome instanceof CloudFrontInvalidator.Failed failed) {
                Set<EventItem> affected = itemsByDistribution.get(distribution);
                Log.warn("invalidation not created; items reported failed for retry", "distributionId", distribution,
                        "kind", failed.kind().name(), "errorCode", failed.errorCode(), "detail", failed.detail(),
                        "items", affected.size());
                for (EventItem item : affected) {
                    failures.putIfAbsent(item.id(), new ItemFailure(item, failed.kind(), failed.errorCode()));
                }
            }
        }
        return new BatchResult(submitted, List.copyOf(failures.values()), ignored);
    }
}
