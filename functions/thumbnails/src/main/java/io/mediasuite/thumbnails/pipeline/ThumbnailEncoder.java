package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.png.PngEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Pipeline step "encode": JPEG (quality, optional progressive, optimized Huffman tables, 4:2:0) through the
 * JDK's writer, or PNG (alpha kept, zlib level 6, unfiltered rows as libvips) through {@link PngEncoder}. Nothing from the source is copied, so the output carries no
 * EXIF (no orientation to apply twice) and no ICC profile (the pixels are sRGB, the web's default).
 *
 * <p>Trap defended: an image with alpha given to a JPEG writer makes {@code ImageIO.write} return false and
 * write nothing; here alpha is composited over white first, and an empty result is an error, never a 0-byte
 * thumbnail.
 */
public final class ThumbnailEncoder {

    private final float jpegQuality;
    private final boolean progressive;

    /** @param jpegQuality 1-100, as libjpeg / sharp count it */
    public ThumbnailEncoder(int jpegQuality, boolean progressive) {
        this.jpegQuality = jpegQuality / 100f;
        this.progressive = progressive;
    }

    public byte[] encode(RasterImage image, OutputFormat format) {
        if (format == OutputFormat.PNG) {
            return PngEncoder.encode(image);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriter writer = jdkWriter(format == OutputFormat.JPEG ? "jpeg" : "png");
            try {
                writer.setOutput(out);
                ImageWriteParam param;
                RasterImage pixels = image;
                if (format == OutputFormat.JPEG) {
                    pixels = image.hasAlpha() ? flattenOnWhite(image) : image;
                    JPEGImageWriteParam jpeg = new JPEGImageWriteParam(null);
                    jpeg.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    jpeg.setCompressionQuality(jpegQuality);
                    jpeg.setOptimizeHuffmanTables(true);
                    jpeg.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
                    param = jpeg;
                } else {
                    throw new IllegalArgumentException("not an ImageIO output: " + format);
                }
                BufferedImage buffered = pixels.toBufferedImage();
                writer.write(null, new IIOImage(buffered, null, null), param);
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("thumbnail encoding failed", e);
        }
        byte[] result = bytes.toByteArray();
        if (result.length == 0) {
            throw new IllegalStateException("encoder wrote nothing for " + format);
        }
        return result;
    }

    /** The JDK's own writer (TwelveMonkeys registers a JPEG writer too; the JDK's is the reference libjpeg). */
    private static ImageWriter jdkWriter(String format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter fallback = null;
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio.")) {
                return writer;
            }
            if (fallback == null) {
                fallback = writer;
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return fallback;
    }

    /** Composites over white: what a browser shows for a transparent pixel on a default page. */
    static RasterImage flattenOnWhite(RasterImage image) {
        int count = image.width() * image.height();
        int inBands = image.bands();
        int colour = inBands - 1;
        byte[] src = image.pixels();
        byte[] out = new byte[count * colour];
        for (int i = 0; i < count; i++) {
            int a = src[i * inBands + colour] & 0xFF;
            for (int c = 0; c < colour; c++) {
                int v = src[i * inBands + c] & 0xFF;
                out[i * colour + c] = (byte) ((v * a + 255 * (255 - a) + 127) / 255);
            }
        }
        return new RasterImage(image.width(), image.height(), colour, out);
    }
}
