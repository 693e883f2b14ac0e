package io.mediasuite.thumbnails.pipeline.jpeg;

import java.util.Arrays;

/**
 * The inverse-DCT stage of {@link JpegDecoder}, at 1/1, 1/2, 1/4 or 1/8 scale (libjpeg's scaled IDCTs): an n x n
 * inverse transform of the n x n lowest-frequency coefficients gives the block reduced by 8 / n, which is how the
 * decoder shrinks on load. 1x1 is the block mean; 2x2 is exact in integers; 4x4 and 8x8 use even/odd
 * butterflies. One instance per decoder (it keeps a scratch buffer).
 */
final class JpegIdct {

    private final int n;
    private final float[] temp = new float[64];

    JpegIdct(int n) {
        this.n = n;
    }

    /**
     * Writes the {@code n x n} samples of one block from its kept, dequantized coefficients ({@code block}, n x n
     * row-major) at {@code out[offset]}, rows {@code stride} apart. {@code hasAc} false: only the DC term is
     * non-zero. The one entry point for the baseline and the multi-scan paths, so both give identical pixels.
     */
    void write(int[] block, boolean hasAc, byte[] out, int offset, int stride) {
        if (!hasAc) {
            flat(block[0], out, offset, stride);
            return;
        }
        switch (n) {
            case 2 -> idct2(block, out, offset, stride);
            case 4 -> idct4(block, temp, out, offset, stride);
            default -> idct(block, out, offset, stride);
        }
    }

    /** A block with no AC energy: every sample is the block mean, DC / 8, level-shifted. */
    private void flat(int dcValue, byte[] out, int offset, int stride) {
        int v = ((dcValue + 4) >> 3) + 128;
        byte value = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
        if (n == 1) {
            out[offset] = value;
            return;
        }
        for (int y = 0; y < n; y++) {
            Arrays.fill(out, offset + y * stride, offset + y * stride + n, value);
        }
    }

    /**
     * 2x2 inverse DCT of the four lowest coefficients: at this size every basis value is +-1/(2 sqrt 2), so the
     * samples are (F00 +- F01 +- F10 +- F11) / 8, exact in integers.
     */
    private static void idct2(int[] blk, byte[] out, int offset, int stride) {
        int s0 = blk[0] + blk[1];
        int d0 = blk[0] - blk[1];
        int s1 = blk[2] + blk[3];
        int d1 = blk[2] - blk[3];
        // + 1028 = (128 level shift + 0.5 rounding) * 8
        out[offset] = clampByte((s0 + s1 + 1028) >> 3);
        out[offset + 1] = clampByte((d0 + d1 + 1028) >> 3);
        out[offset + stride] = clampByte((s0 - s1 + 1028) >> 3);
        out[offset + stride + 1] = clampByte((d0 - d1 + 1028) >> 3);
    }

    private static final float A4 = 0.35355339f; // cos(pi/4) / 2
    private static final float C1 = 0.46193977f; // cos(pi/8) / 2
    private static final float C3 = 0.19134172f; // cos(3pi/8) / 2

    /** 4x4 inverse DCT (the 4-point transform as even/odd butterflies, rows then columns). */
    private static void idct4(int[] blk, float[] t, byte[] out, int offset, int stride) {
        for (int u = 0; u < 4; u++) {
            float f0 = blk[u];
            float f1 = blk[4 + u];
            float f2 = blk[8 + u];
            float f3 = blk[12 + u];
            float e0 = A4 * (f0 + f2);
            float e1 = A4 * (f0 - f2);
            float o0 = C1 * f1 + C3 * f3;
            float o1 = C3 * f1 - C1 * f3;
            t[u] = e0 + o0;
            t[4 + u] = e1 + o1;
            t[8 + u] = e1 - o1;
            t[12 + u] = e0 - o0;
        }
        for (int y = 0; y < 4; y++) {
            int r = y * 4;
            float e0 = A4 * (t[r] + t[r + 2]) + 128.5f;
            float e1 = A4 * (t[r] - t[r + 2]) + 128.5f;
            float o0 = C1 * t[r + 1] + C3 * t[r + 3];
            float o1 = C3 * t[r + 1] - C1 * t[r + 3];
            int o = offset + y * stride;
            out[o] = clampFloor(e0 + o0);
            out[o + 1] = clampFloor(e1 + o1);
            out[o + 2] = clampFloor(e1 - o1);
            out[o + 3] = clampFloor(e0 - o0);
        }
    }

