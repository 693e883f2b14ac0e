package io.mediasuite.invalidation;

import io.mediasuite.common.Metrics;

/**
 * The invalidation function's business metrics (service {@code Invalidation}): what a batch of deploy events
 * changed and what it cost. CloudFront bills per path (a wildcard is one path), so {@code BilledPaths} is the
 * cost of a deploy once past the monthly free allowance.
 */
final class InvalidationMetrics {

    static final String SERVICE = "Invalidation";

    private InvalidationMetrics() {
    }

    static void batch(int items, InvalidationService.BatchResult result) {
        Metrics.count(SERVICE, "ChangesReceived", items);
        Metrics.count(SERVICE, "ChangesIgnored", result.ignoredChanges());
        long paths = 0;
        long wildcards = 0;
        for (InvalidationService.Submitted submitted : result.invalidations()) {
            paths += submitted.paths();
            wildcards += submitted.wildcards();
        }
        Metrics.count(SERVICE, "InvalidationsCreated", result.invalidations().size());
        Metrics.count(SERVICE, "BilledPaths", paths);
        Metrics.count(SERVICE, "WildcardPaths", wildcards);
        for (InvalidationService.ItemFailure failure : result.failures()) {
            Metrics.count(SERVICE, "ChangesRetried", 1, "Reason", failure.kind().name());
        }
    }
}
