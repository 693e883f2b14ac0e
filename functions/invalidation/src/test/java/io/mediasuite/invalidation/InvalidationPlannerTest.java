package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.Env;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvalidationPlannerTest {

    private static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";

    @ParameterizedTest
    @ValueSource(strings = {
            "main.3f9a1c2b.js", "app-5d41402abc4b2a76.css", "712vds57tr18929812312enb.png", "2.3f9a1c2b.chunk.js",
            "vendor_0123abcd.js", "product-3f2a9c1b.json"})
    void plan_shouldInvalidateObject_whenNameOnlyLooksHashed(String name) {
        // given the defaults: no bundler convention opted into
        InvalidationPlanner planner = planner();

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("static/" + name)));

        // then a name that looks random proves nothing
        assertEquals(List.of("/static/" + name), plan.paths(), name);
        assertEquals(0, plan.skippedImmutable());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "index.html", "about-us.html", "logo.png", "2024-report.pdf", "main.js", "report.20240101.pdf",
            "backup-20240101.tar.gz", "my-component.js", "documentation20240101.pdf", "hello-world2024.js",
            "IMG_20240504_123456.jpg", "photo-2024-05-04.jpg", "release-v1.2.3.zip", "favicon.ico",
            "deadbeef-notes.txt", "internationalization.js", "robots.txt", "sitemap.xml"})
    void plan_shouldInvalidateObject_whenNameIsOrdinary(String name) {
        // given
        InvalidationPlanner planner = planner();

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("pages/" + name)));

        // then
        assertTrue(plan.paths().contains("/pages/" + name), name);
        assertEquals(0, plan.skippedImmutable());
    }

    @Test
    void plan_shouldSkipNothing_whenImmutablePatternIsTurnedOff() {
        // given
        InvalidationPlanner planner = planner("IMMUTABLE_KEY_PATTERN", "none");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("main.3f9a1c2b.js")));

        // then
        assertEquals(List.of("/main.3f9a1c2b.js"), plan.paths());
    }

    @Test
    void plan_shouldUseConfiguredPattern_whenImmutablePatternIsSet() {
        // given a build that versions assets as name.vN.js
        InvalidationPlanner planner = planner("IMMUTABLE_KEY_PATTERN", ".*\\.v\\d+\\.js");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("app.v12.js"), put("main.3f9a1c2b.js")));

        // then
        assertEquals(List.of("/main.3f9a1c2b.js"), plan.paths());
    }

    @Test
    void plan_shouldMapKeyPrefixToUrlPath_whenSiteLivesUnderPrefix() {
        // given the site under site/ in the bucket, served at /
        InvalidationPlanner planner = planner("KEY_PREFIX", "site/");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("site/blog/post.html"), put("site/logo.png")));

        // then
        assertEquals(List.of("/blog/post.html", "/logo.png"), plan.paths());
    }

    @Test
    void plan_shouldAddDirectoryAndRoot_whenIndexDocumentsChange() {
        // given
        InvalidationPlanner planner = planner("KEY_PREFIX", "site");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("site/index.html"), put("site/blog/index.html"),
                put("site/blog/2024/index.html")));

        // then
        assertEquals(List.of("/", "/blog/", "/blog/2024/", "/blog/2024/index.html", "/blog/index.html", "/index.html"),
                plan.paths());
    }

    @Test
    void plan_shouldInvalidateRootForConfiguredDefaultRootObject_whenItChanges() {
        // given a distribution whose default root object is home.html
        InvalidationPlanner planner = planner("DEFAULT_ROOT_OBJECT", "home.html", "INDEX_DOCUMENT", "none");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("home.html"), put("index.html"),
                put("blog/index.html")));

        // then only home.html stands for /, and sub-directory index documents are off
        assertEquals(List.of("/", "/blog/index.html", "/home.html", "/index.html"), plan.paths());
    }

    @Test
    void plan_shouldUseIndexDocumentAtRouteRoot_whenRouteIsServedUnderAPath() {
        // given docs-site/ served at /docs/ by its own distribution
        InvalidationPlanner planner = planner("DISTRIBUTION_ROUTES", "docs-site/=E2DOCSEXAMPLE:/docs/");

        // when
        BatchPlan plan = planner.plan("E2DOCSEXAMPLE", List.of(put("docs-site/index.html")));

        // then
        assertEquals(List.of("/docs/", "/docs/index.html"), plan.paths());
        assertEquals("E2DOCSEXAMPLE", plan.distributionId());
    }

    @Test
    void plan_shouldEncodeKeys_whenKeysHaveSpacesUnicodePlusAndReservedCharacters() {
        // given decoded keys as S3EventReader hands them over
        InvalidationPlanner planner = planner();

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("press/2024 report (final) + notes.pdf"),
                put("日本語/~team/Q&A #1.html"), put("Docs/README.HTML")));

        // then
        assertEquals(List.of("/%E6%97%A5%E6%9C%AC%E8%AA%9E/%7Eteam/Q&A%20%231.html", "/Docs/README.HTML",
                "/press/2024%20report%20(final)%20%2B%20notes.pdf"), plan.paths());
    }

    @Test
    void plan_shouldDeduplicateAndSkipFolderMarkers_whenSameObjectChangesTwice() {
        // given a put then a copy of the same key, and a console "create folder" marker
        InvalidationPlanner planner = planner();
        List<ObjectChange> changes = List.of(put("a.html"), copy("a.html"), put("images/"));

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, changes);

        // then
        assertEquals(List.of("/a.html"), plan.paths());
        assertEquals(1, plan.skippedFolders());
        assertEquals(3, plan.objectsIn());
    }

    @Test
    void plan_shouldGiveSameReferenceAndPaths_whenTheSameBatchArrivesInAnotherOrder() {
        // given
        InvalidationPlanner planner = planner();
        List<ObjectChange> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(put("p/" + i + ".html"));
        }
        List<ObjectChange> shuffled = new ArrayList<>(changes);
        Collections.shuffle(shuffled, new Random(7));

        // when
        BatchPlan first = planner.plan(DISTRIBUTION, changes);
        BatchPlan again = planner.plan(DISTRIBUTION, shuffled);
        BatchPlan other = planner.plan(DISTRIBUTION, changes.subList(0, 39));

        // then
        InvalidationPlan firstRequest = first.invalidations().getFirst();
        assertEquals(firstRequest.callerReference(), again.invalidations().getFirst().callerReference());
        assertEquals(first.paths(), again.paths());
        assertNotEquals(firstRequest.callerReference(), other.invalidations().getFirst().callerReference());
        assertNotEquals(firstRequest.callerReference(), firstRequest.callerReferenceWithPaths());
        assertTrue(firstRequest.callerReference().length() <= 64);
    }

    @Test
    void plan_shouldCollapseNarrowestSufficientDirectory_whenOverBudget() {
        // given 60 new posts in /blog/2024/ and 5 pages at the root, budget 50
        InvalidationPlanner planner = planner("MAX_PATHS_PER_INVALIDATION", "50");
        List<ObjectChange> changes = new ArrayList<>(keys("blog/2024/post-", 60));
        changes.addAll(keys("page-", 5));
        changes.add(put("blog/about.html"));

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, changes);

        // then /blog/2024/* rather than /blog/*: it alone brings the plan within budget
        assertEquals(7, plan.paths().size());
        assertTrue(plan.paths().contains("/blog/2024/*"), plan.paths().toString());
        assertTrue(plan.paths().contains("/blog/about.html"), plan.paths().toString());
        assertEquals(66, plan.candidatePaths());
        assertEquals(List.of(new BatchPlan.Wildcard("/blog/2024/*", 60, -1)), plan.wildcards());
        assertTrue(plan.reason().startsWith("over budget: 66 paths > 50"), plan.reason());
    }

    @Test
    void plan_shouldCollapseBusiestDirectoriesFirst_whenNoSingleDirectorySuffices() {
        // given 30 changes in /a/, 20 in /b/, 10 in /c/, budget 15
        InvalidationPlanner planner = planner("MAX_PATHS_PER_INVALIDATION", "15");
        List<ObjectChange> changes = new ArrayList<>(keys("a/f", 30));
        changes.addAll(keys("b/f", 20));
        changes.addAll(keys("c/f", 10));

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, changes);

        // then
        assertEquals(12, plan.paths().size());
        assertTrue(plan.paths().containsAll(List.of("/a/*", "/b/*", "/c/f0.html")), plan.paths().toString());
        assertEquals(2, plan.wildcardCount());
        assertEquals(10, plan.filePathCount());
    }

    @Test
    void plan_shouldSplitIntoSeveralInvalidations_whenWildcardAllowanceCannotCoverTheBudget() {
        // given three unrelated busy directories, budget 10, at most 2 wildcards per invalidation
        InvalidationPlanner planner = planner("MAX_PATHS_PER_INVALIDATION", "10", "MAX_WILDCARDS_PER_INVALIDATION", "2");
        List<ObjectChange> changes = new ArrayList<>(keys("a/x/f", 20));
        changes.addAll(keys("b/y/f", 20));
        changes.addAll(keys("c/z/f", 20));

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, changes);

        // then three deep wildcards in two invalidations, never /*
        assertEquals(List.of("/a/x/*", "/b/y/*", "/c/z/*"), plan.paths());
        assertEquals(2, plan.invalidations().size());
        assertTrue(plan.invalidations().stream().allMatch(i -> i.wildcardCount() <= 2));
        assertTrue(plan.deferred().isEmpty());
        assertTrue(plan.reason().startsWith("no allowed plan fits"), plan.reason());
    }

    @Test
    void plan_shouldUseEverythingWildcard_onlyWhenTheOperatorAllowsIt() {
        // given 60 files at the root, which no directory wildcard can cover
        List<ObjectChange> pages = keys("page-", 60);

        // when
        BatchPlan refused = planner().plan(DISTRIBUTION, pages);
        BatchPlan allowed = planner("ALLOW_FULL_PURGE", "true").plan(DISTRIBUTION, pages);

        // then
        assertFalse(refused.paths().contains("/*"));
        assertEquals(60, refused.billedPaths());
        assertEquals(2, refused.invalidations().size());
        assertEquals(List.of("/*"), allowed.paths());
    }

    @Test
    void plan_shouldMergeWildcards_whenKeysWithStarsExceedTheWildcardAllowance() {
        // given three keys containing '*' (each a wildcard) and an allowance of 2 wildcards
        InvalidationPlanner planner = planner("MAX_WILDCARDS_PER_INVALIDATION", "2");

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, List.of(put("s/a/x*1.png"), put("s/b/y*2.png"),
                put("s/c/z*3.png"), put("s/c/z-covered.png"), put("top.html")));

        // then
        assertEquals(List.of("/s/*", "/top.html"), plan.paths());
        assertEquals(1, plan.wildcardCount());
    }

    @Test
    void plan_shouldStayWithinCloudFrontInFlightLimits_whenBatchIsHuge() {
        // given 3 600 changed pages over 45 directories and the largest budget allowed
        InvalidationPlanner planner = planner("MAX_PATHS_PER_INVALIDATION", "3000", "MAX_WILDCARDS_PER_INVALIDATION", "15");
        List<ObjectChange> changes = new ArrayList<>();
        for (int d = 0; d < 45; d++) {
            changes.addAll(keys("section-" + d + "/page-", 80));
        }

        // when
        BatchPlan plan = planner.plan(DISTRIBUTION, changes);

        // then
        assertTrue(plan.filePathCount() <= InvalidationConfig.CLOUDFRONT_MAX_FILE_PATHS, plan.reason());
        assertTrue(plan.wildcardCount() <= InvalidationConfig.CLOUDFRONT_MAX_WILDCARDS, plan.reason());
        assertTrue(plan.paths().size() <= 3000);
        assertEquals(3600, plan.candidatePaths());
        assertFalse(plan.paths().contains("/*"));
    }

    @Test
    void logFields_shouldExplainPathsInPathsOutWildcardsAndWhy_whenPlanCollapsed() {
        // given
        BatchPlan plan = planner("MAX_PATHS_PER_INVALIDATION", "5").plan(DISTRIBUTION, keys("docs/p", 10));

        // when
        Map<String, Object> fields = new HashMap<>();
        Object[] pairs = plan.logFields();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }

        // then
        assertEquals(10, fields.get("objectsIn"));
        assertEquals(10, fields.get("candidatePaths"));
        assertEquals(1, fields.get("billedPaths"));
        assertEquals(1, fields.get("wildcardCount"));
        assertEquals(0L, fields.get("collateral"));
        assertEquals(List.of("/docs/* (10 paths, unknown unchanged)"), fields.get("wildcards"));
        assertTrue(String.valueOf(fields.get("reason")).contains("over budget"));
    }

    @Test
    void plan_shouldReject_whenAKeyIsNotRoutedToTheDistribution() {
        // given
        InvalidationPlanner planner = planner("KEY_PREFIX", "site/");

        // when / then
        assertThrows(IllegalArgumentException.class, () -> planner.plan(DISTRIBUTION, List.of(put("logs/x.log"))));
    }

    @Test
    void from_shouldNameTheVariable_whenConfigurationIsInvalid() {
        // given / when / then
        assertEquals("DISTRIBUTION_ID", assertThrows(ConfigException.class,
                () -> InvalidationConfig.from(Env.of(Map.of()))).variable());
        assertEquals("MAX_WILDCARDS_PER_INVALIDATION", assertThrows(ConfigException.class,
                () -> config("MAX_WILDCARDS_PER_INVALIDATION", "16")).variable());
        assertEquals("DISTRIBUTION_ROUTES", assertThrows(ConfigException.class,
                () -> config("DISTRIBUTION_ROUTES", "docs/")).variable());
        assertEquals("KEY_PREFIX", assertThrows(ConfigException.class,
                () -> config("KEY_PREFIX", "/site/")).variable());
        assertEquals("IMMUTABLE_KEY_PATTERN", assertThrows(ConfigException.class,
                () -> config("IMMUTABLE_KEY_PATTERN", "([")).variable());
    }

    @Test
    void routeFor_shouldPickLongestPrefix_whenRoutesOverlap() {
        // given
        InvalidationConfig config = config("KEY_PREFIX", "site/", "DISTRIBUTION_ROUTES", "site/docs/=E2DOCS:/docs/");

        // when / then
        assertEquals("E2DOCS", config.routeFor("site/docs/a.html").orElseThrow().distributionId());
        assertEquals(DISTRIBUTION, config.routeFor("site/a.html").orElseThrow().distributionId());
        assertTrue(config.routeFor("logs/a.log").isEmpty());
    }

    static InvalidationConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("DISTRIBUTION_ID", DISTRIBUTION));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return InvalidationConfig.from(Env.of(env));
    }

    private static InvalidationPlanner planner(String... pairs) {
        return new InvalidationPlanner(config(pairs));
    }

    static ObjectChange put(String key) {
        return new ObjectChange("msg-" + key, "site-bucket", key, ObjectChange.Kind.CREATED, "ObjectCreated:Put");
    }

    private static ObjectChange copy(String key) {
        return new ObjectChange("msg-copy-" + key, "site-bucket", key, ObjectChange.Kind.CREATED, "ObjectCreated:Copy");
    }

    private static List<ObjectChange> keys(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> put(prefix + i + ".html")).toList();
    }
}
