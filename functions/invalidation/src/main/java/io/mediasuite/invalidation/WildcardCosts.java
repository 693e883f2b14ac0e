package io.mediasuite.invalidation;

import java.util.Optional;

/**
 * What a wildcard would purge besides the changed objects, for the planner's choice. Directories are decoded URL
 * paths ending in {@code /} ({@code /blog/2024/}).
 */
public interface WildcardCosts {

    /**
     * Cached objects a wildcard on {@code directory} would purge that did not change: the objects under it minus
     * the {@code createdBelow} objects this batch wrote there; {@link #UNKNOWN_COUNT} when not known.
     */
    long collateral(String distributionId, String directory, int createdBelow);

    /**
     * Why a wildcard on {@code directory} must never be emitted (it would purge another cache behaviour's
     * objects, e.g. thumbnails), or empty when it may be.
     */
    Optional<String> forbidden(String distributionId, String directory);

    /** What {@link #collateral} answers when it cannot count. */
    long UNKNOWN_COUNT = -1;

    /**
     * No knowledge of the bucket: every wildcard is allowed, its collateral unknown (the planner then assumes it
     * large, so wildcards are used only when the budget needs them).
     */
    WildcardCosts UNKNOWN = new WildcardCosts() {
        @Override
        public long collateral(String distributionId, String directory, int createdBelow) {
            return UNKNOWN_COUNT;
        }

        @Override
        public Optional<String> forbidden(String distributionId, String directory) {
            return Optional.empty();
        }
    };
}
