package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.resample.SampleWidening;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The colour stage of {@link JpegEncoder}: interleaved sRGB (or grey) bytes to level-shifted component rows for
 * the DCT, one MCU row at a time. RGB becomes JFIF YCbCr with libjpeg's 16-bit fixed-point BT.601 coefficients;
 * Cb and Cr are then halved both ways (4:2:0) by averaging each 2x2 with libjpeg's alternating 1, 2 rounding
 * bias, so no colour drifts up or down on flat areas. Past the right and bottom edges the last column and row are
 * repeated up to a whole MCU, as libjpeg pads, so the edge blocks carry no false high frequencies.
 *
 * <p>Each source row is first spread into three int rows (the only scalar loop, four pixels per three int
 * reads); the arithmetic then runs element-wise over whole rows, which the JIT vectorises.
 */
final class JpegColourSampler {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int Y_R = 19595;
    private static final int Y_G = 38470;
    private static final int Y_B = 7471;
    private static final int CB_R = 11059;
    private static final int CB_G = 21709;
    private static final int CR_G = 27439;
    private static final int CR_B = 5329;
    private static final int HALF = 32768;
    /** Y's rounding term minus the level shift of 128 (done here so the DCT gets -128..127). */
    private static final int Y_OFFSET = HALF - (128 << 16);

    private final byte[] pixels;
    private final int width;
    private final int height;
    private final int bands;
    private final int paddedWidth;
    private final int[] red;
    private final int[] green;
    private final int[] blue;
    private final int[][] cb;
    private final int[][] cr;

    /** @param paddedWidth the luma row width: {@code width} rounded up to whole MCUs */
    JpegColourSampler(byte[] pixels, int width, int height, int bands, int paddedWidth) {
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.paddedWidth = paddedWidth;
        this.red = new int[paddedWidth];
        this.green = new int[paddedWidth];
        this.blue = new int[paddedWidth];
        this.cb = bands == 3 ? new int[2][paddedWidth] : null;
        this.cr = bands == 3 ? new int[2][paddedWidth] : null;
    }

    /**
     * Planes instead of interleaved pixels: R, G and B of a {@link JpegEncoder#encodeRgb} image, or Y at full size
     * and Cb, Cr already halved both ways for {@link JpegEncoder#encodeYcc}.
     */
    private byte[][] sourcePlanes;

    /** For R, G and B planes: the colour stage as for interleaved pixels, each row read from the three planes. */
    static JpegColourSampler rgbPlanes(byte[] r, byte[] g, byte[] b, int width, int height, int paddedWidth) {
        JpegColourSampler sampler = new JpegColourSampler(null, width, height, 3, paddedWidth);
        sampler.sourcePlanes = new byte[][] {r, g, b};
        return sampler;
    }

    /** For Y, Cb, Cr planes that are already JFIF YCbCr 4:2:0: no conversion, no averaging, only level shift. */
    static JpegColourSampler planar(byte[] y, byte[] cb, byte[] cr, int width, int height, int paddedWidth) {
        JpegColourSampler sampler = new JpegColourSampler(y, width, height, 1, paddedWidth);
        sampler.sourcePlanes = new byte[][] {y, cb, cr};
        return sampler;
    }

    /**
     * Fills 16 luma rows and 8 rows of each chroma component starting at image row {@code top}, from planes
     * (a sampler made by {@link #planar}); edges repeat as in {@link #colour}.
     */
    void planes(int top, int[][] luma, int[][] blueChroma, int[][] redChroma) {
        for (int r = 0; r < 16; r++) {
            widen(sourcePlanes[0], Math.min(top + r, height - 1), width, luma[r], paddedWidth, 128);
        }
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = (height + 1) / 2;
        for (int r = 0; r < 8; r++) {
            int row = Math.min((top >> 1) + r, chromaHeight - 1);
            widen(sourcePlanes[1], row, chromaWidth, blueChroma[r], paddedWidth / 2, 128);
            widen(sourcePlanes[2], row, chromaWidth, redChroma[r], paddedWidth / 2, 128);
        }
    }

