package io.mediasuite.thumbnails.pipeline.jpeg;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JpegColourUpsampler}'s "across" step with the Vector API (loaded only when {@code
 * io.mediasuite.thumbnails.pipeline.resample.VectorApi} says the module is there): a vector of luma columns at a
 * time, half as many chroma samples, each lane's two terms picked from one vector of the padded chroma row by two
 * permutes. The scalar loop stores its pairs interleaved and stays scalar.
 */
final class VectorFancyAcross {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = INTS.length();
    /** The permutes need a vector to reach a chroma sample on each side of its half: 8 lanes or more. */
    static final boolean USABLE = LANES >= 8;
    /**
     * For the vector of chroma samples from {@code k - 1}: lane {@code t} (luma column {@code i + t}) takes sample
     * {@code k + t / 2} (index {@code t / 2 + 1}) three times, and its neighbour on the column's side: left for
     * even columns (index {@code t / 2}), right for odd ones ({@code t / 2 + 2}).
     */
    private static final IntVector NEAR = IntVector.fromArray(INTS, indices(false), 0);
    private static final IntVector FAR = IntVector.fromArray(INTS, indices(true), 0);

    private VectorFancyAcross() {
    }

    private static int[] indices(boolean far) {
        int[] index = new int[LANES];
        for (int t = 0; t < LANES; t++) {
            index[t] = far ? ((t & 1) == 0 ? t / 2 : t / 2 + 2) : t / 2 + 1;
        }
        return index;
    }

    /**
     * Luma columns {@code i} on ({@code out[i] = 3 p[k] + p[k - 1]}, {@code out[i + 1] = 3 p[k] + p[k + 1]}, then
     * {@code k + 1} for {@code i + 2}) while whole vectors fit both arrays; returns the first column not done (the
     * caller finishes with its scalar loop, {@code k} advanced by half the columns done).
     */
    static int pairs(int[] p, int k, int[] out, int i, int width) {
        int start = i;
        while (i + LANES <= width && k - 1 + LANES <= p.length) {
            IntVector chroma = IntVector.fromArray(INTS, p, k - 1);
            NEAR.selectFrom(chroma).mul(3).add(FAR.selectFrom(chroma)).intoArray(out, i);
            i += LANES;
            k += LANES / 2;
        }
        return i - start;
    }
}
