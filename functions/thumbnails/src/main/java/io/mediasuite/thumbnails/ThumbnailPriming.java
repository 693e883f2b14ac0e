package io.mediasuite.thumbnails;

import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
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
 * and linked (libwebp's native library loaded too) in the snapshot rather than on the first request of every restored environment. Canned pixels, no
 * S3, nothing random.
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
    }

    private static byte[] draw(String format) {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setPaint(new GradientPaint(0, 0, Color.BLUE, 96, 64, Color.ORANGE));
        graphics.fillRect(0, 0, 96, 64);
        graphics.dispose();
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
