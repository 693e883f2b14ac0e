package io.mediasuite.invalidation;

/**
 * What one batch's plan may spend on one distribution.
 *
 * @param maxPathsPerInvalidation     paths in one invalidation ({@code MAX_PATHS_PER_INVALIDATION}); a plan that
 *                                    fits one invalidation stays within it
 * @param maxWildcardsPerInvalidation wildcards in one invalidation ({@code MAX_WILDCARDS_PER_INVALIDATION})
 * @param headroomFiles               file paths CloudFront still accepts in flight on the distribution
 * @param headroomWildcards           wildcard paths CloudFront still accepts in flight on the distribution
 * @param maxInvalidations            invalidations one batch may create when a plan cannot fit one
 */
public record PlanLimits(int maxPathsPerInvalidation, int maxWildcardsPerInvalidation, int headroomFiles,
                         int headroomWildcards, int maxInvalidations) {

    public PlanLimits {
        if (maxPathsPerInvalidation < 1 || maxWildcardsPerInvalidation < 0 || headroomFiles < 0
                || headroomWildcards < 0 || maxInvalidations < 1) {
            throw new IllegalArgumentException("invalid plan limits");
        }
    }

    /** The configured budget with CloudFront's whole in-flight allowance free. */
    public static PlanLimits of(InvalidationConfig config) {
        return new PlanLimits(config.maxPaths(), config.maxWildcards(), InvalidationConfig.CLOUDFRONT_MAX_FILE_PATHS,
                InvalidationConfig.CLOUDFRONT_MAX_WILDCARDS, config.maxInvalidationsPerBatch());
    }

    /** These limits with the in-flight headroom that {@code inFlight} leaves. */
    public PlanLimits within(InFlight inFlight) {
        return new PlanLimits(maxPathsPerInvalidation, maxWildcardsPerInvalidation,
                Math.max(0, Math.min(headroomFiles, InvalidationConfig.CLOUDFRONT_MAX_FILE_PATHS - inFlight.files())),
                Math.max(0, Math.min(headroomWildcards, InvalidationConfig.CLOUDFRONT_MAX_WILDCARDS - inFlight.wildcards())),
                maxInvalidations);
    }
}
