package io.mediasuite.thumbnails.pipeline.jpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The inverse-DCT stage of {@link JpegDecoder}, at 1/1, 1/2, 1/4 or 1/8 scale (libjpeg's scaled IDCTs): an n x n
 * inverse transform of the n x n lowest-frequency coefficients gives the block reduced by 8 / n, which is how the
 * decoder shrinks on load. 1x1 is the block mean; 2x2 is exact in integers; 4x4 and 8x8 use even/odd
 * butterflies. One instance per plane (it keeps scratch buffers).
 *
 * <p>8x8 blocks with AC energy are queued and transformed {@link #LANES} at a time ({@link #flush}): every step of
 * the transform then runs as a loop over the queued blocks, which the JIT turns into SIMD, where one block at a time
 * is scalar. A caller must {@link #flush} before it reads what {@link #write} wrote.
 */
final class JpegIdct {

    /** 8x8 blocks transformed together. */
    static final int LANES = 64;
    /** Bytes an 8x8 instance allocates for its queue (for the decode budget). */
    static final int QUEUE_BYTES = (64 + 64 + 64 + 8 + 16) * (LANES * 4 + 16) + LANES * 16 + 4 * 400;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final int n;
    private final float[] temp = new float[16];

    // The queue (8x8 only), one row per coefficient or sample position, one column per queued block s:
    // coefficient k (row-major) at coefficients[k][s]; the column pass's result, sample row y and frequency
    // column u, at columns[y * 8 + u][s]; the butterflies' halves; the final samples, row y and column x, at
    // samples[y * 8 + x][s]; and where each block goes. Every loop reads and writes its rows at the one index s:
    // C2 vectorises only when it can see that no store lands on another iteration's element.
    private final float[][] coefficients;
    private final float[][] columns;
    private final float[][] halves;
    private final int[][] samples;
    /** Samples packed four to an int: row y's columns 0-3 at packed[2 * y], 4-7 at packed[2 * y + 1]. */
    private final int[][] packed;
    private final byte[][] targets;
    private final int[] offsets;
    private final int[] strides;
    private int queued;
    /** The AC slots any queued block uses: the coefficient rows to clear after a flush. */
    private long used;

    JpegIdct(int n) {
        this.n = n;
        boolean queues = n == 8;
        coefficients = queues ? new float[64][LANES] : null;
        columns = queues ? new float[64][LANES] : null;
        halves = queues ? new float[8][LANES] : null;
        samples = queues ? new int[64][LANES] : null;
        packed = queues ? new int[16][LANES] : null;
        targets = queues ? new byte[LANES][] : null;
        offsets = queues ? new int[LANES] : null;
        strides = queues ? new int[LANES] : null;
    }

    /**
     * Writes the {@code n x n} samples of one block from its kept, dequantized coefficients ({@code block}, n x n
     * row-major) at {@code out[offset]}, rows {@code stride} apart. Bit i of {@code acSlots} is set when slot i
     * (i >= 1) holds a non-zero AC value; every other AC slot must be 0 (none: the block is flat). The one entry
     * point for the baseline and the multi-scan paths, so both give identical pixels.
     */
    void write(int[] block, long acSlots, byte[] out, int offset, int stride) {
        if (acSlots == 0) {
            flat(block[0], out, offset, stride);
            return;
        }
        switch (n) {
            case 2 -> idct2(block, out, offset, stride);
            case 4 -> idct4(block, temp, out, offset, stride);
            default -> queue(block, acSlots, out, offset, stride);
        }
    }

    /**
     * Queues an 8x8 block for {@link #flush}, which runs when the queue is full. Only the DC and the slots marked
     * are copied (the queue's rows are zero elsewhere): most blocks have a few coefficients, and each copy is a
     * store to another row.
     */
    private void queue(int[] block, long acSlots, byte[] out, int offset, int stride) {
        int s = queued;
        float[][] c = coefficients;
        c[0][s] = block[0];
        for (long rest = acSlots; rest != 0; rest &= rest - 1) {
            int k = Long.numberOfTrailingZeros(rest);
            c[k][s] = block[k];
        }
        used |= acSlots;
        targets[s] = out;
        offsets[s] = offset;
        strides[s] = stride;
        if (++queued == LANES) {
            flush();
        }
    }

    /**
     * Transforms the queued 8x8 blocks and writes their samples: the 8x8 inverse DCT, columns then rows, each
     * 8-point transform split into its even half (a 4-point transform of coefficients 0, 2, 4, 6) and its odd half
     * (1, 3, 5, 7): sample {@code y} is even + odd and sample {@code 7 - y} even - odd, 22 multiplications where the
     * basis matrix takes 64. Each step is one loop over the queued blocks with few values per loop, which C2's
     * SuperWord vectorises (one loop for the whole butterfly it does not). The samples are bit for bit those of
     * the former block-at-a-time transform, which skipped zero coefficients and still cost a quarter more (JFR
     * share of a 12 MP decode: 21 % of the samples, now 16 %). (The same queue for the 4x4 transform measured no
     * faster than that one block at a time: it has few terms to share out.)
     */
    void flush() {
        int m = queued;
        if (m == 0) {
            return;
        }
        float[][] c = coefficients;
        float[][] t = columns;
        float[][] h = halves;
        for (int u = 0; u < 8; u++) {
            even(c[u], c[32 + u], c[16 + u], c[48 + u], 0f, h, m);
            odd(c[8 + u], c[24 + u], c[40 + u], c[56 + u], h, m);
            emit(h[0], h[2], h[4], true, t[u], t[56 + u], m);
            emit(h[1], h[3], h[5], true, t[8 + u], t[48 + u], m);
            emit(h[1], h[3], h[6], false, t[16 + u], t[40 + u], m);
            emit(h[0], h[2], h[7], false, t[24 + u], t[32 + u], m);
        }
        int[][] v = samples;
        for (int y = 0; y < 8; y++) {
            int r = y * 8;
            even(t[r], t[r + 4], t[r + 2], t[r + 6], 128.5f, h, m);
            odd(t[r + 1], t[r + 3], t[r + 5], t[r + 7], h, m);
            emitSamples(h[0], h[2], h[4], true, v[r], v[r + 7], m);
            emitSamples(h[1], h[3], h[5], true, v[r + 1], v[r + 6], m);
            emitSamples(h[1], h[3], h[6], false, v[r + 2], v[r + 5], m);
            emitSamples(h[0], h[2], h[7], false, v[r + 3], v[r + 4], m);
        }
        // Four samples to an int (vectorised), then two int stores per block row: the scatter to the strip is
        // the one part left per block.
        int[][] p = packed;
        for (int i = 0; i < 16; i++) {
            pack(v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3], p[i], m);
        }
        for (int s = 0; s < m; s++) {
            byte[] out = targets[s];
            int o = offsets[s];
            int stride = strides[s];
            for (int i = 0; i < 16; i += 2, o += stride) {
                INT_LE.set(out, o, p[i][s]);
                INT_LE.set(out, o + 4, p[i + 1][s]);
            }
            targets[s] = null;
        }
        for (long rest = used; rest != 0; rest &= rest - 1) {
            Arrays.fill(c[Long.numberOfTrailingZeros(rest)], 0, m, 0f);
        }
        used = 0;
        queued = 0;
    }

    // The butterfly's steps as loops over the queued blocks: halves[0..1] = a0, a1 (with the level shift and
    // rounding half in the row pass), halves[2..3] = b0, b1, halves[4..7] = the odd terms o0..o3.

    private static void even(float[] x0, float[] x4, float[] x2, float[] x6, float bias, float[][] h, int m) {
        float[] a0 = h[0];
        float[] a1 = h[1];
        float[] b0 = h[2];
        float[] b1 = h[3];
        for (int s = 0; s < m; s++) {
            a0[s] = K4 * (x0[s] + x4[s]) + bias;
            a1[s] = K4 * (x0[s] - x4[s]) + bias;
        }
        for (int s = 0; s < m; s++) {
            b0[s] = K2 * x2[s] + K6 * x6[s];
            b1[s] = K6 * x2[s] - K2 * x6[s];
        }
    }

    private static void odd(float[] x1, float[] x3, float[] x5, float[] x7, float[][] h, int m) {
        float[] o0 = h[4];
        float[] o1 = h[5];
        float[] o2 = h[6];
        float[] o3 = h[7];
        for (int s = 0; s < m; s++) {
            o0[s] = K1 * x1[s] + K3 * x3[s] + K5 * x5[s] + K7 * x7[s];
        }
        for (int s = 0; s < m; s++) {
            o1[s] = K3 * x1[s] - K7 * x3[s] - K1 * x5[s] - K5 * x7[s];
        }
        for (int s = 0; s < m; s++) {
            o2[s] = K5 * x1[s] - K1 * x3[s] + K7 * x5[s] + K3 * x7[s];
        }
        for (int s = 0; s < m; s++) {
            o3[s] = K7 * x1[s] - K5 * x3[s] + K3 * x5[s] - K1 * x7[s];
        }
    }

    /** Four samples (0-255) to an int, the first in the low byte. */
    private static void pack(int[] a, int[] b, int[] c, int[] d, int[] out, int m) {
        for (int s = 0; s < m; s++) {
            out[s] = a[s] | b[s] << 8 | c[s] << 16 | d[s] << 24;
        }
    }

    /** Samples i and 7 - i: even half {@code a + b} ({@code sum}) or {@code a - b}, plus and minus the odd term. */
    private static void emit(float[] a, float[] b, float[] o, boolean sum, float[] low, float[] high, int m) {
        if (sum) {
            for (int s = 0; s < m; s++) {
                float e = a[s] + b[s];
                low[s] = e + o[s];
                high[s] = e - o[s];
            }
        } else {
            for (int s = 0; s < m; s++) {
                float e = a[s] - b[s];
                low[s] = e + o[s];
                high[s] = e - o[s];
            }
        }
    }

    /** {@link #emit} for the row pass: the samples rounded down and clamped to 0-255. */
    private static void emitSamples(float[] a, float[] b, float[] o, boolean sum, int[] low, int[] high, int m) {
        if (sum) {
            for (int s = 0; s < m; s++) {
                float e = a[s] + b[s];
                low[s] = Math.max(0, Math.min(255, (int) (e + o[s])));
                high[s] = Math.max(0, Math.min(255, (int) (e - o[s])));
            }
        } else {
            for (int s = 0; s < m; s++) {
                float e = a[s] - b[s];
                low[s] = Math.max(0, Math.min(255, (int) (e + o[s])));
                high[s] = Math.max(0, Math.min(255, (int) (e - o[s])));
            }
        }
    }

    /** A block with no AC energy: every sample is the block mean, DC / 8, level-shifted. */
    private void flat(int dcValue, byte[] out, int offset, int stride) {
        int v = ((dcValue + 4) >> 3) + 128;
        int value = v < 0 ? 0 : v > 255 ? 255 : v;
        switch (n) {
            case 1 -> out[offset] = (byte) value;
            case 8 -> {
                // A row in one store: in a photo's chroma most blocks are flat.
                long row = value * 0x0101010101010101L;
                for (int y = 0, o = offset; y < 8; y++, o += stride) {
                    LONG_LE.set(out, o, row);
                }
            }
            case 4 -> {
                int row = value * 0x01010101;
                for (int y = 0, o = offset; y < 4; y++, o += stride) {
                    INT_LE.set(out, o, row);
                }
            }
            default -> {
                for (int y = 0; y < n; y++) {
                    Arrays.fill(out, offset + y * stride, offset + y * stride + n, (byte) value);
                }
            }
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
}
