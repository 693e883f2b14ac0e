package io.mediasuite.thumbnails.pipeline.resample;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SampleWidening} with the Vector API: a vector of bytes zero-extended to ints in one conversion, where C2
 * leaves the scalar loop a sample at a time (0.25 ns a sample here, against 0.05).
 */
final class VectorWidening {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = INTS.length();
    /** As many byte lanes as {@link #INTS} has ints (none below 8: there is no 32-bit byte vector). */
    static final boolean USABLE = LANES >= 8;
    private static final VectorSpecies<Byte> BYTES = USABLE
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE)) : null;

    private VectorWidening() {
    }

    /** {@code to[at + i] = (from[offset + i] & 0xFF) - shift} for {@code i < count}. */
    static void widen(byte[] from, int offset, int[] to, int at, int count, int shift) {
        int i = 0;
        for (int end = count - LANES; i <= end; i += LANES) {
            ((IntVector) ByteVector.fromArray(BYTES, from, offset + i)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0))
                    .sub(shift).intoArray(to, at + i);
        }
        for (; i < count; i++) {
            to[at + i] = (from[offset + i] & 0xFF) - shift;
        }
    }

    /** {@code to[i] += from[offset + i] & 0xFF} for {@code i < count}. */
    static void accumulate(byte[] from, int offset, int[] to, int count) {
        int i = 0;
        for (int end = count - LANES; i <= end; i += LANES) {
            ((IntVector) ByteVector.fromArray(BYTES, from, offset + i)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0))
                    .add(IntVector.fromArray(INTS, to, i)).intoArray(to, i);
        }
        for (; i < count; i++) {
            to[i] += from[offset + i] & 0xFF;
        }
    }
}
