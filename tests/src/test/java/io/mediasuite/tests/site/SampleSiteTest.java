package io.mediasuite.tests.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sample site's pages ask only for thumbnails the origin serves without a signature, and describe them
 * truthfully: the {@code srcset} width descriptors and the {@code width}/{@code height} attributes are the pixel
 * sizes the origin makes, so the browser picks the right candidate and reserves the right box.
 */
class SampleSiteTest {

    private static final Pattern IMG = Pattern.compile("<img\\s([^>]*)>", Pattern.DOTALL);
    private static final long MAX_SITE_BYTES = 1_500_000;

    @Test
    void pages_shouldUseOnlyAllowedThumbnailSizes_whenTheyReferToImages() throws IOException {
        Set<String> allowed = SampleSite.allowedSizes();
        int thumbnails = 0;
        for (String page : SampleSite.pages()) {
            for (String url : imageUrls(page)) {
                SampleSite.Thumbnail thumbnail = SampleSite.Thumbnail.parse(url);
                assertNotNull(thumbnail, page + ": " + url + " is not a thumbnail URL");
                assertTrue(allowed.contains(thumbnail.size()), page + ": " + url + " asks for " + thumbnail.size()
                        + ", not one of " + allowed);
                assertTrue(Files.isRegularFile(SampleSite.IMAGES.resolve(thumbnail.name())),
                        page + ": no original for " + url);
                thumbnails++;
            }
        }
        assertTrue(thumbnails >= 10, "the pages use " + thumbnails + " thumbnails");
    }

    @Test
    void srcset_shouldDescribeTheRealThumbnailWidths_whenTheBrowserChoosesACandidate() throws IOException {
        int candidates = 0;
        for (String page : SampleSite.pages()) {
            for (String img : imgTags(page)) {
                String srcset = attribute(img, "srcset");
                if (srcset == null) {
                    continue;
                }
                assertNotNull(attribute(img, "sizes"), page + ": srcset with w descriptors needs sizes: " + img);
                for (String candidate : srcset.split(",")) {
                    String[] parts = candidate.trim().split("\\s+");
                    assertEquals(2, parts.length, page + ": candidate without descriptor: " + candidate);
                    Dimension made = SampleSite.Thumbnail.parse(parts[0]).expectedPixels();
                    assertEquals(made.width + "w", parts[1], page + ": " + parts[0] + " is " + made.width
                            + " pixels wide");
                    candidates++;
                }
            }
        }
        assertTrue(candidates >= 10, "the gallery has " + candidates + " srcset candidates");
    }

    @Test
    void img_shouldDeclareTheSizeOfItsSrc_whenThePageLaysOut() throws IOException {
        for (String page : SampleSite.pages()) {
            for (String img : imgTags(page)) {
                Dimension made = SampleSite.Thumbnail.parse(attribute(img, "src")).expectedPixels();
                assertEquals(String.valueOf(made.width), attribute(img, "width"), page + ": " + img);
                assertEquals(String.valueOf(made.height), attribute(img, "height"), page + ": " + img);
                assertFalse(attribute(img, "alt").isBlank(), page + ": no alt text: " + img);
            }
        }
    }

    @Test
    void originals_shouldBeLargerThanEveryThumbnail_andTheSiteSmall() throws IOException {
        boolean alphaPng = false;
        try (Stream<Path> images = Files.list(SampleSite.IMAGES)) {
            for (Path image : images.toList()) {
                Dimension size = SampleSite.original(image.getFileName().toString());
                assertTrue(size.width > 800 && size.height > 600, image + " is " + size + ": no real downsizing");
                if (image.toString().endsWith(".png")) {
                    alphaPng |= javax.imageio.ImageIO.read(image.toFile()).getColorModel().hasAlpha();
                }
            }
        }
        assertTrue(alphaPng, "one original is a PNG with alpha");
        try (Stream<Path> files = Files.walk(SampleSite.DIR)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            assertTrue(bytes < MAX_SITE_BYTES, "site/ holds " + bytes + " bytes");
        }
    }

    private static List<String> imgTags(String page) throws IOException {
        String html = Files.readString(SampleSite.DIR.resolve(page));
        List<String> tags = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            tags.add(m.group(1));
        }
        return tags;
    }

    private static List<String> imageUrls(String page) throws IOException {
        List<String> urls = new ArrayList<>();
        for (String img : imgTags(page)) {
            urls.add(attribute(img, "src"));
            String srcset = attribute(img, "srcset");
            if (srcset != null) {
                for (String candidate : srcset.split(",")) {
                    urls.add(candidate.trim().split("\\s+")[0]);
                }
            }
        }
        return urls;
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : null;
    }
}
