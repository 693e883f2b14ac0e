package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.common.Log;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The general decoder: ImageIO with whatever readers are registered (the JDK's, plus TwelveMonkeys' JPEG reader
 * for YCCK, lossless and other JPEG variants the fast path leaves out). Used for GIF (first frame), BMP,
 * interlaced PNG and those JPEGs.
 *
 * <p>Defended traps: the stream is a {@link MemoryCacheImageInputStream} (never ImageIO's disk cache); a reader
 * warning (how the JDK's JPEG reader reports "premature end of data" before returning a grey-filled image) is
 * treated as corruption, and so is a runtime exception from a reader. What a reader may allocate is bounded
 * before it runs: {@link DecodeBudget#checkImageIo} refuses files over 12 MP or whose full-size raster does not
 * fit the budget, since the readers decode every pixel whatever subsampling is asked for.
 */
final class ImageIoDecoder {

    private ImageIoDecoder() {
    }

    static ReducedImage decode(byte[] data, SourceInfo info, ResizePlan plan, Deadline deadline) {
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new UnsupportedImageException("no ImageIO reader for " + info.format());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (signalsDamage(warning)) {
                        throw new CorruptImageException("ImageIO reader warning: " + warning);
                    }
                    Log.debug("ImageIO reader warning", "warning", warning);
                });
                ImageReadParam param = reader.getDefaultReadParam();
                BufferedImage image;
                try {
                    image = reader.read(0, param);
                } catch (CorruptImageException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // The readers are third-party code that does not validate everything it reads (TwelveMonkeys'
                    // lossless decoder indexes out of range on damaged scans); to the pipeline that is corruption.
                    throw new CorruptImageException("ImageIO reader failed: " + e, e);
                }
                deadline.check();
                return reduce(image, plan);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new CorruptImageException("ImageIO could not read the image: " + e.getMessage(), e);
        }
    }

    /** libjpeg's and the JDK readers' wording for data that ran out or did not decode. */
    static boolean signalsDamage(String warning) {
        String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
        return w.contains("premature end") || w.contains("corrupt") || w.contains("truncat")
                || w.contains("unexpected end") || w.contains("bad huffman");
    }

    private static ReducedImage reduce(BufferedImage image, ResizePlan plan) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Read the samples, not getRGB(): the JDK treats its gray colour space as linear and would lighten them.
            PlaneReducer gray = reducer(w, h, plan);
            byte[] row = new byte[w];
            for (int y = 0; y < h; y++) {
                image.getRaster().getDataElements(0, y, w, 1, row);
                gray.row(y, row, 0, 1);
            }
            return new ReducedImage(plan.outWidth(), plan.outHeight(), ColourKind.GRAY,
                    new byte[][] {gray.result()}, null, null);
        }
        boolean alpha = image.getColorModel().hasAlpha();
        int channels = alpha ? 4 : 3;
        PlaneReducer[] reducers = new PlaneReducer[channels];
        for (int c = 0; c < channels; c++) {
            reducers[c] = reducer(w, h, plan);
        }
        int[] argb = new int[w];
        byte[] row = new byte[w * channels];
        for (int y = 0; y < h; y++) {
            if (!reducers[0].wants(y)) {
                continue;
            }
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int a = p >>> 24;
                int o = x * channels;
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                if (alpha) {
                    r = (r * a + 127) / 255;
                    g = (g * a + 127) / 255;
                    b = (b * a + 127) / 255;
                    row[o + 3] = (byte) a;
                }
                row[o] = (byte) r;
                row[o + 1] = (byte) g;
                row[o + 2] = (byte) b;
            }
            for (int c = 0; c < channels; c++) {
                reducers[c].row(y, row, c, channels);
            }
        }
        byte[][] planes = {reducers[0].result(), reducers[1].result(), reducers[2].result()};
        return new ReducedImage(plan.outWidth(), plan.outHeight(), ColourKind.RGB, planes,
                alpha ? reducers[3].result() : null, null);
    }

    private static PlaneReducer reducer(int w, int h, ResizePlan plan) {
        return new PlaneReducer(w, h, 1, 1, plan.regionX(), plan.regionY(), plan.regionWidth(),
                plan.regionHeight(), plan.outWidth(), plan.outHeight());
    }
}