    /**
     * One plane row as ints, less {@code shift} (128: the level shift), its last sample repeated to {@code padded}
     * ({@link SampleWidening}: C2 does not vectorise byte-to-int; the colour loops after it, all ints, do).
     */
    private static void widen(byte[] plane, int row, int rowWidth, int[] out, int padded, int shift) {
        SampleWidening.widen(plane, row * rowWidth, out, 0, rowWidth, shift);
        int last = out[rowWidth - 1];
        for (int x = rowWidth; x < padded; x++) {
            out[x] = last;
        }
    }

    /** Fills 8 grey rows starting at image row {@code top}. */
    void grey(int top, int[][] luma) {
        for (int r = 0; r < 8; r++) {
            widen(pixels, Math.min(top + r, height - 1), width, luma[r], paddedWidth, 128);
        }
    }

    /** Fills 16 luma rows and 8 rows of each chroma component (half width) starting at image row {@code top}. */
    void colour(int top, int[][] luma, int[][] blueChroma, int[][] redChroma) {
        for (int r = 0; r < 16; r += 2) {
            for (int t = 0; t < 2; t++) {
                spread(Math.min(top + r + t, height - 1));
                convert(luma[r + t], cb[t], cr[t]);
            }
            downsample(cb[0], cb[1], blueChroma[r >> 1]);
            downsample(cr[0], cr[1], redChroma[r >> 1]);
        }
    }

    /** One RGB source row into the int rows, the last pixel repeated to the padded width. */
    private void spread(int row) {
        if (sourcePlanes != null) {
            widen(sourcePlanes[0], row, width, red, paddedWidth, 0);
            widen(sourcePlanes[1], row, width, green, paddedWidth, 0);
            widen(sourcePlanes[2], row, width, blue, paddedWidth, 0);
            return;
        }
        int in = row * width * 3;
        int x = 0;
        // four pixels from three little-endian int reads: R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3
        for (; x + 4 <= width; x += 4, in += 12) {
            int a = (int) INT_LE.get(pixels, in);
            int b = (int) INT_LE.get(pixels, in + 4);
            int c = (int) INT_LE.get(pixels, in + 8);
            red[x] = a & 0xFF;
            green[x] = a >>> 8 & 0xFF;
            blue[x] = a >>> 16 & 0xFF;
            red[x + 1] = a >>> 24;
            green[x + 1] = b & 0xFF;
            blue[x + 1] = b >>> 8 & 0xFF;
            red[x + 2] = b >>> 16 & 0xFF;
            green[x + 2] = b >>> 24;
            blue[x + 2] = c & 0xFF;
            red[x + 3] = c >>> 8 & 0xFF;
            green[x + 3] = c >>> 16 & 0xFF;
            blue[x + 3] = c >>> 24;
        }
        for (; x < width; x++, in += 3) {
            red[x] = pixels[in] & 0xFF;
            green[x] = pixels[in + 1] & 0xFF;
            blue[x] = pixels[in + 2] & 0xFF;
        }
        for (x = width; x < paddedWidth; x++) {
            red[x] = red[width - 1];
            green[x] = green[width - 1];
            blue[x] = blue[width - 1];
        }
    }

    private void convert(int[] y, int[] fullCb, int[] fullCr) {
        int[] r = red;
        int[] g = green;
        int[] b = blue;
        int n = paddedWidth;
        // One loop per output row: a loop storing all three stays scalar (C2 vectorises one store stream per
        // loop here), at several times the cost.
        for (int x = 0; x < n; x++) {
            y[x] = Y_R * r[x] + Y_G * g[x] + Y_B * b[x] + Y_OFFSET >> 16;
        }
        // Cb and Cr level-shifted: libjpeg's +128 offset and its "half minus one" rounding, minus 128
        for (int x = 0; x < n; x++) {
            fullCb[x] = (b[x] << 15) - CB_R * r[x] - CB_G * g[x] + HALF - 1 >> 16;
        }
        for (int x = 0; x < n; x++) {
            fullCr[x] = (r[x] << 15) - CR_G * g[x] - CR_B * b[x] + HALF - 1 >> 16;
        }
    }

    /** 2x2 means of two full-width rows; bias 1 on even output columns, 2 on odd ones. */
    private void downsample(int[] upper, int[] lower, int[] out) {
        int half = paddedWidth >> 1;
        for (int x = 0; x < half; x++) {
            int sum = upper[2 * x] + upper[2 * x + 1] + lower[2 * x] + lower[2 * x + 1];
            out[x] = sum + 1 + (x & 1) >> 2;
        }
    }
}
