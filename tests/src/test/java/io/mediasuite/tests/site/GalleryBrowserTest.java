package io.mediasuite.tests.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Dimension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample site in a real browser, through the local CloudFront edge: headless Chromium loads the gallery from
 * the suite (the site synced into its buckets, thumbnails made on the fly by ThumbnailFunction behind
 * ThumbnailApi), and every {@code <img>} must have loaded with the pixel size its chosen {@code srcset} candidate
 * promises; a reload with the browser's own cache off must get every thumbnail from the edge cache. Screenshots
 * land in {@code tests/target/browser/} for a person to look at.
 */
@ExtendWith(SiteSuite.Resolver.class)
class GalleryBrowserTest {

    private static final Path OUT = Path.of("target", "browser");
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final String ALL_IMAGES_SETTLED =
            "document.readyState === 'complete' && Array.from(document.images).every(i => i.complete)";
    /**
     * Each image's chosen candidate, whether it decoded in the page, and its size in pixels: naturalWidth of a
     * srcset image is in CSS pixels (divided by the candidate's density), so the pixel size comes from decoding
     * the chosen URL again without srcset.
     */
    private static final String IMAGES = """
            Promise.all(Array.from(document.images).map(img => new Promise(resolve => {
                const probe = new Image();
                const report = () => resolve({src: img.currentSrc, shown: img.naturalWidth,
                    width: probe.naturalWidth, height: probe.naturalHeight});
                probe.onload = report;
                probe.onerror = report;
                probe.src = img.currentSrc;
            })))""";

    private static SiteSuite suite;
    private static Chromium chromium;
    private static final Map<String, String> X_CACHE_BY_THUMBNAIL = new ConcurrentHashMap<>();

    @BeforeAll
    static void startSuite(SiteSuite siteSuite) throws Exception {
        boolean required = System.getenv("MEDIA_SUITE_REQUIRE_BROWSER") != null;
        if (!required) {
            assumeTrue(Chromium.binary() != null, "no Chromium here: apt-get install -y chromium");
        }
        Files.createDirectories(OUT);
        suite = siteSuite;
        chromium = Chromium.launch(1280, 1000, OUT.resolve("chromium.log"));
        chromium.send("Page.enable");
        chromium.send("Network.enable");
        chromium.onEvent(event -> {
            if ("Network.responseReceived".equals(event.path("method").asText())) {
                JsonNode response = event.path("params").path("response");
                String url = response.path("url").asText();
                if (url.contains("/thumb/")) {
                    X_CACHE_BY_THUMBNAIL.put(URI.create(url).getPath(), header(response.path("headers"), "x-cache"));
                }
            }
        });
    }

    @AfterAll
    static void killBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void browserCacheOn() {
        chromium.send("Network.setCacheDisabled", Map.of("cacheDisabled", false));
    }

    @Test
    void gallery_shouldShowEveryThumbnailAtItsPromisedSize_whenLoadedThroughTheEdge() throws Exception {
        // when
        List<Image> images = load("/", 1);
        Files.write(OUT.resolve("gallery.png"), chromium.screenshot());

        // then
        assertEquals("media-suite gallery", chromium.evaluate("document.title").asText());
        assertEquals(10, images.size(), images.toString());
        assertImagesAsPromised(images);
        assertTrue(images.stream().anyMatch(i -> i.thumbnail().size().equals("400x300")), images.toString());
        assertTrue(images.stream().anyMatch(i -> i.thumbnail().cover()), images.toString());
    }

    @Test
    void gallery_shouldPickTheLargerCandidates_whenThePixelRatioIsTwo() throws Exception {
        // when: a high-density screen, as a phone or a laptop's
        List<Image> images = load("/", 2);

        // then: the grid takes its 800x600 candidates, still sizes the origin serves
        assertImagesAsPromised(images);
        assertEquals(5, images.stream().filter(i -> i.thumbnail().size().equals("800x600")).count(),
                images.toString());
    }

    @Test
    void aboutPage_shouldRender_whenRequestedByItsFolder() throws Exception {
        // when
        List<Image> images = load("/about/", 1);
        Files.write(OUT.resolve("about.png"), chromium.screenshot());

        // then
        assertEquals("About - media-suite gallery", chromium.evaluate("document.title").asText());
        assertImagesAsPromised(images);
        assertEquals(Set.of("0x300", "400x0"), Set.copyOf(images.stream().map(i -> i.thumbnail().size()).toList()));
    }

    @Test
    void reload_shouldBeServedFromTheEdgeCache_whenTheBrowserCacheIsOff() throws Exception {
        // given: a first visit fills the edge cache
        chromium.send("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        load("/", 1);

        // when: the same page again, the browser asking the edge for every thumbnail
        X_CACHE_BY_THUMBNAIL.clear();
        chromium.send("Page.reload", Map.of("ignoreCache", true));
        List<Image> images = settle();

        // then
        assertImagesAsPromised(images);
        assertEquals(10, X_CACHE_BY_THUMBNAIL.size(), X_CACHE_BY_THUMBNAIL.toString());
        X_CACHE_BY_THUMBNAIL.forEach((path, xCache) ->
                assertEquals("Hit from cloudfront", xCache, path + " was not served from the edge cache"));
    }

    private static List<Image> load(String path, int pixelRatio) throws Exception {
        chromium.send("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 1000,
                "deviceScaleFactor", pixelRatio, "mobile", false));
        chromium.send("Page.navigate", Map.of("url", suite.edge().resolve(path).toString()));
        return settle();
    }

    private static List<Image> settle() throws Exception {
        Thread.sleep(200);
        chromium.waitFor(ALL_IMAGES_SETTLED, LOAD_TIMEOUT);
        List<Image> images = new ArrayList<>();
        for (JsonNode image : chromium.evaluate(IMAGES)) {
            images.add(new Image(image.path("src").asText(), image.path("shown").asInt(),
                    image.path("width").asInt(), image.path("height").asInt()));
        }
        return images;
    }

    private static void assertImagesAsPromised(List<Image> images) {
        Set<String> allowed = SampleSite.allowedSizes();
        assertFalse(images.isEmpty(), "the page has no image");
        for (Image image : images) {
            SampleSite.Thumbnail thumbnail = image.thumbnail();
            assertNotNull(thumbnail, image.src() + " is no thumbnail URL");
            assertTrue(allowed.contains(thumbnail.size()), image.src() + " uses a size outside " + allowed);
            assertTrue(image.shownWidth() > 0, image.src() + " did not load in the page");
            Dimension expected = thumbnail.expectedPixels();
            assertEquals(expected.width + "x" + expected.height, image.width() + "x" + image.height(),
                    image.src() + " has the wrong pixel size");
        }
    }

    private static String header(JsonNode headers, String name) {
        for (var field : headers.properties()) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().asText();
            }
        }
        return null;
    }

    /** One {@code <img>}: the candidate the browser chose, its width in CSS pixels and its size in pixels. */
    private record Image(String src, int shownWidth, int width, int height) {
        SampleSite.Thumbnail thumbnail() {
            return SampleSite.Thumbnail.parse(src);
        }
    }
}
