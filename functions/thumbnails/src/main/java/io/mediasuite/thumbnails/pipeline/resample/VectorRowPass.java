package io.mediasuite.thumbnails.pipeline.resample;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelResampler}'s horizontal pass for a one-channel plane with the JDK's Vector API (the incubating
 * {@code jdk.incubator.vector} module; {@link HorizontalPass#create} uses this class only when the module is in the
 * boot layer): one output row at a time, straight from the vertically finished row, with no band and no
 * transposition.
 *
 * <p>With AVX-512, eight outputs and two taps fill one vector of 16 ints: lanes 0-7 hold tap {@code 2p} of the
 * eight outputs, lanes 8-15 tap {@code 2p + 1} (with AVX2, four outputs in 8 lanes). Each output's taps start at
 * its own column, so the lanes are gathered with a permute of each of the two vectors of row samples after the
 * group's first start and a blend (indices of a lane count and up pick from the second; the same index vector for
 * every tap pair, since each pair moves all starts by two), multiplied by the group's weights for that pair and
 * added; at the end the two halves are added, rounded, shifted, clamped and stored as eight bytes. The sums are the scalar
 * pass's sums in another order: integer arithmetic, so the bytes are identical. A group whose starts spread over
 * more than the permutes reach (two vectors: more than about a 4x reduction) makes the whole plane use the scalar
 * pass.
 */
final class VectorRowPass implements HorizontalPass {

    /**
     * The widest int vectors the JIT compiles to instructions here (16 lanes with AVX-512, 8 with AVX2); below 8
     * lanes the groups would be too narrow to pay, and the pass is not used.
     */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = INTS.length();
    /** Bytes, as many lanes as {@link #INTS}: the clamped sums narrowed for one store. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(Math.max(64, LANES * Byte.SIZE)));
    /** Whether the vectors are wide enough (8 int lanes or more) for the pass to pay; else {@link #create} declines. */
    static final boolean USABLE = LANES >= 8;
    /** Outputs per group: half a vector. */
    private static final int GROUP = LANES / 2;
    /** Lane l takes lane l + GROUP (mod LANES): adds the odd taps' half onto the even taps' half. */
    private static final VectorShuffle<Integer> SWAP_HALVES = VectorShuffle.fromOp(INTS, l -> (l + GROUP) % LANES);

    private final int outWidth;
    private final int taps;
    private final int pairs;
    private final int outShift;
    private final int round;
    /** Whole groups; outputs past them take the scalar sums. */
    private final int groups;
    /** First row index each group reads (relative to the row's first contributing column). */
    private final int[] groupStart;
    /** Per group, a vector of permute indices into the two vectors of samples from {@code groupStart + 2p}. */
    private final int[] index;
    /** Per group and tap pair, a vector of weights (zero past the last tap). */
    private final int[] weights;
    /** Scalar tail: starts and weights as the scalar pass has them. */
    private final int[] starts;
    private final int[] tapWeights;

    private VectorRowPass(int outWidth, int taps, int[] starts, int[] tapWeights, int outShift) {
        this.outWidth = outWidth;
        this.taps = taps;
        this.pairs = (taps + 1) / 2;
        this.outShift = outShift;
        this.round = 1 << (outShift - 1);
        this.groups = outWidth / GROUP;
        this.starts = starts;
        this.tapWeights = tapWeights;
        this.groupStart = new int[groups];
        this.index = new int[groups * LANES];
        this.weights = new int[groups * pairs * LANES];
        for (int g = 0; g < groups; g++) {
            int first = starts[g * GROUP];
            groupStart[g] = first;
            for (int lane = 0; lane < LANES; lane++) {
                int i = g * GROUP + lane % GROUP;
                int odd = lane / GROUP;
                index[g * LANES + lane] = starts[i] - first + odd;
                for (int p = 0; p < pairs; p++) {
                    int k = 2 * p + odd;
                    weights[(g * pairs + p) * LANES + lane] = k < taps ? tapWeights[i * taps + k] : 0;
                }
            }
        }
    }

    /**
     * The pass for these spans, or null when a group's starts spread too far for the permute.
     *
     * @param starts     each output's first column, relative to the row's first
     * @param tapWeights {@code taps} weights per output
     */
    static VectorRowPass create(int outWidth, int taps, int[] starts, int[] tapWeights, int outShift) {
        if (!USABLE) {
            return null;
        }
        for (int g = 0; g + GROUP <= outWidth; g += GROUP) {
            int first = starts[g];
            for (int i = g; i < g + GROUP; i++) {
                if (starts[i] < first || starts[i] - first + 1 >= 2 * LANES) {
                    return null;
                }
            }
        }
        return new VectorRowPass(outWidth, taps, starts, tapWeights, outShift);
    }

    @Override
    public int padding() {
        // The last pair reads two vectors of samples from its start.
        return 2 * pairs + 2 * LANES;
    }

    @Override
    public void row(int[] samples, byte[] out, int at) {
        int[] w = weights;
        int pairCount = pairs;
        for (int g = 0; g < groups; g++) {
            IntVector raw = IntVector.fromArray(INTS, index, g * LANES);
            IntVector lanes = raw.and(LANES - 1);
            VectorMask<Integer> second = raw.compare(VectorOperators.GE, LANES);
            IntVector sum = IntVector.zero(INTS);
            int from = groupStart[g];
            for (int p = 0, k = (g * pairCount) * LANES; p < pairCount; p++, from += 2, k += LANES) {
                IntVector picked = lanes.selectFrom(IntVector.fromArray(INTS, samples, from))
                        .blend(lanes.selectFrom(IntVector.fromArray(INTS, samples, from + LANES)), second);
                sum = sum.add(picked.mul(IntVector.fromArray(INTS, w, k)));
            }
            // Both halves now hold the group's sums; all lanes are stored, the upper half over the next group's
            // place, which that group's store (or the scalar tail) then writes. Only a store that would run past
            // the plane keeps to its own lanes.
            IntVector total = sum.add(sum.rearrange(SWAP_HALVES)).add(round)
                    .lanewise(VectorOperators.ASHR, outShift).max(0).min(255);
            ByteVector bytes = (ByteVector) total.convertShape(VectorOperators.I2B, BYTES, 0);
            int to = at + g * GROUP;
            if (to + LANES <= out.length) {
                bytes.intoArray(out, to);
            } else {
                bytes.intoArray(out, to, BYTES.indexInRange(0, GROUP));
            }
        }
        for (int i = groups * GROUP; i < outWidth; i++) {
            int s = round;
            int first = starts[i];
            for (int k = 0; k < taps; k++) {
                s += samples[first + k] * tapWeights[i * taps + k];
            }
            s >>= outShift;
            out[at + i] = (byte) (s > 255 ? 255 : s < 0 ? 0 : s);
        }
    }
}
