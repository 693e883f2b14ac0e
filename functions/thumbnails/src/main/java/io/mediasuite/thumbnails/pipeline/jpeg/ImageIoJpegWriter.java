package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.RasterImage;
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
 * JPEG through the JDK's ImageIO writer (libjpeg 6b over JNI): optimised Huffman tables, 4:2:0 for colour, baseline
 * or libjpeg's default progressive script. The thumbnail path uses it for progressive output only ({@link
 * JpegEncoder} writes baseline files several times faster); tests and benchmarks use it as the reference.
 */
public final class ImageIoJpegWriter {

    private ImageIoJpegWriter() {
    }

    /**
     * @param image 1 (grey) or 3 (RGB) bands; alpha must have been flattened by the caller
     * @param quality 1-100, as libjpeg counts it
     */
    public static byte[] encode(RasterImage image, int quality, boolean progressive) {
        if (image.hasAlpha()) {
            throw new IllegalArgumentException("JPEG has no alpha: flatten the image first");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriter writer = jdkWriter();
            try {
                writer.setOutput(out);
                JPEGImageWriteParam param = new JPEGImageWriteParam(null);
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
                param.setOptimizeHuffmanTables(true);
                param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
                writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        }
        byte[] result = bytes.toByteArray();
        if (result.length == 0) {
            throw new IllegalStateException("the JDK's JPEG writer wrote nothing");
        }
        return result;
    }

    /** The JDK's own writer (TwelveMonkeys registers a JPEG writer too; the JDK's is the reference libjpeg). */
    private static ImageWriter jdkWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
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
            throw new IllegalStateException("no ImageIO writer for JPEG");
        }
        return fallback;
    }
}
