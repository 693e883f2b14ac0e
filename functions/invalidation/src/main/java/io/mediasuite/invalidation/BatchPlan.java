package io.mediasuite.invalidation;

import java.util.ArrayList;
import java.util.List;

/**
 * What to invalidate on one distribution for one batch of object changes, what must wait, and why.
 *
 * @param distributionId   the distribution
 * @param invalidations    the CreateInvalidation requests, usually one
 * @param covered          changes the invalidations cover
 * @param deferred         changes left for later: CloudFront's in-flight allowance cannot take them now
 * @param objectsIn        object changes planned
 * @param skippedImmutable changes skipped because the object is immutable
 * @param skippedFolders   changes skipped because the key is a folder placeholder ({@code dir/})
 * @param candidatePaths   distinct paths before any wildcard
 * @param collateral       unchanged cached objects the wildcards purge, as far as counted (the bucket's listing)
 * @param wildcards        each wildcard with the collateral it purges
 * @param reason           one line on why the plan looks the way it does
 */
public record BatchPlan(
        String distributionId,
        List<InvalidationPlan> invalidations,
        List<ObjectChange> covered,
        List<ObjectChange> deferred,
        int objectsIn,
        int skippedImmutable,
        int skippedFolders,
        int candidatePaths,
        long collateral,
        List<Wildcard> wildcards,
        String reason) {

    /** A wildcard of the plan, the paths it replaced and the unchanged objects it purges (-1: not counted). */
    public record Wildcard(String path, int replaced, long collateral) {
        @Override
        public String toString() {
            return path + " (" + replaced + " paths, " + (collateral < 0 ? "unknown" : collateral) + " unchanged)";
        }
    }

    public BatchPlan {
        invalidations = List.copyOf(invalidations);
        covered = List.copyOf(covered);
        deferred = List.copyOf(deferred);
        wildcards = List.copyOf(wildcards);
    }

    /** Every path of every invalidation, in order. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        invalidations.forEach(i -> paths.addAll(i.paths()));
        return paths;
    }

    public int billedPaths() {
        return invalidations.stream().mapToInt(InvalidationPlan::billedPaths).sum();
    }

    public int wildcardCount() {
        return invalidations.stream().mapToInt(InvalidationPlan::wildcardCount).sum();
    }

    public int filePathCount() {
        return billedPaths() - wildcardCount();
    }

    /** Alternating names and values for {@code Log.info}: billed paths, wildcards, collateral, deferrals, why. */
    public Object[] logFields() {
        List<String> paths = paths();
        return new Object[] {
                "distributionId", distributionId,
                "objectsIn", objectsIn,
                "skippedImmutable", skippedImmutable,
                "skippedFolders", skippedFolders,
                "candidatePaths", candidatePaths,
                "invalidations", invalidations.size(),
                "billedPaths", billedPaths(),
                "filePaths", filePathCount(),
                "wildcards", wildcards.stream().limit(20).map(Wildcard::toString).toList(),
                "wildcardCount", wildcardCount(),
                "collateral", collateral,
                "deferredChanges", deferred.size(),
                "reason", reason,
                "samplePaths", paths.size() <= 20 ? paths : paths.subList(0, 20)};
    }
}
