package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import java.util.Arrays;

/**
 * The arithmetic entropy-decoding stage of {@link JpegDecoder} (ITU-T T.81 annexes D, F.2.4 and G.2): sequential
 * (SOF9) and progressive (SOF10) scans. It turns the scan's bytes into quantized coefficients; the caller owns
 * the block geometry, the coefficient store (only the coefficients its DCT scale keeps, plus a 64-bit non-zero
 * mask per block for refinement) and everything after.
 *
 * <p>The coder is the standard's binary QM decoder: an interval register {@code a}, a code register {@code c}
 * holding the bits read so far and adaptive probability states per decision context. The states are reset at
 * the start of each scan and at each restart marker, as the encoder resets them. The data a scan ends with may
 * be cut short by the encoder (trailing zero bytes are left out), so zeros are fed after the marker that ends
 * it; a scan that runs into the end of the file instead is corrupt.
 */
final class JpegArithmeticDecoder {

    /** Probability estimation (T.81 table D.2): LPS probability per state... */
    private static final int[] QE = {
        0x5a1d, 0x2586, 0x1114, 0x080b, 0x03d8, 0x01da, 0x00e5, 0x006f, 0x0036, 0x001a, 0x000d, 0x0006, 0x0003,
        0x0001, 0x5a7f, 0x3f25, 0x2cf2, 0x207c, 0x17b9, 0x1182, 0x0cef, 0x09a1, 0x072f, 0x055c, 0x0406, 0x0303,
        0x0240, 0x01b1, 0x0144, 0x00f5, 0x00b7, 0x008a, 0x0068, 0x004e, 0x003b, 0x002c, 0x5ae1, 0x484c, 0x3a0d,
        0x2ef1, 0x261f, 0x1f33, 0x19a8, 0x1518, 0x1177, 0x0e74, 0x0bfb, 0x09f8, 0x0861, 0x0706, 0x05cd, 0x04de,
        0x040f, 0x0363, 0x02d4, 0x025c, 0x01f8, 0x01a4, 0x0160, 0x0125, 0x00f6, 0x00cb, 0x00ab, 0x008f, 0x5b12,
        0x4d04, 0x412c, 0x37d8, 0x2fe8, 0x293c, 0x2379, 0x1edf, 0x1aa9, 0x174e, 0x1424, 0x119c, 0x0f6b, 0x0d51,
        0x0bb6, 0x0a40, 0x5832, 0x4d1c, 0x438e, 0x3bdd, 0x34ee, 0x2eae, 0x299a, 0x2516, 0x5570, 0x4ca9, 0x44d9,
        0x3e22, 0x3824, 0x32b4, 0x2e17, 0x56a8, 0x4f46, 0x47e5, 0x41cf, 0x3c3d, 0x375e, 0x5231, 0x4c0f, 0x4639,
        0x415e, 0x5627, 0x50e7, 0x4b85, 0x5597, 0x504f, 0x5a10, 0x5522, 0x59eb,
        0x5a1d}; // ...and a last, frozen state at one half for the "fixed probability" decisions (signs, refinements)

    /** ...the state after a less probable symbol... */
    private static final byte[] NEXT_LPS = {
        1, 14, 16, 18, 20, 23, 25, 28, 30, 33, 35, 9, 10, 12, 15, 36, 38, 39, 40, 42, 43, 45, 46, 48, 49, 51, 52,
        54, 56, 57, 59, 60, 62, 63, 32, 33, 37, 64, 65, 67, 68, 69, 70, 72, 73, 74, 75, 77, 78, 79, 48, 50, 50, 51,
        52, 53, 54, 55, 56, 57, 58, 59, 61, 61, 65, 80, 81, 82, 83, 84, 86, 87, 87, 72, 72, 74, 74, 75, 77, 77, 80,
        88, 89, 90, 91, 92, 93, 86, 88, 95, 96, 97, 99, 99, 93, 95, 101, 102, 103, 104, 99, 105, 106, 107, 103, 105,
        108, 109, 110, 111, 110, 112, 112, 113};

