import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Draws the sample site's gallery images: procedural art made by this project, so the repository may carry and
 * redistribute them (see site/README.md). Deterministic: fixed seeds, so a re-run gives the same pictures.
 *
 * <p>{@code java site/tools/GenerateImages.java site/static/images}
 */
public final class GenerateImages {

    private static final float JPEG_QUALITY = 0.82f;

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "site/static/images");
        Files.createDirectories(out);
        jpeg(dunes(1600, 1067), out.resolve("dunes.jpg"));
        jpeg(aurora(1600, 1067), out.resolve("aurora.jpg"));
        jpeg(tiles(1067, 1600), out.resolve("tiles.jpg"));
        jpeg(contours(1600, 900), out.resolve("contours.jpg"));
        ImageIO.write(orbit(1200, 1200), "png", out.resolve("orbit.png").toFile());
    }

    /** Layered sand dunes under a sunset: smooth gradients, the common case of a photo-like JPEG. */
    private static BufferedImage dunes(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = smooth(image);
        g.setPaint(new LinearGradientPaint(0, 0, 0, h * 0.6f, new float[] {0f, 0.55f, 1f},
                new Color[] {new Color(0x2b1d4f), new Color(0xe0607e), new Color(0xffc46b)}));
        g.fillRect(0, 0, w, h);
        g.setPaint(new RadialGradientPaint(w * 0.68f, h * 0.46f, h * 0.16f, new float[] {0f, 0.7f, 1f},
                new Color[] {new Color(0xfff3c4), new Color(0xffd27a), new Color(255, 200, 120, 0)}));
        g.fill(new Ellipse2D.Float(w * 0.68f - h * 0.16f, h * 0.46f - h * 0.16f, h * 0.32f, h * 0.32f));
        Color[] sand = {new Color(0xc9733f), new Color(0xb35c34), new Color(0x8f4329), new Color(0x6a2f22),
                new Color(0x47201a)};
        for (int layer = 0; layer < sand.length; layer++) {
            float base = h * (0.5f + layer * 0.1f);
            Path2D.Float dune = new Path2D.Float();
            dune.moveTo(0, h);
            for (int x = 0; x <= w; x += 8) {
                double y = base - Math.sin(x / (180.0 + layer * 40) + layer * 1.7) * h * 0.045
                        - Math.sin(x / (61.0 + layer * 9) + layer) * h * 0.012;
                dune.lineTo(x, y);
            }
            dune.lineTo(w, h);
            dune.closePath();
            g.setPaint(new GradientPaint(0, base - h * 0.06f, sand[layer].brighter(), 0, base + h * 0.2f, sand[layer]));
            g.fill(dune);
        }
        label(g, "dunes", w, h);
        g.dispose();
        return image;
    }

    /** A night sky with aurora curtains and stars: fine detail, so thumbnails show real downsizing. */
    private static BufferedImage aurora(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = smooth(image);
        g.setPaint(new GradientPaint(0, 0, new Color(0x03061a), 0, h, new Color(0x0d2a3f)));
        g.fillRect(0, 0, w, h);
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            int alpha = 80 + random.nextInt(175);
            g.setColor(new Color(255, 255, 240, alpha));
            float size = 1f + random.nextFloat() * 2.2f;
            g.fill(new Ellipse2D.Float(random.nextFloat() * w, random.nextFloat() * h * 0.8f, size, size));
        }
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.09f));
        for (int band = 0; band < 3; band++) {
            Color color = band == 1 ? new Color(0x9b5cff) : new Color(0x3dffa8);
            for (int x = 0; x < w; x += 3) {
                double top = h * (0.18 + band * 0.1) + Math.sin(x / 140.0 + band * 2.1) * h * 0.08
                        + Math.sin(x / 37.0 + band) * h * 0.015;
                double length = h * (0.2 + 0.12 * (1 + Math.sin(x / 90.0 + band * 0.8)));
                g.setPaint(new GradientPaint(x, (float) top, color, x, (float) (top + length), new Color(0, 0, 0, 0)));
                g.fillRect(x, (int) top, 6, (int) length);
            }
        }
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(new Color(0x02040c));
        Path2D.Float ridge = new Path2D.Float();
        ridge.moveTo(0, h);
        for (int x = 0; x <= w; x += 20) {
            ridge.lineTo(x, h * 0.86 - Math.abs(Math.sin(x / 210.0)) * h * 0.1 - (x * 37 % 23));
        }
        ridge.lineTo(w, h);
        ridge.closePath();
        g.fill(ridge);
        label(g, "aurora", w, h);
        g.dispose();
        return image;
    }

    /** A portrait of coloured tiles: hard edges, and a tall aspect ratio for the 0x300 and 400x0 sizes. */
    private static BufferedImage tiles(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = smooth(image);
        Random random = new Random(11);
        int cell = 89;
        Color[] palette = {new Color(0x264653), new Color(0x2a9d8f), new Color(0xe9c46a), new Color(0xf4a261),
                new Color(0xe76f51), new Color(0xf1faee)};
        for (int y = 0; y < h; y += cell) {
            for (int x = 0; x < w; x += cell) {
                g.setColor(palette[random.nextInt(palette.length)]);
                g.fillRect(x, y, cell, cell);
                g.setColor(palette[random.nextInt(palette.length)]);
                switch (random.nextInt(4)) {
                    case 0 -> g.fillOval(x + 10, y + 10, cell - 20, cell - 20);
                    case 1 -> g.fillArc(x - cell, y - cell, cell * 2, cell * 2, 270, 90);
                    case 2 -> g.fillPolygon(new int[] {x, x + cell, x}, new int[] {y, y + cell, y + cell}, 3);
                    default -> g.fillRect(x + cell / 4, y + cell / 4, cell / 2, cell / 2);
                }
            }
        }
        label(g, "tiles", w, h);
        g.dispose();
        return image;
    }

    /** Topographic contour lines over a height field: thin lines that show how well a thumbnail filters. */
    private static BufferedImage contours(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double[][] peaks = {{0.3, 0.4, 0.22}, {0.72, 0.55, 0.18}, {0.5, 0.85, 0.25}, {0.1, 0.9, 0.15}};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double height = 0;
                for (double[] p : peaks) {
                    double dx = x / (double) w - p[0];
                    double dy = y / (double) h - p[1];
                    height += Math.exp(-(dx * dx + dy * dy) / (p[2] * p[2]));
                }
                double band = height * 14 % 1.0;
                boolean line = height > 0.08 && band < 0.06;
                int r = (int) (60 + height * 70);
                int green = (int) (110 + height * 60);
                int b = (int) (70 + height * 30);
                image.setRGB(x, y, line ? 0x3b2f1e : (Math.min(r, 255) << 16) | (Math.min(green, 255) << 8) | b);
            }
        }
        Graphics2D g = smooth(image);
        label(g, "contours", w, h);
        g.dispose();
        return image;
    }

    /** Rings around a planet on a transparent background: the PNG with an alpha channel. */
    private static BufferedImage orbit(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = smooth(image);
        float cx = w / 2f;
        float cy = h / 2f;
        g.setStroke(new BasicStroke(18f));
        Color[] rings = {new Color(0x7fb8ff), new Color(0xffb870), new Color(0xa3f7bf), new Color(0xff7aa2)};
        for (int i = 0; i < rings.length; i++) {
            float r = w * (0.24f + i * 0.06f);
            g.setColor(rings[i]);
            g.draw(new Ellipse2D.Float(cx - r, cy - r * 0.38f, r * 2, r * 0.76f));
        }
        g.setPaint(new RadialGradientPaint(cx - w * 0.06f, cy - h * 0.06f, w * 0.22f, new float[] {0f, 1f},
                new Color[] {new Color(0xfff1d0), new Color(0xd9822b)}));
        g.fill(new Ellipse2D.Float(cx - w * 0.17f, cy - w * 0.17f, w * 0.34f, w * 0.34f));
        g.setColor(new Color(255, 255, 255, 140));
        for (int i = 0; i < 3; i++) {
            float r = w * (0.05f + i * 0.012f);
            float x = w * (0.12f + i * 0.35f);
            float y = h * (0.15f + (i % 2) * 0.7f);
            g.fill(new Ellipse2D.Float(x - r / 2, y - r / 2, r, r));
        }
        g.dispose();
        return image;
    }

    private static Graphics2D smooth(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    /** The image's name in a corner, so a person can tell the thumbnails apart at a glance. */
    private static void label(Graphics2D g, String text, int w, int h) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(24, w / 22)));
        g.setColor(new Color(255, 255, 255, 200));
        g.drawString(text, w / 24f, h - h / 20f);
    }

    private static void jpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        Files.deleteIfExists(file);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
