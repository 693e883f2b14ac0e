package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.jpeg.ImageIoJpegWriter;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegEncoder;
import io.mediasuite.thumbnails.pipeline.png.PngEncoder;

/**
 * Pipeline step "encode": JPEG (quality, optimised Huffman tables, 4:2:0) through our {@link JpegEncoder}, or
 * the JDK's writer ({@link ImageIoJpegWriter}) when progressive output is configured; PNG (alpha kept; zlib level 1, row filter and coding chosen per image) through {@link PngEncoder}, or lossy
 * WebP (alpha kept) through {@link WebpEncoder}. Nothing from the source is copied, so the output carries no
 * EXIF (no orientation to apply twice) and no ICC profile (the pixels are sRGB, the web's default).
 *
 * <p>JPEG has no alpha: it is composited over white first (the JDK's writer would otherwise return false from
 * {@code ImageIO.write} and write nothing, a 0-byte thumbnail).
 */
public final class ThumbnailEncoder {

    /** libwebp's and sharp's default lossy quality. */
    public static final int DEFAULT_WEBP_QUALITY = 80;

    private final int jpegQuality;
    private final boolean progressive;
    private final WebpEncoder webp;

    /** @param jpegQuality 1-100, as libjpeg / sharp count it */
    public ThumbnailEncoder(int jpegQuality, boolean progressive) {
        this(jpegQuality, progressive, DEFAULT_WEBP_QUALITY);
    }

    /** @param webpQuality 1-100, libwebp's lossy quality factor */
    public ThumbnailEncoder(int jpegQuality, boolean progressive, int webpQuality) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100: " + jpegQuality);
        }
        this.jpegQuality = jpegQuality;
        this.progressive = progressive;
        this.webp = new WebpEncoder(webpQuality);
    }

    public byte[] encode(RasterImage image, OutputFormat format) {
        return switch (format) {
            case PNG -> PngEncoder.encode(image);
            case WEBP -> webp.encode(image);
            case JPEG -> {
                RasterImage opaque = image.hasAlpha() ? flattenOnWhite(image) : image;
                yield progressive ? ImageIoJpegWriter.encode(opaque, jpegQuality, true)
                        : JpegEncoder.encode(opaque, jpegQuality);
            }
        };
    }

    /** Whether JPEG output is baseline 4:2:0 from {@link JpegEncoder}, which can take YCbCr planes directly. */
    boolean encodesPlanarJpeg() {
        return !progressive;
    }

    /** A JPEG from Y and half-size Cb, Cr planes (see {@link JpegEncoder#encodeYcc}). */
    byte[] encodeYcc(int width, int height, byte[] y, byte[] cb, byte[] cr) {
        return JpegEncoder.encodeYcc(width, height, y, cb, cr, jpegQuality);
    }

    /** A JPEG from R, G and B planes (see {@link JpegEncoder#encodeRgb}). */
    byte[] encodeRgb(int width, int height, byte[] r, byte[] g, byte[] b) {
        return JpegEncoder.encodeRgb(width, height, r, g, b, jpegQuality);
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
