package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's cost table: what the planner costs on four kinds of site, against two naive planners (one path
 * per object; {@code /*} per deploy). Each site is a generated tree of objects (the site bucket) and of originals
 * (the images bucket, each with {@code sizes x 2} cached thumbnails); a deploy changes a random subset of its
 * mutable objects and writes new hashed bundles. The planner runs as deployed (template defaults, Vite and webpack
 * output opted in) with the tree's true counts in place of the bucket listings. Writes
 * {@code target/cost-table.md}; {@code bench/cost-table.sh} prints it.
 */
class CostTableTest {

    private static final String DISTRIBUTION = "E1COSTTABLE";
    private static final int THUMBNAILS_PER_ORIGINAL = 5 * 2; // ThumbnailSizes' 5 sizes, fit and cover

    /** A site: its objects, which of them a deploy may change, its originals. */
    private record Site(String name, List<String> objects, List<String> mutable, List<String> originals,
                        java.util.function.IntFunction<List<String>> newBundles) {
    }

    @Test
    void plans_shouldPurgeNoThumbnailAndCostLessThanNaivePlanners_whenFourKindsOfSiteDeploy() {
        // given
        List<Site> sites = List.of(docs(), blog(), spa(), shop());
        InvalidationConfig config = InvalidationConfig.from(Env.of(Map.of("DISTRIBUTION_ID", DISTRIBUTION,
                "IMMUTABLE_BUNDLERS", "vite,webpack", "CACHE_BEHAVIOR_PATTERNS", "*/thumb/*",
                "IMAGES_BUCKET", "images", "SITE_BUCKET", "site")));
        StringBuilder table = new StringBuilder("| site (objects, originals) | deploy | calls | billed paths | wildcards "
                + "| collateral purged | thumbnails purged | naive per object: calls = paths | naive `/*`: collateral "
                + "| naive `/*`: thumbnails |\n|---|---|---|---|---|---|---|---|---|---|\n");

        for (Site site : sites) {
            for (int size : new int[] {10, 100, 1000}) {
                // when
                List<String> deploy = deploy(site, size, 7);
                TreeCosts costs = new TreeCosts(site);
                InvalidationPlanner planner = new InvalidationPlanner(config, costs);
                // what a batch defers (over MAX_INVALIDATIONS_PER_BATCH) is planned again when it comes back
                List<ObjectChange> pending = changes(deploy);
                List<String> paths = new ArrayList<>();
                int calls = 0;
                int wildcards = 0;
                long collateral = 0;
                for (int batch = 0; !pending.isEmpty(); batch++) {
                    assertTrue(batch < 20, site.name() + ": still deferring");
                    BatchPlan plan = planner.plan(DISTRIBUTION, pending, PlanLimits.of(config),
                            ImmutableObjects.byName(config));
                    paths.addAll(plan.paths());
                    calls += plan.invalidations().size();
                    wildcards += plan.wildcardCount();
                    collateral += plan.collateral();
                    pending = plan.deferred();
                }
                long thumbnails = costs.thumbnailsUnder(paths);
                long naiveCollateral = site.objects().size() - deploy.stream().filter(site.objects()::contains).count();

                // then
                assertEquals(0, thumbnails, site.name() + " " + paths);
                assertTrue(paths.size() <= 2 * deploy.size(), paths.toString());
                assertTrue(!paths.contains("/*"), paths.toString());
                table.append(String.format("| %s (%,d, %,d) | %,d | %d | %d | %d | %,d | %d | %,d | %,d | %,d |%n",
                        site.name(), site.objects().size(), site.originals().size(), deploy.size(),
                        calls, paths.size(), wildcards, collateral, thumbnails, deploy.size(), naiveCollateral,
                        (long) site.originals().size() * THUMBNAILS_PER_ORIGINAL));
            }
        }
        System.out.println(table);
        try {
            Files.writeString(Path.of("target", "cost-table.md"), table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sites

    /** Documentation in 5 locales, 12 sections of 40 pages each, screenshots (originals) under each locale's img/. */
    private static Site docs() {
        List<String> objects = new ArrayList<>(List.of("index.html", "404.html", "robots.txt"));
        List<String> originals = new ArrayList<>();
        for (String locale : List.of("en", "de", "fr", "ja", "es")) {
            objects.add(locale + "/index.html");
            for (int s = 0; s < 12; s++) {
                for (int p = 0; p < 40; p++) {
                    objects.add(locale + "/docs/section-" + s + "/page-" + p + ".html");
                }
                objects.add(locale + "/docs/section-" + s + "/index.html");
            }
            for (int i = 0; i < 60; i++) {
                originals.add(locale + "/img/screenshot-" + i + ".png");
            }
        }
        objects.addAll(hashed("assets/", 40, 11));
        return new Site("docs, 5 locales", objects, mutableOf(objects), originals, n -> hashed("assets/", n, 99));
    }

    /** A blog: 6 years of 150 posts (a folder each, with its photos as originals), tag pages, feeds. */
    private static Site blog() {
        List<String> objects = new ArrayList<>(List.of("index.html", "feed.xml", "sitemap.xml"));
        List<String> originals = new ArrayList<>();
        for (int year = 2020; year < 2026; year++) {
            for (int p = 0; p < 150; p++) {
                String post = "blog/" + year + "/post-" + p + "/";
                objects.add(post + "index.html");
                originals.add(post + "photo-1.jpg");
                originals.add(post + "photo-2.jpg");
            }
            objects.add("blog/" + year + "/index.html");
        }
        for (int t = 0; t < 80; t++) {
            objects.add("tags/tag-" + t + "/index.html");
        }
        objects.addAll(hashed("static/js/", 30, 12));
        return new Site("blog", objects, mutableOf(objects), originals, n -> hashed("static/js/", n, 98));
    }

    /** A single-page app: one index.html, Vite bundles, a few locale files; a deploy is mostly new bundles. */
    private static Site spa() {
        List<String> objects = new ArrayList<>(List.of("index.html", "favicon.ico", "manifest.json"));
        for (String locale : List.of("en", "de", "fr")) {
            objects.add("locales/" + locale + ".json");
        }
        objects.addAll(hashed("assets/", 300, 13));
        List<String> originals = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            originals.add("media/avatars/user-" + i + ".jpg");
        }
        return new Site("SPA, hashed assets", objects, mutableOf(objects), originals,
                n -> hashed("assets/", n, 97));
    }

    /** A shop: 20 categories of 150 products with SKU-suffixed names, their JSON, their photos as originals. */
    private static Site shop() {
        List<String> objects = new ArrayList<>(List.of("index.html", "cart.html", "checkout.html"));
        List<String> originals = new ArrayList<>();
        Random random = new Random(14);
        for (int c = 0; c < 20; c++) {
            for (int p = 0; p < 150; p++) {
                String sku = Integer.toHexString(0x10000000 + random.nextInt(0x6fffffff));
                objects.add("products/category-" + c + "/product-" + sku + ".html");
                objects.add("data/product-" + sku + ".json");
                originals.add("products/category-" + c + "/product-" + sku + ".jpg");
            }
            objects.add("products/category-" + c + "/index.html");
        }
        objects.addAll(hashed("static/js/", 40, 15));
        return new Site("shop, SKU-named files", objects, mutableOf(objects), originals,
                n -> hashed("static/js/", n, 96));
    }

    private static List<String> mutableOf(List<String> objects) {
        return objects.stream().filter(k -> !k.contains("assets/") && !k.startsWith("static/js/")).toList();
    }

    /** Bundler output: Vite under assets/, webpack chunks elsewhere. */
    private static List<String> hashed(String folder, int count, long seed) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < count; i++) {
            if (folder.equals("assets/")) {
                StringBuilder hash = new StringBuilder();
                for (int j = 0; j < 8; j++) {
                    hash.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                names.add(folder + "chunk-" + i + "-" + hash + ".js");
            } else {
                names.add(folder + i + "." + String.format("%08x", random.nextInt(Integer.MAX_VALUE)) + ".chunk.js");
            }
        }
        return names;
    }

    /** A deploy of {@code size} keys: about a fifth new bundles, the rest changed mutable objects. */
    private static List<String> deploy(Site site, int size, long seed) {
        List<String> mutable = new ArrayList<>(site.mutable());
        Collections.shuffle(mutable, new Random(seed + size));
        int bundles = Math.max(1, size / 5);
        Set<String> keys = new LinkedHashSet<>(site.newBundles().apply(bundles));
        for (String key : mutable) {
            if (keys.size() >= size) {
                break;
            }
            keys.add(key);
        }
        return new ArrayList<>(keys);
    }

    private static List<ObjectChange> changes(List<String> keys) {
        return keys.stream().map(k -> new ObjectChange("m-" + k, "site", k, ObjectChange.Kind.CREATED,
                "ObjectCreated:Put")).toList();
    }

    /** The bucket listings, from the generated trees: the counts BucketWildcardCosts would read. */
    private static final class TreeCosts implements WildcardCosts {
        private final Map<String, Long> objectsUnder = new HashMap<>();
        private final Map<String, Long> originalsUnder = new HashMap<>();
        private final List<String> originals;

        TreeCosts(Site site) {
            site.objects().forEach(k -> count(objectsUnder, k));
            site.originals().forEach(k -> count(originalsUnder, k));
            this.originals = site.originals();
        }

        private static void count(Map<String, Long> counts, String key) {
            for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
                counts.merge("/" + key.substring(0, i + 1), 1L, Long::sum);
            }
            counts.merge("/", 1L, Long::sum);
        }

        @Override
        public long collateral(String distributionId, String directory, int createdBelow) {
            return Math.max(0, objectsUnder.getOrDefault(directory, 0L) - createdBelow);
        }

        @Override
        public Optional<String> forbidden(String distributionId, String directory) {
            return originalsUnder.getOrDefault(directory, 0L) > 0 || directory.contains("/thumb/")
                    ? Optional.of("thumbnails") : Optional.empty();
        }

        /** Thumbnails the paths purge: those of originals under a wildcard (thumbnail URLs share the prefix). */
        long thumbnailsUnder(List<String> paths) {
            long purged = 0;
            for (String original : originals) {
                String folder = "/" + original.substring(0, original.lastIndexOf('/') + 1);
                if (paths.stream().anyMatch(p -> p.endsWith("*") && folder.startsWith(p.substring(0, p.length() - 1)))) {
                    purged += THUMBNAILS_PER_ORIGINAL;
                }
            }
            return purged;
        }
    }
}
