package io.mediasuite.invalidation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Plans the invalidation of one distribution for a batch of object changes. No I/O of its own: what a wildcard
 * would purge comes from a {@link WildcardCosts}, what CloudFront still accepts from the {@link PlanLimits}.
 *
 * <ol>
 *   <li>Each key maps to its URL path through the route and is encoded as CloudFront requires
 *       ({@link CloudFrontPaths}); an index document also stands for its directory URL ({@code /blog/}), the
 *       default root object for {@code /}. Objects the {@code skip} test calls immutable are left out.</li>
 *   <li>The paths form a directory tree. Any directory may be replaced by a wildcard ({@code /blog/2024/*}),
 *       except the root ({@code /*}, unless the operator allows it) and directories the costs forbid (a
 *       wildcard that would purge another behaviour's objects, such as thumbnails). The plan minimises billed
 *       paths plus {@code COLLATERAL_WEIGHT} times the unchanged objects its wildcards purge; at equal cost a
 *       deeper wildcard wins over a broader one. It is an exact dynamic programme over the tree, per number of
 *       wildcards used.</li>
 *   <li>First the plan must fit one invalidation of the configured budget. When no allowed plan does, the
 *       cheapest allowed plan is split into several invalidations of that budget.</li>
 *   <li>Either way it must fit what CloudFront still accepts in flight. What does not fit (when too little is
 *       left) is deferred; the paths kept are chosen by the same objective, which under a short allowance means
 *       fewer, deeper wildcards.</li>
 * </ol>
 */
public final class InvalidationPlanner {

    /** A deferred path costs more than any plan could, so the planner defers only when nothing else fits. */
    private static final double DEFER = 1e9;
    private static final double IMPOSSIBLE = Double.POSITIVE_INFINITY;
    /** Makes a broader wildcard a hair dearer than a deeper one of equal cost. */
    private static final double DEPTH_TIE = 1e-6;
    /**
     * What a wildcard costs beyond its billed path: CloudFront holds 15 wildcards in flight against 3 000 file
     * paths, so a wildcard is worth taking only when it saves at least two paths.
     */
    static final double WILDCARD_PREMIUM = 1.0;
    /**
     * The collateral assumed for a wildcard whose directory could not be counted, halved with every level (a
     * deeper directory holds less).
     */
    static final long ASSUMED_UNKNOWN_COLLATERAL = 100_000;

    private final InvalidationConfig config;
    private final WildcardCosts costs;

    public InvalidationPlanner(InvalidationConfig config) {
        this(config, WildcardCosts.UNKNOWN);
    }

    public InvalidationPlanner(InvalidationConfig config, WildcardCosts costs) {
        this.config = config;
        this.costs = costs;
    }

    /** Plans with the whole in-flight allowance free, skipping what the configured names call immutable. */
    public BatchPlan plan(String distributionId, List<ObjectChange> changes) {
        return plan(distributionId, changes, PlanLimits.of(config), ImmutableObjects.byName(config));
    }

    /**
     * Plans {@code changes} for {@code distributionId}; each change's key must be routed to that distribution
     * ({@link InvalidationConfig#routeFor}). {@code immutable} says which changes need no invalidation.
     */
    public BatchPlan plan(String distributionId, List<ObjectChange> changes, PlanLimits limits,
                          Predicate<ObjectChange> immutable) {
        Tree tree = new Tree();
        int skippedImmutable = 0;
        int skippedFolders = 0;
        List<ObjectChange> planned = new ArrayList<>();
        for (ObjectChange change : changes) {
            Route route = config.routeFor(change.key())
                    .filter(r -> r.distributionId().equals(distributionId))
                    .orElseThrow(() -> new IllegalArgumentException(
                            "key '" + change.key() + "' is not routed to distribution " + distributionId));
            String relative = change.key().substring(route.keyPrefix().length());
            if (relative.isEmpty() || relative.endsWith("/")) {
                skippedFolders++;
                continue;
            }
            if (immutable.test(change)) {
                skippedImmutable++;
                continue;
            }
            int index = planned.size();
            planned.add(change);
            String url = route.urlPath(change.key());
            tree.add(url, index, change.kind() == ObjectChange.Kind.CREATED);
            String directory = url.substring(0, url.lastIndexOf('/') + 1);
            String name = relative.substring(relative.lastIndexOf('/') + 1);
            boolean isIndex = directory.equals("/")
                    ? name.equals(config.defaultRootObject())
                    : config.indexDocument().map(name::equals).orElse(false);
            if (isIndex) {
                tree.add(directory, index, false);
            }
        }
        if (planned.isEmpty()) {
            String reason = changes.isEmpty() ? "no object changes" : "nothing to invalidate: every object was skipped";
            return new BatchPlan(distributionId, List.of(), List.of(), List.of(), changes.size(), skippedImmutable,
                    skippedFolders, 0, 0, List.of(), reason);
        }
        tree.prepare(distributionId);
        Solution solution = solve(tree, limits);
        return toPlan(distributionId, tree, planned, solution, limits, changes.size(), skippedImmutable,
                skippedFolders);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Search

    /** A chosen set of paths, with what it costs. */
    private record Solution(TreeSet<Item> files, List<Node> wildcards, List<Item> starItems, List<Item> deferred,
                            long collateral, String reason) {
        int billed() {
            return files.size() + wildcards.size() + starItems.size();
        }

        int wildcardCount() {
            return wildcards.size() + starItems.size();
        }
    }

    private Solution solve(Tree tree, PlanLimits limits) {
        int budget = limits.maxPathsPerInvalidation();
        // One invalidation of the configured budget, all paths covered: search the price of a billed path
        // (a Lagrange multiplier) up from zero until the cheapest plan fits.
        int oneWildcards = Math.min(limits.maxWildcardsPerInvalidation(), limits.headroomWildcards());
        Predicate<Solution> fitsOne = s -> s.deferred().isEmpty() && s.billed() <= budget
                && s.files().size() <= limits.headroomFiles();
        Solution free = run(tree, oneWildcards, 0, 0, IMPOSSIBLE);
        if (fitsOne.test(free)) {
            return withReason(free, "within budget: " + free.billed() + " <= " + budget + " paths");
        }
        Solution tightest = run(tree, oneWildcards, 1e7, 1e7, IMPOSSIBLE);
        if (fitsOne.test(tightest)) {
            Solution best = search(s -> fitsOne.test(s), price -> run(tree, oneWildcards, price, price, IMPOSSIBLE),
                    1e7);
            return withReason(best, "over budget: " + tree.itemCount + " paths > " + budget
                    + "; wildcards chosen by billed paths + collateral weight");
        }
        // No allowed plan fits one invalidation: as few invalidations of the budget as hold an allowed plan,
        // within what CloudFront accepts in flight.
        for (int count = 2; count <= limits.maxInvalidations(); count++) {
            int paths = count * budget;
            int wildcards = Math.min(limits.headroomWildcards(), count * limits.maxWildcardsPerInvalidation());
            Predicate<Solution> fits = s -> s.deferred().isEmpty() && s.billed() <= paths
                    && s.files().size() <= limits.headroomFiles();
            Solution loose = run(tree, wildcards, 0, 0, IMPOSSIBLE);
            Solution chosen = fits.test(loose) ? loose : null;
            if (chosen == null && fits.test(run(tree, wildcards, 1e7, 1e7, IMPOSSIBLE))) {
                chosen = search(fits, price -> run(tree, wildcards, price, price, IMPOSSIBLE), 1e7);
            }
            if (chosen != null) {
                return withReason(chosen, "no allowed plan fits " + budget + " paths and "
                        + limits.maxWildcardsPerInvalidation() + " wildcards; " + count + " invalidations");
            }
        }
        // Not even that: what CloudFront accepts now is taken, chosen by the same objective (files priced up
        // until they fit, which means fewer, deeper wildcards), and the rest deferred.
        int wildcards = Math.min(limits.headroomWildcards(),
                limits.maxInvalidations() * limits.maxWildcardsPerInvalidation());
        Predicate<Solution> fitsMany = s -> s.files().size() <= limits.headroomFiles()
                && invalidationsNeeded(s.billed(), s.wildcardCount(), limits) <= limits.maxInvalidations();
        Solution open = run(tree, wildcards, 0, 0, DEFER);
        Solution chosen = fitsMany.test(open) ? open
                : fill(search(fitsMany, price -> run(tree, wildcards, price, 0, DEFER), DEFER * 10), limits);
        return withReason(chosen, "in-flight allowance short (" + limits.headroomFiles() + " file paths, "
                + limits.headroomWildcards() + " wildcards free) or over " + limits.maxInvalidations()
                + " invalidations: " + chosen.deferred().size() + " paths deferred");
    }

    /** The solution at the lowest price (found by bisection) that satisfies {@code fits}; {@code high} must. */
    private static Solution search(Predicate<Solution> fits, java.util.function.DoubleFunction<Solution> at,
                                   double high) {
        double low = 0;
        Solution best = at.apply(high);
        for (int i = 0; i < 60 && high - low > 1e-9 * Math.max(1, high); i++) {
            double mid = (low + high) / 2;
            Solution candidate = at.apply(mid);
            if (fits.test(candidate)) {
                best = candidate;
                high = mid;
            } else {
                low = mid;
            }
        }
        return best;
    }

    /**
     * Takes deferred file paths back, in path order, while the in-flight allowance and the invalidation count
     * allow: the price search defers equally priced paths all together, though some of them fit.
     */
    private static Solution fill(Solution s, PlanLimits limits) {
        int room = Math.min(limits.headroomFiles() - s.files().size(),
                limits.maxInvalidations() * limits.maxPathsPerInvalidation() - s.billed());
        List<Item> deferred = new ArrayList<>(s.deferred());
        deferred.sort(null);
        TreeSet<Item> files = new TreeSet<>(s.files());
        List<Item> still = new ArrayList<>();
        for (Item item : deferred) {
            if (!item.star && room > 0
                    && invalidationsNeeded(files.size() + s.wildcards().size() + s.starItems().size() + 1,
                            s.wildcardCount(), limits) <= limits.maxInvalidations()) {
                files.add(item);
                room--;
            } else {
                still.add(item);
            }
        }
        return new Solution(files, s.wildcards(), s.starItems(), still, s.collateral(), s.reason());
    }

    private static Solution withReason(Solution s, String reason) {
        return new Solution(s.files(), s.wildcards(), s.starItems(), s.deferred(), s.collateral(), reason);
    }

    static int invalidationsNeeded(int billed, int wildcards, PlanLimits limits) {
        int byPaths = (billed + limits.maxPathsPerInvalidation() - 1) / limits.maxPathsPerInvalidation();
        int byWildcards = limits.maxWildcardsPerInvalidation() == 0 ? (wildcards > 0 ? Integer.MAX_VALUE : 0)
                : (wildcards + limits.maxWildcardsPerInvalidation() - 1) / limits.maxWildcardsPerInvalidation();
        return Math.max(byPaths, byWildcards);
    }

    /**
     * One pass of the dynamic programme: with at most {@code maxWildcards} wildcards, a file path priced
     * {@code 1 + filePrice}, a wildcard {@code 1 + wildcardPrice} plus the weighted collateral, a deferred path
     * {@code defer}; returns the cheapest choice.
     */
    private Solution run(Tree tree, int maxWildcards, double filePrice, double wildcardPrice, double defer) {
        Costs c = new Costs(maxWildcards, 1 + filePrice, 1 + wildcardPrice, defer, config.collateralWeight());
        double[] root = tree.root.solve(c);
        int k = 0;
        for (int i = 1; i <= maxWildcards; i++) {
            if (root[i] < root[k]) {
                k = i;
            }
        }
        TreeSet<Item> files = new TreeSet<>();
        List<Node> wildcards = new ArrayList<>();
        List<Item> stars = new ArrayList<>();
        List<Item> deferred = new ArrayList<>();
        tree.root.collect(k, c, files, wildcards, stars, deferred);
        long collateral = wildcards.stream().mapToLong(n -> Math.max(0, n.collateral)).sum();
        return new Solution(files, wildcards, stars, deferred, collateral, "");
    }

    private record Costs(int maxWildcards, double file, double wildcard, double defer, double collateralWeight) {
    }

    // ---------------------------------------------------------------------------------------------------------
    // The tree

    /** A path to invalidate: the encoded path, whether it is a wildcard of a key with '*', the changes behind it. */
    private static final class Item implements Comparable<Item> {
        final String encoded;
        final boolean star;
        final List<Integer> changes = new ArrayList<>();

        Item(String encoded, boolean star) {
            this.encoded = encoded;
            this.star = star;
        }

        @Override
        public int compareTo(Item other) {
            return encoded.compareTo(other.encoded);
        }
    }

    private final class Tree {
        final Node root = new Node("/", 0);
        final Map<String, Item> items = new HashMap<>();
        int itemCount;

        void add(String decodedPath, int change, boolean created) {
            String encoded = CloudFrontPaths.encode(decodedPath);
            boolean star = CloudFrontPaths.isWildcard(encoded);
            Item item = items.get(encoded);
            boolean fresh = item == null;
            if (fresh) {
                item = new Item(encoded, star);
                items.put(encoded, item);
                itemCount++;
            }
            if (!item.changes.contains(change)) {
                item.changes.add(change);
            }
            String literal = star ? decodedPath.substring(0, decodedPath.indexOf('*')) : decodedPath;
            Node node = root;
            for (int slash = literal.indexOf('/', 1); slash > 0; slash = literal.indexOf('/', slash + 1)) {
                // a directory URL (/blog/) lives in its own directory's node: /blog/* covers it
                node = node.child(literal.substring(0, slash + 1));
                if (created && fresh) {
                    node.createdBelow++;
                }
            }
            if (fresh) {
                if (star) {
                    node.stars.add(item);
                } else {
                    node.files.add(item);
                }
            }
        }

        void prepare(String distributionId) {
            root.prepare(distributionId);
        }
    }

    private final class Node {
        final String directory;
        final int depth;
        final Map<String, Node> children = new TreeMap<>();
        final List<Item> files = new ArrayList<>();
        final List<Item> stars = new ArrayList<>();
        int createdBelow;
        int itemsBelow;
        boolean collapsible;
        long collateral;
        // per solve
        double[] best;
        boolean[] collapse;
        int[][] allocation;
        int starsEmitted;

        Node(String directory, int depth) {
            this.directory = directory;
            this.depth = depth;
        }

        Node child(String path) {
            return children.computeIfAbsent(path, p -> new Node(p, depth + 1));
        }

        int prepare(String distributionId) {
            int below = files.size() + stars.size();
            for (Node child : children.values()) {
                below += child.prepare(distributionId);
            }
            itemsBelow = below;
            // A wildcard over a single path saves nothing; asking the costs about it would only cost listings.
            if (below >= 2 || !stars.isEmpty()) {
                boolean isRoot = depth == 0;
                Optional<String> refused = isRoot && !config.allowEverything()
                        ? Optional.of("/* purges the whole distribution")
                        : costs.forbidden(distributionId, directory);
                collapsible = refused.isEmpty();
                if (collapsible) {
                    collateral = costs.collateral(distributionId, directory, createdBelow);
                }
            }
            return below;
        }

        double[] solve(Costs c) {
            int k = c.maxWildcards();
            double ownFiles = files.size() * Math.min(c.file(), c.defer());
            double[] acc = new double[k + 1];
            boolean emitStars = c.wildcard() < c.defer();
            for (int i = 0; i <= k; i++) {
                int emitted = emitStars ? Math.min(stars.size(), i) : 0;
                int left = stars.size() - emitted;
                acc[i] = ownFiles + emitted * c.wildcard() + (left == 0 ? 0 : left * c.defer());
            }
            List<Node> kids = new ArrayList<>(children.values());
            allocation = new int[kids.size()][];
            for (int j = 0; j < kids.size(); j++) {
                double[] childBest = kids.get(j).solve(c);
                double[] merged = new double[k + 1];
                int[] split = new int[k + 1];
                Arrays.fill(merged, IMPOSSIBLE);
                for (int total = 0; total <= k; total++) {
                    for (int toChild = 0; toChild <= total; toChild++) {
                        double cost = acc[total - toChild] + childBest[toChild];
                        if (cost < merged[total]) {
                            merged[total] = cost;
                            split[total] = toChild;
                        }
                    }
                }
                acc = merged;
                allocation[j] = split;
            }
            best = acc;
            collapse = new boolean[k + 1];
            if (collapsible) {
                long counted = collateral >= 0 ? collateral : ASSUMED_UNKNOWN_COLLATERAL >> Math.min(depth, 16);
                double wildcard = c.wildcard() + WILDCARD_PREMIUM + c.collateralWeight() * counted
                        + DEPTH_TIE / (depth + 1);
                for (int i = 1; i <= k; i++) {
                    if (wildcard < best[i]) {
                        best[i] = wildcard;
                        collapse[i] = true;
                    }
                }
            }
            return best;
        }

        void collect(int k, Costs c, TreeSet<Item> outFiles, List<Node> outWildcards, List<Item> outStars,
                     List<Item> outDeferred) {
            if (collapse[k]) {
                outWildcards.add(this);
                return;
            }
            List<Node> kids = new ArrayList<>(children.values());
            int remaining = k;
            for (int j = kids.size() - 1; j >= 0; j--) {
                int toChild = allocation[j][remaining];
                kids.get(j).collect(toChild, c, outFiles, outWildcards, outStars, outDeferred);
                remaining -= toChild;
            }
            if (c.file() < c.defer()) {
                outFiles.addAll(files);
            } else {
                outDeferred.addAll(files);
            }
            int emitted = c.wildcard() < c.defer() ? Math.min(stars.size(), remaining) : 0;
            outStars.addAll(stars.subList(0, emitted));
            outDeferred.addAll(stars.subList(emitted, stars.size()));
        }

        /** The changes behind every item at or below this node. */
        void changesBelow(List<Integer> out) {
            files.forEach(item -> out.addAll(item.changes));
            stars.forEach(item -> out.addAll(item.changes));
            children.values().forEach(child -> child.changesBelow(out));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // From a solution to invalidations

    private BatchPlan toPlan(String distributionId, Tree tree, List<ObjectChange> planned, Solution solution,
                             PlanLimits limits, int objectsIn, int skippedImmutable, int skippedFolders) {
        boolean[] deferredChange = new boolean[planned.size()];
        for (Item item : solution.deferred()) {
            item.changes.forEach(i -> deferredChange[i] = true);
        }
        List<ObjectChange> covered = new ArrayList<>();
        List<ObjectChange> deferred = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            (deferredChange[i] ? deferred : covered).add(planned.get(i));
        }
        List<String> wildcards = new ArrayList<>();
        List<BatchPlan.Wildcard> described = new ArrayList<>();
        Map<String, List<Integer>> changesByPath = new HashMap<>();
        for (Node node : solution.wildcards()) {
            String path = CloudFrontPaths.encode(node.directory) + "*";
            wildcards.add(path);
            described.add(new BatchPlan.Wildcard(path, node.itemsBelow, node.collateral));
            List<Integer> below = new ArrayList<>();
            node.changesBelow(below);
            changesByPath.put(path, below);
        }
        solution.starItems().forEach(item -> {
            wildcards.add(item.encoded);
            described.add(new BatchPlan.Wildcard(item.encoded, 1, 0));
            changesByPath.put(item.encoded, item.changes);
        });
        solution.files().forEach(item -> changesByPath.put(item.encoded, item.changes));
        List<String> files = solution.files().stream().map(i -> i.encoded).toList();
        List<InvalidationPlan> invalidations = pack(distributionId, covered, files, wildcards, limits).stream()
                .map(paths -> {
                    TreeSet<Integer> indexes = new TreeSet<>();
                    paths.paths().forEach(path -> indexes.addAll(changesByPath.get(path)));
                    return new InvalidationPlan(distributionId, paths.callerReference(), paths.paths(),
                            indexes.stream().map(planned::get).toList());
                }).toList();
        return new BatchPlan(distributionId, invalidations, covered, deferred, objectsIn, skippedImmutable,
                skippedFolders, tree.itemCount, solution.collateral(), described, solution.reason());
    }

    /** Cuts the paths into invalidations of at most the configured paths and wildcards each. */
    private static List<InvalidationPlan> pack(String distributionId, List<ObjectChange> covered, List<String> files,
                                               List<String> wildcards, PlanLimits limits) {
        int total = files.size() + wildcards.size();
        if (total == 0) {
            return List.of();
        }
        int count = Math.max(1, invalidationsNeeded(total, wildcards.size(), limits));
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new ArrayList<>());
        }
        List<String> sortedWildcards = new ArrayList<>(wildcards);
        sortedWildcards.sort(null);
        for (int i = 0; i < sortedWildcards.size(); i++) {
            chunks.get(i / Math.max(1, limits.maxWildcardsPerInvalidation())).add(sortedWildcards.get(i));
        }
        int chunk = 0;
        for (String file : files) {
            while (chunks.get(chunk).size() >= limits.maxPathsPerInvalidation()) {
                chunk++;
            }
            chunks.get(chunk).add(file);
        }
        String versions = String.join("\n", covered.stream()
                .map(c -> c.versionId().orElse("delivery:" + c.sourceId() + "\n" + c.key())).sorted().toList());
        List<InvalidationPlan> plans = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            List<String> paths = chunks.get(i).stream().sorted().toList();
            if (paths.isEmpty()) {
                continue;
            }
            String reference = "s3-" + InvalidationPlan.digest("v2\n" + distributionId + "\n" + i + "/" + chunks.size()
                    + "\n" + versions).substring(0, 40);
            plans.add(new InvalidationPlan(distributionId, reference, paths, List.of()));
        }
        return plans;
    }
}
