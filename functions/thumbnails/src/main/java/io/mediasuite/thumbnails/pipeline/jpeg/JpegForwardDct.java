package io.mediasuite.thumbnails.pipeline.jpeg;

/**
 * The forward-DCT and quantisation stage of {@link JpegEncoder}, a block row at a time: eight sample rows of one
 * component (level-shifted to -128..127), every 8x8 block of them transformed and quantised in place.
 *
 * <p>The transform is the Loeffler-Ligtenberg-Moschytz factorisation in 13-bit fixed point that libjpeg calls
 * "islow" (the JDK's and sharp's default, so the same coefficients up to rounding): 12 multiplies per 8 points,
 * outputs scaled by 8 overall, which the quantiser divides out. Speed comes from the layout: the 1-D pass runs
 * down the columns of all blocks of the row at once, so its loop is one long element-wise loop over row arrays
 * that the JIT turns into SIMD; the second dimension is the same pass after transposing each block. Quantisation
 * (round half away from zero, as libjpeg) is a multiply by a reciprocal and a shift, exact for every input the
 * transform can produce (no division in the loop).
 *
 * <p>After {@link #transform}, the coefficient at vertical frequency {@code v}, horizontal {@code u} of block
 * {@code b} is at {@code rows[first + u][8 * b + v]} (the block is left transposed; the entropy coder reads it
 * so).
 */
final class JpegForwardDct {

    private static final int CONST_BITS = 13;
    private static final int PASS1_BITS = 2;
    private static final int C0_298 = 2446;
    private static final int C0_390 = 3196;
    private static final int C0_541 = 4433;
    private static final int C0_765 = 6270;
    private static final int C0_899 = 7373;
    private static final int C1_175 = 9633;
    private static final int C1_501 = 12299;
    private static final int C1_847 = 15137;
    private static final int C1_961 = 16069;
    private static final int C2_053 = 16819;
    private static final int C2_562 = 20995;
    private static final int C3_072 = 25172;

    /** Shift of the quantisation reciprocals: 2^20 / q, exact for the numerators below (see {@link #quantise}). */
    static final int RECIPROCAL_BITS = 20;

    private final int width;
    private final int[][] work;
    /** Per output row u: for every column, q/2 * 8 rounding term and 2^20 / q reciprocal of its table entry. */
    private final int[][] half;
    private final int[][] reciprocal;

    /**
     * @param width samples per row, a multiple of 8
     * @param quant the component's quantisation table, natural order, entries 1-255
     */
    JpegForwardDct(int width, int[] quant) {
        this.width = width;
        this.work = new int[8][width];
        this.half = new int[8][width];
        this.reciprocal = new int[8][width];
        for (int u = 0; u < 8; u++) {
            for (int x = 0; x < width; x++) {
                int q = quant[(x & 7) * 8 + u];
                half[u][x] = 4 * q;
                reciprocal[u][x] = reciprocal(q);
            }
        }
    }

    /** Rounded-up 2^20 / q: with numerators below 2^11, {@code n * r >>> 20 == n / q} for every q of 1-255. */
    static int reciprocal(int q) {
        return ((1 << RECIPROCAL_BITS) + q - 1) / q;
    }

    /** Transforms and quantises the blocks of {@code rows[first .. first + 7]} in place. */
    void transform(int[][] rows, int first) {
        columnPass(rows, first, work, 0, CONST_BITS - PASS1_BITS, PASS1_BITS, 0);
        transposeBlocks(work, rows, first);
        columnPass(rows, first, work, 0, CONST_BITS + PASS1_BITS, 0, PASS1_BITS);
        for (int u = 0; u < 8; u++) {
            quantise(work[u], rows[first + u], half[u], reciprocal[u], width);
        }
    }

