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
 * <p>4x4 and 8x8 blocks with AC energy are queued and transformed {@link #LANES} at a time ({@link #flush}): every
 * step of the transform then runs as a loop over the queued blocks, which the JIT turns into SIMD, where one block
 * at a time is scalar. The entropy decoder can write a block's coefficients straight into the queue ({@link
 * #coefficientQueue()}). A caller must {@link #flush} before it reads what {@link #write} wrote.
 */
final class JpegIdct {

    /** Blocks transformed together: {@code 1 << LANE_BITS}. */
    static final int LANES = 64;
    static final int LANE_BITS = 6;
    /** Bytes an 8x8 instance allocates for its queue (for the decode budget). */
    static final int QUEUE_BYTES = (5 * 8 + 2) * (8 * LANES * 4 + 16) + 16 * LANES * 4 + 2 * (LANES * 16
            + 3 * (LANES * 4 + 16)) + 400;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final int n;

    // The queue (4x4 and 8x8). Each array row holds, for every queued block s, n values side by side, so that one
    // loop runs over all of them: value (i, j) of block s at row[i][j * LANES + s]. Coefficients: row v (vertical
    // frequency), j = u (horizontal), all n rows in one int array (slot v * n + u of block s at (v * n + u) *
    // LANES + s), which the entropy decoder fills in place; they become floats in "transposed". The column pass's
    // result: row y (sample row), j = u. The same transposed for the row pass: row u, j = y. Samples: row x
    // (sample column), j = y. Every loop of a pass reads and writes its rows at one index (C2 vectorises only
    // when it can see that no store lands on another iteration's element) and runs over n * LANES values: with
    // loops of LANES values (a row per coefficient position) the 8x8 queue took 86 ns per block against 65,
    // most of it loop overhead.
    private final int[] coefficients;
    private final float[][] columns;
    private final float[][] transposed;
    private final float[][] halves;
    private final int[][] samples;
    /** Samples packed four to an int: sample columns 0-3 of row y of block s at packed[0][y * LANES + s], 4-7 at [1]. */
    private final int[][] packed;
    private final byte[][] targets;
    private final int[] offsets;
    private final int[] strides;
    private int queued;
    /** Bit i: coefficient slot i holds a value of some queued block (to clear after a flush). */
    private long usedSlots;

    // 8x8 blocks whose coefficients all lie in the top-left 4 x 4 (most blocks of a photo, nearly all of its
    // chroma) wait in a second queue, laid out the same with 4 x 4 slots, and take a transform with the zero
    // terms left out: the column pass only for columns 0-3, each butterfly with half its inputs.
    private final int[] lowCoefficients;
    private final byte[][] lowTargets;
    private final int[] lowOffsets;
    private final int[] lowStrides;
    private int lowQueued;
    private long lowUsedSlots;
    /** The slots (row-major, 8 x 8) of the top-left 4 x 4. */
    private static final long LOW_SLOTS = 0x0F0F0F0FL;

    JpegIdct(int n) {
        this.n = n;
        boolean queues = n >= 4;
        int wide = n * LANES;
        coefficients = queues ? new int[n * wide] : null;
        columns = queues ? new float[n][wide] : null;
        transposed = queues ? new float[n][wide] : null;
        halves = queues ? new float[8][wide] : null;
        samples = queues ? new int[n][wide] : null;
        packed = queues ? new int[n / 4][wide] : null;
        targets = queues ? new byte[LANES][] : null;
        offsets = queues ? new int[LANES] : null;
        strides = queues ? new int[LANES] : null;
        boolean low = n == 8;
        lowCoefficients = low ? new int[16 * LANES] : null;
        lowTargets = low ? new byte[LANES][] : null;
        lowOffsets = low ? new int[LANES] : null;
        lowStrides = low ? new int[LANES] : null;
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
        if (n == 2) {
            idct2(block, out, offset, stride);
        } else {
            queue(block, acSlots, out, offset, stride);
        }
    }

    /**
     * Queues a 4x4 or 8x8 block for {@link #flush}, which runs when the queue is full. Only the DC and the slots marked
     * are copied (the queue's rows are zero elsewhere): most blocks have a few coefficients, and each copy is a
     * store to another row.
     */
    private void queue(int[] block, long acSlots, byte[] out, int offset, int stride) {
        int s = queued;
        int[] c = coefficients;
        c[s] = block[0];
        for (long rest = acSlots; rest != 0; rest &= rest - 1) {
            int k = Long.numberOfTrailingZeros(rest);
            c[k * LANES + s] = block[k];
        }
        commit(acSlots, out, offset, stride);
    }

    /** Whether this IDCT queues its blocks, and so takes coefficients in place ({@link #coefficientQueue()}). */
    boolean queues() {
        return coefficients != null;
    }

    /**
     * The queue's coefficients, for an entropy decoder that writes a block in place: slot i (row-major) of the
     * block at {@code [i * LANES + lane()]}, the other slots left at zero; then {@link #commit} (or {@link
     * #discard}). Saves copying each block into the queue, a store to another row per coefficient.
     */
    int[] coefficientQueue() {
        return coefficients;
    }

    /** The queue position the next block's coefficients go to. */
    int lane() {
        return queued;
    }

    /**
     * Queues the block written in place at {@link #lane()}, DC included; bit i of {@code acSlots} marks each AC
     * slot written. Transforms the queue when it is full.
     */
    void commit(long acSlots, byte[] out, int offset, int stride) {
        int s = queued;
        if (lowCoefficients != null && (acSlots & ~LOW_SLOTS) == 0) {
            commitLow(acSlots, out, offset, stride);
            return;
        }
        usedSlots |= acSlots;
        targets[s] = out;
        offsets[s] = offset;
        strides[s] = stride;
        if (++queued == LANES) {
            flush();
        }
    }

    /** Moves the block at {@link #lane()} (AC only in the top-left 4 x 4) to the second queue. */
    private void commitLow(long acSlots, byte[] out, int offset, int stride) {
        int s = queued;
        int t = lowQueued;
        int[] from = coefficients;
        int[] to = lowCoefficients;
        for (long rest = acSlots | 1; rest != 0; rest &= rest - 1) {
            int k = Long.numberOfTrailingZeros(rest);
            int slot = (k >> 3) * 4 + (k & 7);
            to[slot * LANES + t] = from[k * LANES + s];
            from[k * LANES + s] = 0;
            lowUsedSlots |= 1L << slot;
        }
        lowTargets[t] = out;
        lowOffsets[t] = offset;
        lowStrides[t] = stride;
        if (++lowQueued == LANES) {
            flushLow();
        }
    }

    /** Clears the AC slots written in place at {@link #lane()} for a block that is not wanted after all. */
    void discard(long acSlots) {
        for (long rest = acSlots; rest != 0; rest &= rest - 1) {
            coefficients[Long.numberOfTrailingZeros(rest) * LANES + queued] = 0;
        }
    }

    /**
     * Transforms the queued blocks and writes their samples. Each step is one loop over the queued blocks with
     * few values per loop, which C2's SuperWord vectorises (one loop for the whole butterfly it does not). The
     * samples are bit for bit those of the former block-at-a-time transforms, which skipped zero coefficients and
     * still cost more: 86 ns per 8x8 block against 65 in a micro-benchmark of typical blocks, and 4-6 % of a 12
     * MP decode at full size, another 5 % at half size where the 4x4 transform is queued too.
     */
    void flush() {
        int m = queued;
        if (m > 0) {
            if (n == 8) {
                transform8(m);
            } else {
                transform4(m);
            }
            store(m, targets, offsets, strides);
            usedSlots = clear(coefficients, usedSlots);
            queued = 0;
        }
        flushLow();
    }

    /** Transforms and writes the blocks of the second queue (8x8 with AC only in the top-left 4 x 4). */
    private void flushLow() {
        int m = lowQueued;
        if (m == 0) {
            return;
        }
        transform8Low(m);
        store(m, lowTargets, lowOffsets, lowStrides);
        lowUsedSlots = clear(lowCoefficients, lowUsedSlots);
        lowQueued = 0;
    }

    /** Zeroes the coefficient rows marked in {@code used} (and the DC row); returns the empty mark. */
    private static long clear(int[] coefficients, long used) {
        for (long rest = used | 1; rest != 0; rest &= rest - 1) {
            int from = Long.numberOfTrailingZeros(rest) * LANES;
            Arrays.fill(coefficients, from, from + LANES, 0);
        }
        return 0;
    }

    /**
     * The 8x8 transform of the queued blocks' coefficients into {@link #samples}: columns then rows, each 8-point
     * transform split into its even half (a 4-point transform of coefficients 0, 2, 4, 6) and its odd half (1, 3,
     * 5, 7): sample {@code y} is even + odd and sample {@code 7 - y} even - odd, 22 multiplications where the basis
     * matrix takes 64.
     */
    private void transform8(int m) {
        float[][] c = asFloats(coefficients, n);
        float[][] t = columns;
        float[][] h = halves;
        int w = 8 * LANES;
        // Columns: for every block and column u at once, the 8-point transform down v.
        even(c[0], c[4], c[2], c[6], 0f, h, w);
        odd(c[1], c[3], c[5], c[7], h, w);
        emit(h[0], h[2], h[4], true, t[0], t[7], w);
        emit(h[1], h[3], h[5], true, t[1], t[6], w);
        emit(h[1], h[3], h[6], false, t[2], t[5], w);
        emit(h[0], h[2], h[7], false, t[3], t[4], w);
        // Rows: the same along u, after swapping the roles of the row index (y) and the group (u). (Reading the
        // column pass's rows at eight offsets instead, in loops that store only ints, was 3x slower: not
        // vectorised.)
        float[][] r = transpose(t, n, m);
        int[][] v = samples;
        even(r[0], r[4], r[2], r[6], 128.5f, h, w);
        odd(r[1], r[3], r[5], r[7], h, w);
        emitSamples(h[0], h[2], h[4], true, v[0], v[7], w);
        emitSamples(h[1], h[3], h[5], true, v[1], v[6], w);
        emitSamples(h[1], h[3], h[6], false, v[2], v[5], w);
        emitSamples(h[0], h[2], h[7], false, v[3], v[4], w);
    }

    /**
     * The 8x8 transform of the second queue's blocks (coefficients only in rows and columns 0-3) into {@link
     * #samples}: {@link #transform8} without the terms that multiply zero (each such sum is the same without them,
     * so the samples are too), and the column pass only for columns 0-3 (the others are zero).
     */
    private void transform8Low(int m) {
        float[][] c = asFloats(lowCoefficients, 4);
        float[][] t = columns;
        float[][] h = halves;
        int w = 4 * LANES;
        evenLow(c[0], c[2], 0f, h, w);
        oddLow(c[1], c[3], h, w);
        emit(h[0], h[2], h[4], true, t[0], t[7], w);
        emit(h[0], h[3], h[5], true, t[1], t[6], w);
        emit(h[0], h[3], h[6], false, t[2], t[5], w);
        emit(h[0], h[2], h[7], false, t[3], t[4], w);
        float[][] r = transpose(t, 4, m);
        int[][] v = samples;
        w = 8 * LANES;
        evenLow(r[0], r[2], 128.5f, h, w);
        oddLow(r[1], r[3], h, w);
        emitSamples(h[0], h[2], h[4], true, v[0], v[7], w);
        emitSamples(h[0], h[3], h[5], true, v[1], v[6], w);
        emitSamples(h[0], h[3], h[6], false, v[2], v[5], w);
        emitSamples(h[0], h[2], h[7], false, v[3], v[4], w);
    }

    /**
     * The 4x4 transform of the queued blocks' coefficients into {@link #samples}: the 4-point transform as
     * even/odd butterflies, columns then rows.
     */
    private void transform4(int m) {
        float[][] c = asFloats(coefficients, n);
        float[][] t = columns;
        float[][] h = halves;
        int w = 4 * LANES;
        // halves[0..1] = the even terms, halves[2..3] = the odd ones
        rotate(c[0], c[2], c[1], c[3], 0f, A4, C1, C3, h, w);
        emit(h[0], h[2], t[0], t[3], w);
        emit(h[1], h[3], t[1], t[2], w);
        float[][] r = transpose(t, n, m);
        int[][] v = samples;
        rotate(r[0], r[2], r[1], r[3], 128.5f, A4, C1, C3, h, w);
        emitSamples(h[0], h[2], v[0], v[3], w);
        emitSamples(h[1], h[3], v[1], v[2], w);
    }

    /**
     * A queue's coefficients as floats (in {@link #transposed}): {@code rows} rows of {@code rows * LANES}, one per
     * vertical frequency.
     */
    private float[][] asFloats(int[] queue, int rows) {
        float[][] c = transposed;
        int w = rows * LANES;
        for (int v = 0; v < rows; v++) {
            toFloat(queue, v * w, c[v], w);
        }
        return c;
    }

    /**
     * {@code transposed[u][y * LANES + s] = t[y][u * LANES + s]} for the first {@code m} blocks, columns u below
     * {@code columnCount} (the rest are zero in the second queue) and the queue's n rows y.
     */
    private float[][] transpose(float[][] t, int columnCount, int m) {
        float[][] r = transposed;
        for (int y = 0; y < n; y++) {
            for (int u = 0; u < columnCount; u++) {
                System.arraycopy(t[y], u * LANES, r[u], y * LANES, m);
            }
        }
        return r;
    }

    /** The samples of {@code m} transformed blocks to their places in the strips. */
    private void store(int m, byte[][] targets, int[] offsets, int[] strides) {
        int[][] v = samples;
        int w = n * LANES;
        // Four samples to an int (vectorised), then one long store per block row: the scatter to the strip is
        // the one part left per block.
        int[][] p = packed;
        pack(v[0], v[1], v[2], v[3], p[0], w);
        int[] low = p[0];
        if (n == 8) {
            pack(v[4], v[5], v[6], v[7], p[1], w);
            int[] high = p[1];
            for (int s = 0; s < m; s++) {
                byte[] out = targets[s];
                for (int j = s, o = offsets[s]; j < w; j += LANES, o += strides[s]) {
                    LONG_LE.set(out, o, low[j] & 0xFFFFFFFFL | (long) high[j] << 32);
                }
            }
        } else {
            for (int s = 0; s < m; s++) {
                byte[] out = targets[s];
                for (int j = s, o = offsets[s]; j < w; j += LANES, o += strides[s]) {
                    INT_LE.set(out, o, low[j]);
                }
            }
        }
        Arrays.fill(targets, 0, m, null);
    }

    // The butterfly's steps as loops over the queued blocks: halves[0..1] = a0, a1 (with the level shift and
    // rounding half in the row pass), halves[2..3] = b0, b1, halves[4..7] = the odd terms o0..o3.

    private static void even(float[] x0, float[] x4, float[] x2, float[] x6, float bias, float[][] h, int m) {
        rotate(x0, x4, x2, x6, bias, K4, K2, K6, h, m);
    }

    /**
     * {@code h[0..1] = scale (p +- q) + bias}, {@code h[2] = c r + d t}, {@code h[3] = d r - c t}: the 8-point
     * transform's even half at (K4, K2, K6), the whole 4-point one at (A4, C1, C3).
     */
    private static void rotate(float[] p, float[] q, float[] r, float[] t, float bias, float scale, float c, float d,
                               float[][] h, int m) {
        float[] a0 = h[0];
        float[] a1 = h[1];
        float[] b0 = h[2];
        float[] b1 = h[3];
        for (int s = 0; s < m; s++) {
            a0[s] = scale * (p[s] + q[s]) + bias;
            a1[s] = scale * (p[s] - q[s]) + bias;
        }
        for (int s = 0; s < m; s++) {
            b0[s] = c * r[s] + d * t[s];
            b1[s] = d * r[s] - c * t[s];
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

    /** {@link #even} with inputs 4 and 6 zero: halves[0] = a0 (= a1), halves[2..3] = b0, b1. */
    private static void evenLow(float[] x0, float[] x2, float bias, float[][] h, int m) {
        float[] a = h[0];
        float[] b0 = h[2];
        float[] b1 = h[3];
        for (int s = 0; s < m; s++) {
            a[s] = K4 * x0[s] + bias;
        }
        for (int s = 0; s < m; s++) {
            b0[s] = K2 * x2[s];
            b1[s] = K6 * x2[s];
        }
    }

    /** {@link #odd} with inputs 5 and 7 zero. */
    private static void oddLow(float[] x1, float[] x3, float[][] h, int m) {
        float[] o0 = h[4];
        float[] o1 = h[5];
        float[] o2 = h[6];
        float[] o3 = h[7];
        for (int s = 0; s < m; s++) {
            o0[s] = K1 * x1[s] + K3 * x3[s];
            o1[s] = K3 * x1[s] - K7 * x3[s];
        }
        for (int s = 0; s < m; s++) {
            o2[s] = K5 * x1[s] - K1 * x3[s];
            o3[s] = K7 * x1[s] - K5 * x3[s];
        }
    }

    /** {@code out[i] = in[from + i]} as floats (int loads, float stores: C2 sees they cannot overlap). */
    private static void toFloat(int[] in, int from, float[] out, int w) {
        for (int i = 0; i < w; i++) {
            out[i] = in[from + i];
        }
    }

    /** Samples i and 3 - i of the 4-point column pass: the even term plus and minus the odd one. */
    private static void emit(float[] e, float[] o, float[] low, float[] high, int m) {
        for (int s = 0; s < m; s++) {
            low[s] = e[s] + o[s];
            high[s] = e[s] - o[s];
        }
    }

    /** {@link #emit(float[], float[], float[], float[], int)} for the row pass: rounded down, clamped to 0-255. */
    private static void emitSamples(float[] e, float[] o, int[] low, int[] high, int m) {
        for (int s = 0; s < m; s++) {
            low[s] = Math.max(0, Math.min(255, (int) (e[s] + o[s])));
            high[s] = Math.max(0, Math.min(255, (int) (e[s] - o[s])));
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
    void flat(int dcValue, byte[] out, int offset, int stride) {
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

    private static byte clampByte(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
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
