package io.mediasuite.invalidation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What to invalidate on one distribution for one batch of object changes, and why.
 *
 * @param distributionId  the distribution
 * @param callerReference derived from the batch's delivery ids: a redelivered batch gets the same reference, so
 *                        CloudFront answers with the invalidation it already made instead of making another
 * @param paths           the encoded invalidation paths, sorted; wildcards end with {@code *}
 * @param objectsIn       object changes planned
 * @param skippedImmutable changes skipped because the name is content-hashed
 * @param skippedFolders  changes skipped because the key is a folder placeholder ({@code dir/})
 * @param candidatePaths  distinct paths before the budget was applied
 * @param collapsed       directories turned into wildcards, in order, with the paths each replaced
 * @param reason          one line on why the plan looks the way it does
 */
public record InvalidationPlan(
        String distributionId,
        String callerReference,
        List<String> paths,
        int objectsIn,
        int skippedImmutable,
        int skippedFolders,
        int candidatePaths,
        List<Collapse> collapsed,
        String reason) {

    /** A directory collapsed into {@code wildcard}, replacing {@code replaced} paths. */
    public record Collapse(String wildcard, int replaced) {
        @Override
        public String toString() {
            return wildcard + " (" + replaced + " paths)";
        }
    }

    public InvalidationPlan {
        paths = List.copyOf(paths);
        collapsed = List.copyOf(collapsed);
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public int wildcardCount() {
        return (int) paths.stream().filter(CloudFrontPaths::isWildcard).count();
    }

    public int filePathCount() {
        return paths.size() - wildcardCount();
    }

    /** Paths CloudFront bills for: every path counts once, a wildcard too, however many objects it matches. */
    public int billedPaths() {
        return paths.size();
    }

    /**
     * A reference that also binds the paths: used when CloudFront reports the batch reference already taken by
     * different paths (a redelivery planned under a changed configuration), so those paths still get invalidated.
     */
    public String callerReferenceWithPaths() {
        return callerReference + "-" + digest(String.join("\n", paths)).substring(0, 16);
    }

    /** Alternating names and values for {@code Log.info}: paths in, paths out, wildcards, why. */
    public Object[] logFields() {
        List<Object> fields = new ArrayList<>(List.of(
                "distributionId", distributionId,
                "callerReference", callerReference,
                "objectsIn", objectsIn,
                "skippedImmutable", skippedImmutable,
                "skippedFolders", skippedFolders,
                "candidatePaths", candidatePaths,
                "pathsOut", paths.size(),
                "filePaths", filePathCount(),
                "wildcards", paths.stream().filter(CloudFrontPaths::isWildcard).toList(),
                "collapsed", collapsed.stream().limit(20).map(Collapse::toString).toList(),
                "collapses", collapsed.size(),
                "reason", reason));
        fields.add("samplePaths");
        fields.add(paths.size() <= 20 ? paths : paths.subList(0, 20));
        return fields.toArray();
    }

    static String digest(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
