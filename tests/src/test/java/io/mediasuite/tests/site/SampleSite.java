package io.mediasuite.tests.site;

import io.mediasuite.local.emulator.ProjectLayout;
import io.mediasuite.local.template.SamTemplate;
import java.awt.Dimension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The sample site under {@code site/} and what its thumbnails must be: the sizes template.yaml allows without a
 * signature, and the pixel size the thumbnail origin makes of each original for a size (fit inside without
 * upscaling, or cover crop), as functions/thumbnails/README.md defines them.
 */
final class SampleSite {

    static final Path DIR = ProjectLayout.root().resolve("site");
    static final Path IMAGES = DIR.resolve("static/images");

    private static final Pattern THUMBNAIL =
            Pattern.compile("/static/images/thumb/(cover/)?(\\d+)/(\\d+)/([A-Za-z0-9._-]+)");
    private static final Map<String, Dimension> ORIGINALS = new HashMap<>();

    private SampleSite() {
    }

    /** A thumbnail URL of the site: the box asked for, the mode and the original's name. */
    record Thumbnail(String path, boolean cover, int width, int height, String name) {

        /** Null when {@code url} is not a thumbnail URL. */
        static Thumbnail parse(String url) {
            Matcher m = THUMBNAIL.matcher(url);
            if (!m.find()) {
                return null;
            }
            return new Thumbnail(m.group(), m.group(1) != null, Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4));
        }

        String size() {
            return width + "x" + height;
        }

        /** The thumbnail's pixel size, made from the original in site/static/images. */
        Dimension expectedPixels() {
            Dimension source = original(name);
            if (cover) {
                if (source.width >= width && source.height >= height) {
                    return new Dimension(width, height);
                }
                // A smaller original gives the largest crop of the box's aspect ratio, never an upscale.
                double cropWidth = Math.min(source.width, source.height * (double) width / height);
                return new Dimension((int) Math.round(cropWidth), (int) Math.round(cropWidth * height / width));
            }
            double sw = width == 0 ? Double.MAX_VALUE : width / (double) source.width;
            double sh = height == 0 ? Double.MAX_VALUE : height / (double) source.height;
            double scale = Math.min(1, Math.min(sw, sh));
            return new Dimension(Math.max(1, (int) Math.round(source.width * scale)),
                    Math.max(1, (int) Math.round(source.height * scale)));
        }
    }

    /** ThumbnailSizes' default in template.yaml: the sizes served without a signature. */
    static Set<String> allowedSizes() {
        Map<String, Object> parameter = SamTemplate.map(
                SamTemplate.load(ProjectLayout.root().resolve("template.yaml")).parameters().get("ThumbnailSizes"));
        return Arrays.stream(String.valueOf(parameter.get("Default")).split(",")).map(String::trim)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The site's pages, relative to site/ ({@code index.html}, {@code about/index.html}). */
    static List<String> pages() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> f.toString().endsWith(".html")).map(f -> DIR.relativize(f).toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Width and height of an original, read from its header. */
    static synchronized Dimension original(String name) {
        return ORIGINALS.computeIfAbsent(name, n -> {
            try (ImageInputStream in = ImageIO.createImageInputStream(IMAGES.resolve(n).toFile())) {
                if (in == null) {
                    throw new IllegalArgumentException("no original site/static/images/" + n);
                }
                ImageReader reader = ImageIO.getImageReaders(in).next();
                try {
                    reader.setInput(in);
                    return new Dimension(reader.getWidth(0), reader.getHeight(0));
                } finally {
                    reader.dispose();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
