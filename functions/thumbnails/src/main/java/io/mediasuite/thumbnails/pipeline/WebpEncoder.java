package io.mediasuite.thumbnails.pipeline;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Lossy WebP through libwebp (the JNI library bundled by {@code org.sejda.imageio:webp-imageio}, built in 2020).
 *
 * <p>Only our own, already decoded pixels go in. The same jar registers a WebP <em>reader</em> with ImageIO; it is
 * removed from the registry here, so {@link ImageIoDecoder} can never hand attacker-supplied bytes to that old
 * native decoder (libwebp before 1.3.2 has a heap overflow in its lossless decoder, CVE-2023-4863). Gray images
 * are widened to RGB first (WebP has no gray mode); alpha is kept (WebP carries it).
 */
public final class WebpEncoder {

    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        WebPImageReaderSpi reader = registry.getServiceProviderByClass(WebPImageReaderSpi.class);
        if (reader != null) {
            registry.deregisterServiceProvider(reader, ImageReaderSpi.class);
        }
    }

    private static final WebPImageWriterSpi WRITERS = new WebPImageWriterSpi();

    /** The widest and tallest image WebP can hold (its header stores 14-bit dimensions). */
    static final int MAX_DIMENSION = 16_383;

    private final float quality;

    /** @param quality 1-100, libwebp's (and sharp's) lossy quality factor */
    public WebpEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("WebP quality must be 1-100, got " + quality);
        }
        this.quality = quality / 100f;
    }

    /**
     * Whether WebP can hold an image of this size. The guard lets sources up to 30 000 pixels a side through, and
     * a thumbnail is never enlarged, so a box with a free side (0x600) can leave a panorama wider than WebP allows;
     * libwebp then writes nothing and the plugin fails with a NullPointerException.
     */
    static boolean fits(int width, int height) {
        return width <= MAX_DIMENSION && height <= MAX_DIMENSION;
    }

    /** Lossy WebP of {@code image}, libwebp's default method (4), as sharp's default effort. */
    public byte[] encode(RasterImage image) {
        RasterImage pixels = image.bands() <= 2 ? widenGray(image) : image;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        ImageWriter writer = newWriter();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            WebPWriteParam param = new WebPWriteParam(Locale.ROOT);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(param.getCompressionTypes()[WebPWriteParam.LOSSY_COMPRESSION]);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(pixels.toBufferedImage(), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("WebP encoding failed", e);
        } finally {
            writer.dispose();
        }
        byte[] result = bytes.toByteArray();
        if (result.length == 0) {
            throw new IllegalStateException("WebP encoder wrote nothing");
        }
        return result;
    }

    private static ImageWriter newWriter() {
        try {
            return WRITERS.createWriterInstance();
        } catch (IOException e) {
            throw new UncheckedIOException("no WebP writer", e);
        }
    }

    /**
     * Loads libwebp and encodes one pixel, so a platform without the bundled library (the jar carries Linux x86_64
     * only: an arm64 function, or a missing /tmp) fails at init in one line instead of on the first WebP request.
     *
     * @throws IllegalStateException naming the cause
     */
    public static void checkAvailable() {
        try {
            new WebpEncoder(80).encode(new RasterImage(1, 1, 3, new byte[3]));
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("libwebp (webp-imageio, Linux x86_64 only) cannot run here: " + e, e);
        }
    }

    /** Gray (+ alpha) to RGB (+ alpha): the writer would otherwise go through ColorModel.getRGB per pixel. */
    static RasterImage widenGray(RasterImage image) {
        int count = image.width() * image.height();
        boolean alpha = image.hasAlpha();
        int inBands = image.bands();
        int outBands = alpha ? 4 : 3;
        byte[] src = image.pixels();
        byte[] out = new byte[count * outBands];
        for (int i = 0; i < count; i++) {
            byte v = src[i * inBands];
            int o = i * outBands;
            out[o] = v;
            out[o + 1] = v;
            out[o + 2] = v;
            if (alpha) {
                out[o + 3] = src[i * inBands + 1];
            }
        }
        return new RasterImage(image.width(), image.height(), outBands, out);
    }
}