    /**
     * One 1-D DCT down every column: reads rows {@code in[inFirst + k]} (and overwrites them with butterflies),
     * writes rows {@code out[outFirst + k]}. The even outputs 0 and 4 are scaled by {@code 2^up} and rounded down
     * by {@code down} bits; the others are descaled by {@code shift} bits.
     *
     * <p>The LLM flow graph is spread over loops the JIT vectorises: two butterfly loops (sums and differences of
     * mirrored rows), then each output as one 4-term dot product of the sums (even outputs) or the differences
     * (odd outputs), its weights the products of the graph's multipliers along each path. Integer distributivity
     * makes this the very same value as walking the graph; only the loop shape differs (C2's SuperWord gives up
     * on the graph as one loop: too many rows, each value used several times).
     */
    private void columnPass(int[][] in, int inFirst, int[][] out, int outFirst, int shift, int up, int down) {
        int[] s0 = in[inFirst];
        int[] s1 = in[inFirst + 1];
        int[] s2 = in[inFirst + 2];
        int[] s3 = in[inFirst + 3];
        int[] s4 = in[inFirst + 4];
        int[] s5 = in[inFirst + 5];
        int[] s6 = in[inFirst + 6];
        int[] s7 = in[inFirst + 7];
        // s0..s3 become the sums t0..t3, s7..s4 the differences t7..t4
        butterfly(s0, s7, s3, s4, width);
        butterfly(s1, s6, s2, s5, width);
        int scale = 1 << up;
        int evenRound = down == 0 ? 0 : 1 << (down - 1);
        int round = 1 << (shift - 1);
        int n = width;
        dot4(s0, s1, s2, s3, scale, scale, scale, scale, evenRound, down, out[outFirst], n);
        dot4(s0, s1, s2, s3, scale, -scale, -scale, scale, evenRound, down, out[outFirst + 4], n);
        dot4(s0, s1, s2, s3, C0_541 + C0_765, C0_541, -C0_541, -C0_541 - C0_765, round, shift, out[outFirst + 2], n);
        dot4(s0, s1, s2, s3, C0_541, C0_541 - C1_847, C1_847 - C0_541, -C0_541, round, shift, out[outFirst + 6], n);
        dot4(s4, s5, s6, s7, C0_298 - C0_899 + C1_175 - C1_961, C1_175, C1_175 - C1_961, C1_175 - C0_899,
                round, shift, out[outFirst + 7], n);
        dot4(s4, s5, s6, s7, C1_175, C2_053 - C2_562 + C1_175 - C0_390, C1_175 - C2_562, C1_175 - C0_390,
                round, shift, out[outFirst + 5], n);
        dot4(s4, s5, s6, s7, C1_175 - C1_961, C1_175 - C2_562, C3_072 - C2_562 + C1_175 - C1_961, C1_175,
                round, shift, out[outFirst + 3], n);
        dot4(s4, s5, s6, s7, C1_175 - C0_899, C1_175 - C0_390, C1_175, C1_501 - C0_899 + C1_175 - C0_390,
                round, shift, out[outFirst + 1], n);
    }

    /** In place: {@code (a, b) <- (a + b, a - b)} and {@code (c, d) <- (c + d, c - d)}, element-wise. */
    private static void butterfly(int[] a, int[] b, int[] c, int[] d, int n) {
        for (int x = 0; x < n; x++) {
            int av = a[x];
            int bv = b[x];
            int cv = c[x];
            int dv = d[x];
            a[x] = av + bv;
            b[x] = av - bv;
            c[x] = cv + dv;
            d[x] = cv - dv;
        }
    }

    /** {@code out = (wp p + wq q + wr r + ws s + round) >> shift}, element-wise. */
    private static void dot4(int[] p, int[] q, int[] r, int[] s, int wp, int wq, int wr, int ws, int round, int shift,
                             int[] out, int n) {
        for (int x = 0; x < n; x++) {
            out[x] = wp * p[x] + wq * q[x] + wr * r[x] + ws * s[x] + round >> shift;
        }
    }

    /** {@code to[first + c][8b + r] = from[r][8b + c]} for every block b. */
    private void transposeBlocks(int[][] from, int[][] to, int first) {
        for (int r = 0; r < 8; r++) {
            int[] source = from[r];
            for (int c = 0; c < 8; c++) {
                int[] target = to[first + c];
                for (int b = 0; b < width; b += 8) {
                    target[b + r] = source[b + c];
                }
            }
        }
    }

    /**
     * libjpeg's rounding, {@code sign(v) * ((|v| + 4q) / 8q)}, as {@code ((|v| + 4q) >> 3) * r >>> 20}: dividing by
     * 8 first loses nothing (floor of floor), and {@code (|v| + 4q) >> 3} stays under 2^11 since |v| <= 8192.
     */
    private static void quantise(int[] in, int[] out, int[] half, int[] reciprocal, int width) {
        for (int x = 0; x < width; x++) {
            int v = in[x];
            int sign = v >> 31;
            int magnitude = ((((v ^ sign) - sign) + half[x]) >> 3) * reciprocal[x] >>> RECIPROCAL_BITS;
            out[x] = (magnitude ^ sign) - sign;
        }
    }
}
