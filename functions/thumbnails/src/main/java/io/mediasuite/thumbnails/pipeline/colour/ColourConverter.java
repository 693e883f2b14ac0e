package io.mediasuite.thumbnails.pipeline.colour;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.UnsupportedImageException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Pipeline step "colour": turns reduced planes in the source's colour model into interleaved sRGB.
 *
 * <p>It runs after reduction, on output pixels, for most images: YCbCr to RGB is affine, so averaging before or
 * after it gives the same result but for clamping, and an RGB profile's table bends gently. Two kinds convert
 * before resampling instead, in the decoder: YCbCr JPEGs at full scale, and below it where chroma decodes at luma
 * resolution (the clamp of saturated edges; see {@code JpegDecoder.convertsColourFirst}), and CMYK/YCCK JPEGs
 * with one sampling for all four components (up to 16 MP at the decoded scale), through {@link InkRows}: a
 * press profile's table bends ink far from linearly, and the corpus CMYK photo resampled in ink then converted
 * scored 2.5-5 dB under sharp at reductions of 1.1-2.9 (45.8 dB at 400x300 against the converted-then-reduced
 * reference; converted first, 52.5). Order within the step: alpha is un-premultiplied first, then YCbCr/CMYK are
 * converted, then an embedded ICC profile maps to sRGB.
 */
public final class ColourConverter {

    private ColourConverter() {
    }

    /** Whether an embedded profile changes colours on the way to sRGB (false without one, or for sRGB itself). */
    public static boolean convertsProfile(byte[] icc) {
        return IccTransform.forProfile(icc).isPresent();
    }

    public static RasterImage toSrgb(ReducedImage image) {
        int count = image.width() * image.height();
        byte[][] planes = image.planes();
        byte[] alpha = image.alpha();
        if (alpha != null) {
            for (byte[] plane : planes) {
                unpremultiply(plane, alpha);
            }
        }
        Optional<IccTransform> icc = IccTransform.forProfile(image.icc());
        return switch (image.kind()) {
            case GRAY -> gray(image, planes[0], alpha, icc.filter(t -> t.channels() == 1), count);
            case RGB -> rgb(image, planes[0], planes[1], planes[2], alpha, icc.filter(t -> t.channels() == 3), count);
            case YCBCR -> {
                ycbcrToRgb(planes[0], planes[1], planes[2], count);
                yield rgb(image, planes[0], planes[1], planes[2], alpha, icc.filter(t -> t.channels() == 3), count);
            }
            case YCCK, CMYK, CMYK_INVERTED -> {
                byte[] out = new byte[count * 3];
                inkToRgb(image.kind(), planes, icc.filter(t -> t.channels() == 4), count, out, null);
                yield new RasterImage(image.width(), image.height(), 3, out);
            }
            default -> throw new UnsupportedImageException("colour model " + image.kind());
        };
    }