    /** ...the state after a more probable symbol... */
    private static final byte[] NEXT_MPS = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        30, 31, 32, 33, 34, 35, 9, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
        57, 58, 59, 60, 61, 62, 63, 32, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 48, 81, 82, 83,
        84, 85, 86, 87, 71, 89, 90, 91, 92, 93, 94, 86, 96, 97, 98, 99, 100, 93, 102, 103, 104, 99, 106, 107, 103,
        109, 107, 111, 109, 111, 113};

    /** ...and the states where a less probable symbol swaps which symbol is the more probable one. */
    private static final long SWITCH_LOW = (1L << 0) | (1L << 14) | (1L << 36);
    private static final long SWITCH_HIGH = (1L << (64 - 64)) | (1L << (80 - 64)) | (1L << (88 - 64))
            | (1L << (95 - 64)) | (1L << (105 - 64)) | (1L << (110 - 64)) | (1L << (112 - 64));

    private static final int FIXED_STATE = 113;
    /** Context bins per table: DC needs 49 (F.1.4.4.1), AC 245 (F.1.4.4.2). */
    private static final int DC_BINS = 64;
    private static final int AC_BINS = 256;

    private final byte[] data;
    /** One byte per context: the more probable symbol in bit 7, the state index below. */
    private final byte[][] dcStats = new byte[4][DC_BINS];
    private final byte[][] acStats = new byte[4][AC_BINS];
    /** DAC conditioning: DC lower/upper bounds (L, U) and AC split point Kx per table; T.81 defaults. */
    private final int[] dcLower = new int[4];
    private final int[] dcUpper = {1, 1, 1, 1};
    private final int[] acSplit = {5, 5, 5, 5};
    /** Per frame component: the DC predictor and the DC context (0, 4, 8, 12 or 16) of its last difference. */
    private final int[] predictor = new int[4];
    private final int[] dcContext = new int[4];
    /** The context of the fixed one-half decisions; its state never moves. */
    private final byte[] fixed = new byte[1];

    private int pos;
    private int a;
    private int c;
    private int ct;
    private boolean markerReached;
    private boolean endOfFile;

    JpegArithmeticDecoder(byte[] data) {
        this.data = data;
    }

    /** A DAC segment: conditioning values per table. */
    void readConditioning(int start, int end) {
        if ((end - start) % 2 != 0) {
            throw new CorruptImageException("bad DAC");
        }
        for (int p = start; p < end; p += 2) {
            int tc = (data[p] & 0xFF) >> 4;
            int tb = data[p] & 15;
            int value = data[p + 1] & 0xFF;
            if (tc > 1 || tb > 3) {
                throw new CorruptImageException("bad DAC table");
            }
            if (tc == 0) {
                int lower = value & 15;
                int upper = value >> 4;
                if (lower > upper) {
                    throw new CorruptImageException("bad DAC bounds");
                }
                dcLower[tb] = lower;
                dcUpper[tb] = upper;
            } else {
                if (value < 1 || value > 63) {
                    throw new CorruptImageException("bad DAC split");
                }
                acSplit[tb] = value;
            }
        }
    }

    /** Starts decoding entropy-coded data at {@code position} (the start of a scan or of a restart interval). */
    void start(int position) {
        pos = position;
        markerReached = false;
        for (byte[] s : dcStats) {
            Arrays.fill(s, (byte) 0);
        }
        for (byte[] s : acStats) {
            Arrays.fill(s, (byte) 0);
        }
        Arrays.fill(predictor, 0);
        Arrays.fill(dcContext, 0);
        fixed[0] = (byte) FIXED_STATE;
        // The code register starts with the first two bytes; the interval is the whole of [0, 1): 0x10000.
        c = (nextByte() << 8) | nextByte();
        a = 0x10000;
        ct = 0;
    }

    /** At a restart marker: finds it (the interval may leave bytes unread), steps over it and starts afresh. */
    void restart() {
        int p = markerReached ? pos : JpegDecoder.markerAfter(data, pos);
        if (p + 1 < data.length && (data[p + 1] & 0xFF) >= 0xD0 && (data[p + 1] & 0xFF) <= 0xD7) {
            p += 2;
        }
        start(p);
    }

    /** Where the scan's data ends (its marker), once the scan is decoded; fails when the file ended first. */
    int end() {
        if (endOfFile) {
            throw new CorruptImageException("JPEG ends inside arithmetic-coded data (truncated)");
        }
        return markerReached ? pos : JpegDecoder.markerAfter(data, pos);
    }

    private int nextByte() {
        if (markerReached) {
            return 0;
        }
        if (pos >= data.length) {
            markerReached = true;
            endOfFile = true;
            return 0;
        }
        int b = data[pos] & 0xFF;
        if (b == 0xFF) {
            if (pos + 1 < data.length && data[pos + 1] == 0) {
                pos += 2;
                return 0xFF;
            }
            markerReached = true;
            endOfFile = pos + 1 >= data.length;
            return 0;
        }
        pos++;
        return b;
    }

    /** One binary decision in context {@code stats[index]} (T.81 D.2.2: DECODE, with conditional exchange). */
    private int decide(byte[] stats, int index) {
        while (a < 0x8000) {
            if (--ct < 0) {
                c = (c << 8) | nextByte();
                ct += 8;
            }
            a <<= 1;
        }
        int state = stats[index];
        int mps = (state >> 7) & 1;
        int s = state & 0x7F;
        int qe = QE[s];
        a -= qe;
        int split = a << ct;
        boolean lps;
        if (c >= split) {
            // Upper sub-interval: the less probable symbol's, unless it is now the larger one (exchange).
            c -= split;
            lps = a >= qe;
            a = qe;
        } else if (a < 0x8000) {
            // Lower sub-interval with renormalisation ahead: exchanged when it became the smaller one.
            lps = a < qe;
        } else {
            return mps;
        }
        if (lps) {
            int swapped = switches(s) ? mps ^ 1 : mps;
            stats[index] = (byte) ((swapped << 7) | NEXT_LPS[s]);
            return mps ^ 1;
        }
        stats[index] = (byte) ((mps << 7) | NEXT_MPS[s]);
        return mps;
    }

    private static boolean switches(int s) {
        return s < 64 ? (SWITCH_LOW >>> s & 1) != 0 : (SWITCH_HIGH >>> (s - 64) & 1) != 0;
    }

    private int fixedDecision() {
        return decide(fixed, 0);
    }

    /** DC of a first (or sequential) scan: updates and returns the component's predictor (F.2.4.1). */
    int decodeDc(int component, int table) {
        byte[] stats = dcStats[table];
        int context = dcContext[component];
        if (decide(stats, context) == 0) {
            dcContext[component] = 0;
            return predictor[component];
        }
        int negative = decide(stats, context + 1);
        int magnitudeContext = context + 2 + negative;
        int top = 0;
        if (decide(stats, magnitudeContext) != 0) {
            top = 1;
            magnitudeContext = 20;
            while (decide(stats, magnitudeContext) != 0) {
                top <<= 1;
                if (top == 0x8000) {
                    throw new CorruptImageException("arithmetic DC magnitude out of range");
                }
                magnitudeContext++;
            }
        }
        // The next block's context classifies this difference as zero, small or large (F.1.4.4.1.2).
        if (top < (1 << dcLower[table]) >> 1) {
            dcContext[component] = 0;
        } else if (top > (1 << dcUpper[table]) >> 1) {
            dcContext[component] = 12 + 4 * negative;
        } else {
            dcContext[component] = 4 + 4 * negative;
        }
        int value = magnitudeBits(stats, magnitudeContext + 14, top) + 1;
        predictor[component] += negative != 0 ? -value : value;
        return predictor[component];
    }

    /** The bits below the leading one of a magnitude, each decided in the same context. */
    private int magnitudeBits(byte[] stats, int context, int top) {
        int value = top;
        for (int bit = top >> 1; bit != 0; bit >>= 1) {
            if (decide(stats, context) != 0) {
                value |= bit;
            }
        }
        return value;
    }

    /** One refinement bit of a DC successive-approximation scan. */
    int decodeDcRefinement() {
        return fixedDecision();
    }

    /**
     * AC coefficients {@code ss..se} of a first (or sequential) scan, scaled by {@code 1 << al}: each kept one is
     * stored at {@code coef[base + keep[k]]}, and every non-zero one is marked in {@code nonZero[blockIndex]}
     * when a mask is kept (F.2.4.2, G.1.3.2).
     */
    void decodeAc(int table, int ss, int se, int al, short[] coef, int base, int[] keep, long[] nonZero,
                  int blockIndex) {
        byte[] stats = acStats[table];
        int split = acSplit[table];
        for (int k = ss; k <= se; k++) {
            int context = 3 * (k - 1);
            if (decide(stats, context) != 0) {
                return; // end of block
            }
            while (decide(stats, context + 1) == 0) {
                context += 3;
                if (++k > se) {
                    throw new CorruptImageException("arithmetic AC run past end of band");
                }
            }
            int negative = fixedDecision();
            int magnitudeContext = context + 2;
            int top = 0;
            if (decide(stats, magnitudeContext) != 0) {
                top = 1;
                if (decide(stats, magnitudeContext) != 0) {
                    top = 2;
                    magnitudeContext = k <= split ? 189 : 217;
                    while (decide(stats, magnitudeContext) != 0) {
                        top <<= 1;
                        if (top == 0x8000) {
                            throw new CorruptImageException("arithmetic AC magnitude out of range");
                        }
                        magnitudeContext++;
                    }
                }
            }
            int value = magnitudeBits(stats, magnitudeContext + 14, top) + 1;
            if (nonZero != null) {
                nonZero[blockIndex] |= 1L << k;
            }
            int slot = keep[k];
            if (slot >= 0) {
                coef[base + slot] = (short) ((negative != 0 ? -value : value) * (1 << al));
            }
        }
    }

    /**
     * An AC successive-approximation refinement of {@code ss..se} at bit {@code al} (G.1.3.3): coefficients
     * already non-zero (per the mask) get a correction bit, zero ones may become +-1 at this bit.
     */
    void refineAc(int table, int ss, int se, int al, short[] coef, int base, int[] keep, long[] nonZero,
                  int blockIndex) {
        byte[] stats = acStats[table];
        long mask = nonZero[blockIndex];
        // Past the last coefficient already non-zero, each position may carry an end-of-block decision.
        long upTo = se == 63 ? mask : mask & ((1L << (se + 1)) - 1);
        int lastNonZero = 63 - Long.numberOfLeadingZeros(upTo & ~1L);
        int positive = 1 << al;
        for (int k = ss; k <= se; k++) {
            int context = 3 * (k - 1);
            if (k > lastNonZero && decide(stats, context) != 0) {
                break;
            }
            while (true) {
                int slot = keep[k];
                if ((mask >>> k & 1) != 0) {
                    if (decide(stats, context + 2) != 0 && slot >= 0) {
                        int value = coef[base + slot];
                        coef[base + slot] = (short) (value < 0 ? value - positive : value + positive);
                    }
                    break;
                }
                if (decide(stats, context + 1) != 0) {
                    int negative = fixedDecision();
                    mask |= 1L << k;
                    if (slot >= 0) {
                        coef[base + slot] = (short) (negative != 0 ? -positive : positive);
                    }
                    break;
                }
                context += 3;
                if (++k > se) {
                    throw new CorruptImageException("arithmetic refinement past end of band");
                }
            }
        }
        nonZero[blockIndex] = mask;
    }
}
