package io.mediasuite.thumbnails;

import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import io.mediasuite.thumbnails.pipeline.png.PngEncoder;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * SnapStart priming of the pipeline (registered by {@link ThumbnailHandler}, run once before the snapshot): draws
 * a small JPEG and PNG in memory and thumbnails each in both fit modes, so ImageIO's plugin registry (the JDK's and
 * TwelveMonkeys' readers and writers), the decoders, the reducer, the colour conversion and the encoders are loaded
 * and linked (libwebp's native library loaded too) in the snapshot rather than on the first request of every
 * restored environment; then a larger JPEG and PNG a few times, so their paths' loops are compiled too. Canned
 * pixels, no S3, nothing random.
 */
final class ThumbnailPriming {

    private ThumbnailPriming() {
    }

    static void run(ThumbnailPipeline pipeline) {
        for (String format : new String[] {"jpeg", "png"}) {
            byte[] source = draw(format);
            for (FitMode mode : FitMode.values()) {
                pipeline.render(source, 32, 24, mode, Deadline.inMillis(10_000));
            }
        }
        // libwebp's JNI library is extracted to /tmp and loaded on first use: once here, not per restored instance
        pipeline.render(draw("jpeg"), 32, 24, FitMode.INSIDE, true, Deadline.inMillis(10_000));
        // The JPEG path's hot loops compiled by C2 before the snapshot, so that a restored environment starts with
        // them (the code cache is in the snapshot too): Huffman decoding, the IDCT queues, fancy upsampling, the
        // reducers and the encoder, and, with the Vector API module, the resampler's row pass and the widening,
        // whose vector operations run many times slower than scalar code until C2 compiles them. Without this the
        // first full-size render after the priming took 1.2 s of wall time (the 6 MP photo into 1470x1200; 0.6 s
        // without the module), with it 0.13-0.27 s (that photo and the 12 MP JPEG).
        //
        // The same for the PNG path, with a PNG of the same pixels whose rows are filtered mostly with Paeth (as
        // libpng-based tools write photos): inflating, the band unfilter's vector loop (VectorUnfilter, only for
        // rows that chain: ImageIO's writer and ours filter with none and up only) and the reducer's interleaved
        // rows. Without it the first 2725x2225 Paeth-filtered PNG after the priming took 1.07-1.9 s. Both cost
        // 3.5-4.5 s here, which SnapStart spends when a version is published, not on a cold start.
        BufferedImage detailed = drawDetailed();
        byte[] photo = encode(detailed, "jpeg");
        byte[] png = chainFilteredPng(detailed);
        for (int round = 0; round < WARM_ROUNDS; round++) {
            pipeline.render(photo, 800, 600, FitMode.INSIDE, Deadline.inMillis(10_000));
            pipeline.render(photo, 300, 300, FitMode.COVER, Deadline.inMillis(10_000));
            pipeline.render(png, 800, 600, FitMode.INSIDE, Deadline.inMillis(10_000));
        }
    }

    /** Renders of {@link #drawDetailed()} per box: enough for C2 to compile the JPEG and PNG paths' loops. */
    static final int WARM_ROUNDS = 10;

    /**
     * A 1200x900 image with detail in every block (a fixed pattern, not noise from a random source): as a JPEG
     * (ImageIO's 4:2:0) full-scale and scaled decodes, every IDCT queue, and a kernel reduction at each box.
     */
    private static BufferedImage drawDetailed() {
        BufferedImage image = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 900; y++) {
            for (int x = 0; x < 1200; x++) {
                int texture = (x * 7 + y * 13 + (x * y >> 3)) & 0xFF;
                image.setRGB(x, y, (x * 255 / 1200) << 16 | (y * 255 / 900) << 8 | texture);
            }
        }
        return image;
    }

    /** Filter types of the priming PNG's rows, in turn: every 32-row band has sub, average and Paeth rows. */
    private static final byte[] ROW_FILTERS = {4, 1, 4, 3, 4, 2, 4, 0};

    /**
     * An 8-bit RGB PNG of the image's size whose rows carry the filter types of {@link #ROW_FILTERS}. The filtered
     * bytes are the pixels themselves: any bytes are valid filtered data, so the file decodes (to other pixels)
     * and the decoder does the same work as for a real Paeth-filtered photo.
     */
    static byte[] chainFilteredPng(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] raw = new byte[height * (1 + 3 * width)];
        for (int y = 0, at = 0; y < height; y++) {
            raw[at++] = ROW_FILTERS[y % ROW_FILTERS.length];
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                raw[at++] = (byte) (rgb >> 16);
                raw[at++] = (byte) (rgb >> 8);
                raw[at++] = (byte) rgb;
            }
        }
        return PngEncoder.encodeFiltered(width, height, 3, raw);
    }

    private static byte[] draw(String format) {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setPaint(new GradientPaint(0, 0, Color.BLUE, 96, 64, Color.ORANGE));
        graphics.fillRect(0, 0, 96, 64);
        graphics.dispose();
        return encode(image, format);
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
