package io.mediasuite.invalidation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Plans the invalidation of one distribution for a batch of object changes. Pure: no I/O, same input, same plan.
 *
 * <ol>
 *   <li>Each key maps to its URL path through the route ({@code site/a.html} under prefix {@code site/} served
 *       at {@code /} is {@code /a.html}) and is encoded as CloudFront requires ({@link CloudFrontPaths}).</li>
 *   <li>Content-hashed names are skipped: a new version has a new name, so no cache holds a stale copy.</li>
 *   <li>An index document also invalidates its directory URL: {@code /blog/index.html} adds {@code /blog/}; the
 *       default root object adds {@code /}.</li>
 *   <li>Paths are deduplicated. Above the path budget, the busiest directories collapse into {@code dir/*}: each
 *       step takes the deepest directory whose collapse alone brings the plan within budget, or else the
 *       directory replacing the most paths. No plan has more wildcards than allowed (the per-distribution
 *       in-flight limit is 15); when nothing else fits, the plan is {@code /*}.</li>
 * </ol>
 * CloudFront bills per path and counts a wildcard as one, so a 1 000-object deploy costs at most the budget.
 */
public final class InvalidationPlanner {

    private static final String EVERYTHING = "/*";

    private final InvalidationConfig config;

    public InvalidationPlanner(InvalidationConfig config) {
        this.config = config;
    }

    /**
     * Plans {@code changes} for {@code distributionId}; each change's key must be routed to that distribution
     * ({@link InvalidationConfig#routeFor}).
     */
    public InvalidationPlan plan(String distributionId, List<ObjectChange> changes) {
        TreeSet<String> paths = new TreeSet<>();
        TreeSet<String> sources = new TreeSet<>();
        int immutable = 0;
        int folders = 0;
        Pattern hashed = config.immutableKeyPattern().orElse(null);
        for (ObjectChange change : changes) {
            Route route = config.routeFor(change.key())
                    .filter(r -> r.distributionId().equals(distributionId))
                    .orElseThrow(() -> new IllegalArgumentException(
                            "key '" + change.key() + "' is not routed to distribution " + distributionId));
            sources.add(change.sourceId());
            String relative = change.key().substring(route.keyPrefix().length());
            if (relative.isEmpty() || relative.endsWith("/")) {
                folders++;
                continue;
            }
            String name = relative.substring(relative.lastIndexOf('/') + 1);
            if (hashed != null && hashed.matcher(name).matches()) {
                immutable++;
                continue;
            }
            String url = route.urlPath(change.key());
            paths.add(CloudFrontPaths.encode(url));
            String directory = url.substring(0, url.lastIndexOf('/') + 1);
            boolean index = directory.equals("/")
                    ? name.equals(config.defaultRootObject())
                    : config.indexDocument().map(name::equals).orElse(false);
            if (index) {
                paths.add(CloudFrontPaths.encode(directory));
            }
        }
        removeCoveredByWildcards(paths);
        int candidates = paths.size();
        List<InvalidationPlan.Collapse> collapsed = new ArrayList<>();
        String reason = fit(paths, collapsed);
        if (paths.isEmpty()) {
            reason = changes.isEmpty() ? "no object changes" : "nothing to invalidate: every object was skipped";
        }
        String reference = "s3-" + InvalidationPlan.digest("v1\n" + distributionId + "\n"
                + String.join("\n", sources)).substring(0, 40);
        return new InvalidationPlan(distributionId, reference, new ArrayList<>(paths), changes.size(),
                immutable, folders, candidates, collapsed, reason);
    }

    /** Collapses directories until the plan fits the budget and the wildcard allowance; returns why. */
    private String fit(TreeSet<String> paths, List<InvalidationPlan.Collapse> collapsed) {
        int budget = config.maxPaths();
        int maxWildcards = config.maxWildcards();
        int before = paths.size();
        while (true) {
            int wildcards = (int) paths.stream().filter(CloudFrontPaths::isWildcard).count();
            boolean overBudget = paths.size() > budget;
            boolean overWildcards = wildcards > maxWildcards;
            if (!overBudget && !overWildcards) {
                return collapsed.isEmpty()
                        ? "within budget: " + paths.size() + " <= " + budget + " paths"
                        : "over budget: " + before + " > " + budget + " paths; collapsed " + collapsed.size()
                                + " directories into wildcards";
            }
            String directory = overWildcards
                    ? mergeWildcards(directoryStats(paths))
                    : collapseForBudget(directoryStats(paths), paths.size() - budget);
            if (directory == null) {
                int replaced = paths.size();
                paths.clear();
                paths.add(EVERYTHING);
                collapsed.add(new InvalidationPlan.Collapse(EVERYTHING, replaced));
                return "last resort /*: " + before + " paths do not fit " + budget + " paths with at most "
                        + maxWildcards + " wildcards";
            }
            int replaced = 0;
            var iterator = paths.iterator();
            while (iterator.hasNext()) {
                if (iterator.next().startsWith(directory)) {
                    iterator.remove();
                    replaced++;
                }
            }
            paths.add(directory + "*");
            collapsed.add(new InvalidationPlan.Collapse(directory + "*", replaced));
        }
    }

    /** Paths and wildcards under each directory (the root excluded: collapsing it is the last resort). */
    private static Map<String, int[]> directoryStats(TreeSet<String> paths) {
        Map<String, int[]> stats = new HashMap<>();
        for (String path : paths) {
            boolean wildcard = CloudFrontPaths.isWildcard(path);
            for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
                int[] counts = stats.computeIfAbsent(path.substring(0, slash + 1), d -> new int[2]);
                counts[0]++;
                if (wildcard) {
                    counts[1]++;
                }
            }
        }
        return stats;
    }

    /**
     * The directory to collapse to remove {@code excess} paths: the deepest one that removes enough on its own
     * (the narrowest wildcard that does the job), else the one replacing the most paths; null if none replaces
     * at least two.
     */
    private static String collapseForBudget(Map<String, int[]> stats, int excess) {
        String sufficient = null;
        String busiest = null;
        for (Map.Entry<String, int[]> entry : stats.entrySet()) {
            String directory = entry.getKey();
            int items = entry.getValue()[0];
            if (items < 2) {
                continue;
            }
            if (items - 1 >= excess && (sufficient == null || deeperOrFirst(directory, sufficient))) {
                sufficient = directory;
            }
            if (busiest == null || items > stats.get(busiest)[0]
                    || items == stats.get(busiest)[0] && deeperOrFirst(directory, busiest)) {
                busiest = directory;
            }
        }
        return sufficient != null ? sufficient : busiest;
    }

    /** The directory holding the most wildcards (at least two), so collapsing it lowers the wildcard count. */
    private static String mergeWildcards(Map<String, int[]> stats) {
        String best = null;
        for (Map.Entry<String, int[]> entry : stats.entrySet()) {
            int[] counts = entry.getValue();
            if (counts[1] < 2) {
                continue;
            }
            int[] bestCounts = best == null ? null : stats.get(best);
            if (best == null || counts[1] > bestCounts[1]
                    || counts[1] == bestCounts[1] && (counts[0] > bestCounts[0]
                            || counts[0] == bestCounts[0] && deeperOrFirst(entry.getKey(), best))) {
                best = entry.getKey();
            }
        }
        return best;
    }

    /** Deeper first; at equal depth, the alphabetically first, so plans are deterministic. */
    private static boolean deeperOrFirst(String candidate, String current) {
        int depth = depth(candidate);
        int currentDepth = depth(current);
        return depth != currentDepth ? depth > currentDepth : candidate.compareTo(current) < 0;
    }

    private static int depth(String directory) {
        int depth = 0;
        for (int i = 0; i < directory.length(); i++) {
            if (directory.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    /** Drops paths a wildcard of the same plan already covers (keys containing {@code *} produce wildcards). */
    private static void removeCoveredByWildcards(TreeSet<String> paths) {
        List<String> wildcards = paths.stream().filter(CloudFrontPaths::isWildcard).toList();
        for (String wildcard : wildcards) {
            String prefix = wildcard.substring(0, wildcard.length() - 1);
            paths.removeIf(p -> !p.equals(wildcard) && p.startsWith(prefix));
        }
    }
}
