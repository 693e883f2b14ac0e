package io.mediasuite.thumbnails.pipeline.jpeg;

import java.util.Arrays;

/**
 * The inverse-DCT stage of {@link JpegDecoder}, at 1/1, 1/2, 1/4 or 1/8 scale (libjpeg's scaled IDCTs): an n x n
 * inverse transform of the n x n lowest-frequency coefficients gives the block reduced by 8 / n, which is how the
 * decoder shrinks on load. 1x1 is the block mean; 2x2 is exact in integers; 4x4 uses butterflies; 8x8 the basis
 * matrix. One instance per decoder (it keeps a scratch buffer).
 */
final class JpegIdct {

    private final int n;
    /** {@code basis[x * n + u] = C(u)/2 * cos((2x + 1) u pi / 2n)}. */
    private final float[] basis;
    private final float[] temp = new float[64];

    JpegIdct(int n) {
        this.n = n;
        this.basis = new float[n * n];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < n; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                basis[x * n + u] = (float) (0.5 * c * Math.cos((2 * x + 1) * u * Math.PI / (2 * n)));
            }
        }
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

    /** Inverse DCT of the n x n kept coefficients into {@code out} (any n; used for 8). */
    private void idct(int[] blk, byte[] out, int offset, int stride) {
        float[] m = basis;
        float[] t = temp;
        // Columns: t[y][u] = sum_v m[y][v] * F[v][u]
        for (int u = 0; u < n; u++) {
            boolean dcOnly = true;
            for (int v = 1; v < n; v++) {
                if (blk[v * n + u] != 0) {
                    dcOnly = false;
                    break;
                }
            }
            if (dcOnly) {
                float value = blk[u] * m[0];
                for (int y = 0; y < n; y++) {
                    t[y * n + u] = value;
                }
                continue;
            }
            for (int y = 0; y < n; y++) {
                float s = 0;
                int row = y * n;
                for (int v = 0; v < n; v++) {
                    s += m[row + v] * blk[v * n + u];
                }
                t[row + u] = s;
            }
        }
        // Rows: out[y][x] = sum_u m[x][u] * t[y][u] + 128
        for (int y = 0; y < n; y++) {
            int row = y * n;
            int o = offset + y * stride;
            for (int x = 0; x < n; x++) {
                float s = 128.5f;
                int mx = x * n;
                for (int u = 0; u < n; u++) {
                    s += m[mx + u] * t[row + u];
                }
                int v = (int) s;
                out[o + x] = (byte) (s < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
}
