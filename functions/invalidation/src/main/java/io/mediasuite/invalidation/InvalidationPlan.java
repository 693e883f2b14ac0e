package io.mediasuite.invalidation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One CreateInvalidation request of a plan.
 *
 * @param distributionId  the distribution
 * @param callerReference derived from the object versions it covers: the same changes planned again (a
 *                        redelivery) get the same reference, so CloudFront answers with the invalidation it
 *                        already made instead of making another
 * @param paths           the encoded invalidation paths, sorted; wildcards end with {@code *}
 * @param changes         the object changes with a path in it: done once it is created
 */
public record InvalidationPlan(String distributionId, String callerReference, List<String> paths,
                               List<ObjectChange> changes) {

    public InvalidationPlan {
        paths = List.copyOf(paths);
        changes = List.copyOf(changes);
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
     * A reference that also binds the paths: used when CloudFront reports the reference already taken by
     * different paths (a redelivery planned under a changed configuration), so those paths still get invalidated.
     */
    public String callerReferenceWithPaths() {
        return callerReference + "-" + digest(String.join("\n", paths)).substring(0, 16);
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