    private static RasterImage gray(ReducedImage image, byte[] g, byte[] alpha, Optional<IccTransform> icc,
                                    int count) {
        if (icc.isPresent()) {
            int bands = alpha == null ? 3 : 4;
            byte[] out = new byte[count * bands];
            icc.get().apply(g, 1, count, out, bands);
            if (alpha != null) {
                for (int i = 0; i < count; i++) {
                    out[i * 4 + 3] = alpha[i];
                }
            }
            return new RasterImage(image.width(), image.height(), bands, out);
        }
        if (alpha == null) {
            return new RasterImage(image.width(), image.height(), 1, g);
        }
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            out[2 * i] = g[i];
            out[2 * i + 1] = alpha[i];
        }
        return new RasterImage(image.width(), image.height(), 2, out);
    }

    private static RasterImage rgb(ReducedImage image, byte[] r, byte[] g, byte[] b, byte[] alpha,
                                   Optional<IccTransform> icc, int count) {
        int bands = alpha == null ? 3 : 4;
        byte[] out = new byte[count * bands];
        if (alpha == null) {
            interleave(r, g, b, out, count);
        } else {
            for (int i = 0; i < count; i++) {
                int o = i * 4;
                out[o] = r[i];
                out[o + 1] = g[i];
                out[o + 2] = b[i];
                out[o + 3] = alpha[i];
            }
        }
        icc.ifPresent(t -> t.apply(out, bands, count, out, bands));
        return new RasterImage(image.width(), image.height(), bands, out);
    }

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * Three planes into RGB bytes, four pixels as three little-endian int writes (R0 G0 B0 R1 | G1 B1 R2 G2 | B2
     * R3 G3 B3): a quarter of the stores of a byte at a time (an interleave does not vectorise).
     */
    private static void interleave(byte[] r, byte[] g, byte[] b, byte[] out, int count) {
        int i = 0;
        int o = 0;
        for (; i + 4 <= count; i += 4, o += 12) {
            INT_LE.set(out, o, r[i] & 0xFF | (g[i] & 0xFF) << 8 | (b[i] & 0xFF) << 16 | r[i + 1] << 24);
            INT_LE.set(out, o + 4, g[i + 1] & 0xFF | (b[i + 1] & 0xFF) << 8 | (r[i + 2] & 0xFF) << 16
                    | g[i + 2] << 24);
            INT_LE.set(out, o + 8, b[i + 2] & 0xFF | (r[i + 3] & 0xFF) << 8 | (g[i + 3] & 0xFF) << 16
                    | b[i + 3] << 24);
        }
        for (; i < count; i++, o += 3) {
            out[o] = r[i];
            out[o + 1] = g[i];
            out[o + 2] = b[i];
        }
    }

    /**
     * Ink planes ({@code kind} CMYK, inverted CMYK or YCCK) to interleaved sRGB at {@code out}: through the
     * profile's table when there is one, else the naive device conversion. YCCK planes are converted from YCC in
     * place first. {@code ink} is scratch of {@code 4 * count} bytes (allocated when null).
     */
    private static void inkToRgb(ColourKind kind, byte[][] planes, Optional<IccTransform> icc, int count,
                                 byte[] out, byte[] ink) {
        if (kind == ColourKind.YCCK) {
            ycbcrToRgb(planes[0], planes[1], planes[2], count);
        }
        // Ink amounts (0 = none) are the samples, or 255 minus them (255 ^ v for a byte): CMYK as stored; Adobe's
        // inverted CMYK flipped; YCCK's C, M and Y are the YCC conversion's R, G and B as they come (libjpeg's
        // C = 255 - R is Adobe's inverted C, which flips back), its K flipped.
        int flipCmy = kind == ColourKind.CMYK_INVERTED ? 255 : 0;
        int flipK = kind == ColourKind.CMYK ? 0 : 255;
        if (icc.isPresent()) {
            byte[] interleaved = ink != null ? ink : new byte[count * 4];
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < 3; c++) {
                    interleaved[i * 4 + c] = (byte) (flipCmy ^ (planes[c][i] & 0xFF));
                }
                interleaved[i * 4 + 3] = (byte) (flipK ^ (planes[3][i] & 0xFF));
            }
            icc.get().apply(interleaved, 4, count, out, 3);
        } else {
            // No profile: the naive device conversion, R = (1 - C)(1 - K) and so on.
            for (int i = 0; i < count; i++) {
                int paperK = 255 - (flipK ^ (planes[3][i] & 0xFF));
                for (int c = 0; c < 3; c++) {
                    int paper = 255 - (flipCmy ^ (planes[c][i] & 0xFF));
                    out[i * 3 + c] = (byte) ((paper * paperK + 127) / 255);
                }
            }
        }
    }

    /**
     * The ink conversion row by row, for a decoder that converts CMYK and YCCK before resampling (as libvips
     * does): the profile's table is far from linear, so converting reduced ink planes drifts from the converted
     * full image where little is reduced (2.5-5 dB under sharp at reductions of 1.1-2.9 on the corpus CMYK
     * photo). Same arithmetic as {@link #toSrgb}'s ink path, one decoded row at a time.
     */
    public static final class InkRows {
        private final ColourKind kind;
        private final Optional<IccTransform> icc;
        private final int width;
        private final byte[][] planes = new byte[4][];
        private final byte[] ink;
        private final byte[] rgb;

        /** For rows of {@code width} pixels of a {@code kind} image with embedded profile {@code icc} (or null). */
        public InkRows(ColourKind kind, byte[] icc, int width) {
            if (!kind.ink()) {
                throw new IllegalArgumentException("not an ink colour model: " + kind);
            }
            this.kind = kind;
            this.icc = IccTransform.forProfile(icc).filter(t -> t.channels() == 4);
            this.width = width;
            for (int c = 0; c < 4; c++) {
                planes[c] = new byte[width];
            }
            this.ink = new byte[width * 4];
            this.rgb = new byte[width * 3];
        }

        /**
         * Pixels {@code [from, from + width)} of one row, sample {@code x} of component {@code c} at {@code
         * rows[c][offset + x]}, as interleaved sRGB (pixel {@code from + i} at {@code 3 * i}; the array is reused
         * by the next call).
         */
        public byte[] convert(byte[][] rows, int offset, int from) {
            for (int c = 0; c < 4; c++) {
                System.arraycopy(rows[c], offset + from, planes[c], 0, width);
            }
            inkToRgb(kind, planes, icc, width, rgb, ink);
            return rgb;
        }
    }

    /** JFIF YCbCr (full-range BT.601) to RGB, in place: plane y becomes R, cb becomes G, cr becomes B. */
    static void ycbcrToRgb(byte[] y, byte[] cb, byte[] cr, int count) {
        for (int i = 0; i < count; i++) {
            int yy = (y[i] & 0xFF) << 16;
            int u = (cb[i] & 0xFF) - 128;
            int v = (cr[i] & 0xFF) - 128;
            int r = (yy + 91881 * v + 32768) >> 16;
            int g = (yy - 22554 * u - 46802 * v + 32768) >> 16;
            int b = (yy + 116130 * u + 32768) >> 16;
            y[i] = clamp(r);
            cb[i] = clamp(g);
            cr[i] = clamp(b);
        }
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static void unpremultiply(byte[] plane, byte[] alpha) {
        for (int i = 0; i < plane.length; i++) {
            int a = alpha[i] & 0xFF;
            if (a == 255) {
                continue;
            }
            if (a == 0) {
                plane[i] = 0;
                continue;
            }
            int v = ((plane[i] & 0xFF) * 255 + a / 2) / a;
            plane[i] = (byte) Math.min(255, v);
        }
    }
}