    private static byte clampByte(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static byte clampFloor(float s) {
        int v = (int) s;
        return (byte) (s < 0 ? 0 : v > 255 ? 255 : v);
    }

    // 8-point butterflies: K[k] = cos(k pi / 16) / 2, the basis values with the transform's 1/2 folded in.
    private static final float K1 = (float) (Math.cos(Math.PI / 16) / 2);
    private static final float K2 = (float) (Math.cos(2 * Math.PI / 16) / 2);
    private static final float K3 = (float) (Math.cos(3 * Math.PI / 16) / 2);
    private static final float K4 = (float) (Math.cos(4 * Math.PI / 16) / 2);
    private static final float K5 = (float) (Math.cos(5 * Math.PI / 16) / 2);
    private static final float K6 = (float) (Math.cos(6 * Math.PI / 16) / 2);
    private static final float K7 = (float) (Math.cos(7 * Math.PI / 16) / 2);

    /**
     * 8x8 inverse DCT, columns then rows, each 8-point transform split into its even half (a 4-point transform
     * of coefficients 0, 2, 4, 6) and its odd half (1, 3, 5, 7): sample {@code y} is even + odd and sample
     * {@code 7 - y} even - odd, 22 multiplications where the basis matrix takes 64.
     *
     * <p>Quantisation leaves most energy in the low frequencies, so the passes skip what is zero, with results
     * identical to the full transform (every skipped term is a product with 0, added last, and Java's float
     * arithmetic is evaluated in source order): a column with no AC coefficient is its DC value repeated, a
     * column with nothing in coefficients 4..7 takes the 4-input butterfly, and when the column pass left
     * columns 4..7 of the intermediate block zero (no coefficient right of column 3, the usual case) every row
     * takes the 4-input butterfly too; rows of a block with only column 0 are flat.
     */
    private void idct(int[] blk, byte[] out, int offset, int stride) {
        float[] t = temp;
        int columns = 0; // bit u: intermediate column u may be non-zero
        for (int u = 0; u < 8; u++) {
            int x0 = blk[u];
            int x1 = blk[8 + u];
            int x2 = blk[16 + u];
            int x3 = blk[24 + u];
            int x4 = blk[32 + u];
            int x5 = blk[40 + u];
            int x6 = blk[48 + u];
            int x7 = blk[56 + u];
            int high = x4 | x5 | x6 | x7;
            if ((x1 | x2 | x3 | high) == 0) {
                float dc = K4 * x0;
                for (int y = 0; y < 64; y += 8) {
                    t[y + u] = dc;
                }
                if (x0 != 0) {
                    columns |= 1 << u;
                }
                continue;
            }
            columns |= 1 << u;
            if (high == 0) {
                butterflyLow(x0, x1, x2, x3, t, u, null, 0);
            } else {
                butterfly(x0, x1, x2, x3, x4, x5, x6, x7, t, u, null, 0);
            }
        }
        for (int y = 0; y < 8; y++) {
            int r = y * 8;
            int o = offset + y * stride;
            if (columns <= 1) {
                // Only column 0: each row is flat (its odd half and the even half's x2, x6 terms are 0).
                byte value = clampFloor(K4 * t[r] + 128.5f);
                Arrays.fill(out, o, o + 8, value);
                continue;
            }
            if (columns < 16) {
                butterflyLow(t[r], t[r + 1], t[r + 2], t[r + 3], t, 0, out, o);
            } else {
                butterfly(t[r], t[r + 1], t[r + 2], t[r + 3], t[r + 4], t[r + 5], t[r + 6], t[r + 7], t, 0, out,
                        o);
            }
        }
    }

    /**
     * One 8-point inverse transform. Column pass ({@code out} null): {@code d[at + 8 i] = sample i}. Row pass:
     * {@code out[o + i]} = sample i with the level shift, rounded and clamped, kept in registers rather than
     * staged through an array (two memory operations per sample more). One body for both passes keeps the two
     * transforms the same; the {@code out == null} tests go the same way at each call site.
     */
    private static void butterfly(float x0, float x1, float x2, float x3, float x4, float x5, float x6, float x7,
                                  float[] d, int at, byte[] out, int o) {
        float bias = out == null ? 0f : 128.5f;
        float a0 = K4 * (x0 + x4) + bias;
        float a1 = K4 * (x0 - x4) + bias;
        float b0 = K2 * x2 + K6 * x6;
        float b1 = K6 * x2 - K2 * x6;
        emit(a0 + b0, a1 + b1, a1 - b1, a0 - b0,
                K1 * x1 + K3 * x3 + K5 * x5 + K7 * x7,
                K3 * x1 - K7 * x3 - K1 * x5 - K5 * x7,
                K5 * x1 - K1 * x3 + K7 * x5 + K3 * x7,
                K7 * x1 - K5 * x3 + K3 * x5 - K1 * x7, d, at, out, o);
    }

    /**
     * {@link #butterfly} with inputs 4..7 zero, term for term the same sums without the products with 0 (each
     * of those sums adds them last, and adding 0 to a float leaves it unchanged), so the samples are the same.
     */
    private static void butterflyLow(float x0, float x1, float x2, float x3, float[] d, int at, byte[] out,
                                     int o) {
        float a = K4 * x0 + (out == null ? 0f : 128.5f);
        float b0 = K2 * x2;
        float b1 = K6 * x2;
        emit(a + b0, a + b1, a - b1, a - b0, K1 * x1 + K3 * x3, K3 * x1 - K7 * x3, K5 * x1 - K1 * x3,
                K7 * x1 - K5 * x3, d, at, out, o);
    }

    /** Even half +- odd half: sample i is e_i + o_i and sample 7 - i is e_i - o_i (see {@link #butterfly}). */
    private static void emit(float e0, float e1, float e2, float e3, float o0, float o1, float o2, float o3,
                             float[] d, int at, byte[] out, int o) {
        if (out == null) {
            d[at] = e0 + o0;
            d[at + 8] = e1 + o1;
            d[at + 16] = e2 + o2;
            d[at + 24] = e3 + o3;
            d[at + 32] = e3 - o3;
            d[at + 40] = e2 - o2;
            d[at + 48] = e1 - o1;
            d[at + 56] = e0 - o0;
            return;
        }
        out[o] = clampFloor(e0 + o0);
        out[o + 1] = clampFloor(e1 + o1);
        out[o + 2] = clampFloor(e2 + o2);
        out[o + 3] = clampFloor(e3 + o3);
        out[o + 4] = clampFloor(e3 - o3);
        out[o + 5] = clampFloor(e2 - o2);
        out[o + 6] = clampFloor(e1 - o1);
        out[o + 7] = clampFloor(e0 - o0);
    }
}
