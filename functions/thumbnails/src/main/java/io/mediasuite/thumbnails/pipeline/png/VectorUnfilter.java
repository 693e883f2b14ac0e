package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PngUnfilter}'s band of rows with the JDK's Vector API (the incubating {@code jdk.incubator.vector} module;
 * used only when {@link io.mediasuite.thumbnails.pipeline.resample.VectorApi#AVAILABLE}): up to one row per lane,
 * all rows of the band undone together.
 *
 * <p>Why across rows: along a row, sub, average and Paeth make each byte wait for the byte a pixel to its left, so
 * a row is a chain of dependent steps, and the scalar Paeth spends ~17 cycles a pixel on it (close to half of a
 * Paeth-filtered photo's decode). Rows are independent once they are offset: a byte needs from the row above only
 * the bytes above and above-left, which that row has finished if it runs a pixel ahead. So lane {@code j} works on
 * row {@code j} of the band, {@code bpp} bytes behind lane {@code j - 1} (a wavefront): at each step a lane's left
 * byte is its own result {@code bpp} steps earlier, its above byte is lane {@code j - 1}'s result {@code bpp} steps
 * earlier, and its above-left byte lane {@code j - 1}'s result {@code 2 * bpp} steps earlier; lane 0 takes both
 * from the row above the band. The band is first copied into a skewed array in which one step's lanes are adjacent
 * bytes (lane {@code j} shifted by {@code bpp * j} steps), undone there in place, and copied back.
 *
 * <p>Every lane computes all five filters and keeps its own row's (rows of one band often differ). Paeth works on
 * 16-bit lanes with the specification's distances and tie order, so the bytes are those of the scalar code
 * ({@code VectorUnfilterTest}). Positions before a row's start hold zeros, which every filter maps to zero, so
 * they act as the specification's zero left and above-left bytes; positions past a row's end are computed and
 * dropped. On the Paeth-filtered 2725x2225 photo with AVX-512 (32 lanes) the band pass with its two copies takes
 * 16 ms against ~55 for the scalar chains; with 16 lanes (AVX2) 17-18 ms, with 8 lanes 21 ms.
 */
final class VectorUnfilter {

    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    /** Rows per band: the lanes of the widest short vector compiled to instructions here (32 with AVX-512). */
    static final int LANES = SHORTS.length();
    /** The same number of lanes, of bytes: one step's loads and stores in the skewed array. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(Math.max(64, Math.min(LANES, PngUnfilter.MAX_BAND_ROWS) * Byte.SIZE)));
    /**
     * Whether this machine's vectors suit the pass: at least 8 lanes (narrower bands would not pay), at most
     * {@link PngUnfilter#MAX_BAND_ROWS} (what the decode budget counts for the skewed array).
     */
    static final boolean USABLE = LANES >= 8 && LANES <= PngUnfilter.MAX_BAND_ROWS;

    private final int rowBytes;
    private final int bpp;
    /** Steps before lane 0's first byte: room for the above-left reads ({@code 2 * bpp} back) of the first step. */
    private final int origin;
    /** Steps in a band: lane {@code LANES - 1} finishes its row on the last one. */
    private final int steps;
    /** Step {@code t}, lane {@code j} at {@code [t * LANES + j]}: row {@code j}'s byte {@code t - origin - bpp * j}. */
    private final byte[] skewed;
    /** The row above the band from index {@code origin}, zeros around it (index = step, as for lane 0's reads). */
    private final byte[] above;
    private final short[] types = new short[LANES];

    /** Allocates {@link PngUnfilter#bandBytes} bytes for this machine's {@link #LANES}. */
    VectorUnfilter(int rowBytes, int bpp) {
        this.rowBytes = rowBytes;
        this.bpp = bpp;
        this.origin = 2 * bpp;
        this.steps = origin + rowBytes + bpp * (LANES - 1);
        this.skewed = new byte[steps * LANES];
        this.above = new byte[steps];
    }

    /** Bytes this instance's arrays hold: {@link PngUnfilter#bandBytes} for {@link #LANES}. */
    long heldBytes() {
        return (long) skewed.length + above.length;
    }

    /**
     * Unfilters rows {@code first} to {@code first + rows - 1} of {@code batch} in place (row {@code r}'s filter
     * type at {@code r * stride}, its bytes after it); {@code rows} at most {@link #LANES}; {@code aboveRow} is the
     * unfiltered row above the first.
     */
    void band(byte[] batch, int first, int rows, int stride, byte[] aboveRow) {
        System.arraycopy(aboveRow, 0, above, origin, rowBytes);
        for (int j = 0; j < LANES; j++) {
            int type = j < rows ? batch[(first + j) * stride] : 0;
            if (type < 0 || type > 4) {
                throw new CorruptImageException("bad PNG filter type " + type);
            }
            types[j] = (short) type;
        }
        // Each lane's positions before its row starts must read as zeros; later positions are all overwritten.
        Arrays.fill(skewed, 0, (origin + bpp * (LANES - 1)) * LANES, (byte) 0);
        for (int j = 0; j < rows; j++) {
            int from = (first + j) * stride + 1;
            for (int x = 0, at = (origin + bpp * j) * LANES + j; x < rowBytes; x++, at += LANES) {
                skewed[at] = batch[from + x];
            }
        }
        undo();
        for (int j = 0; j < rows; j++) {
            int to = (first + j) * stride + 1;
            for (int x = 0, at = (origin + bpp * j) * LANES + j; x < rowBytes; x++, at += LANES) {
                batch[to + x] = skewed[at];
            }
        }
    }

    /** The wavefront over the skewed array. */
    private void undo() {
        ShortVector type = ShortVector.fromArray(SHORTS, types, 0);
        VectorMask<Short> none = type.eq((short) 0);
        VectorMask<Short> sub = type.eq((short) 1);
        VectorMask<Short> up = type.eq((short) 2);
        VectorMask<Short> average = type.eq((short) 3);
        ShortVector zero = ShortVector.zero(SHORTS);
        byte[] s = skewed;
        int back = bpp * LANES;
        for (int t = origin, at = origin * LANES; t < steps; t++, at += LANES) {
            ShortVector filtered = widen(s, at);
            ShortVector left = widen(s, at - back);
            ShortVector leftOfPrevious = widen(s, at - 2 * back);
            // Lane j's above is lane j - 1's left; lane 0's comes from the row above the band.
            ShortVector b = ShortVector.broadcast(SHORTS, (short) (above[t] & 0xFF)).slice(LANES - 1, left);
            ShortVector c = ShortVector.broadcast(SHORTS, (short) (above[t - bpp] & 0xFF))
                    .slice(LANES - 1, leftOfPrevious);
            ShortVector bMinusC = b.sub(c);
            ShortVector aMinusC = left.sub(c);
            ShortVector pa = bMinusC.abs();
            ShortVector pb = aMinusC.abs();
            ShortVector pc = bMinusC.add(aMinusC).abs();
            VectorMask<Short> takeA = pa.compare(VectorOperators.LE, pb).and(pa.compare(VectorOperators.LE, pc));
            ShortVector paeth = c.blend(b, pb.compare(VectorOperators.LE, pc)).blend(left, takeA);
            ShortVector mean = left.add(b).lanewise(VectorOperators.LSHR, 1);
            ShortVector prediction = paeth.blend(left, sub).blend(b, up).blend(mean, average).blend(zero, none);
            ((ByteVector) filtered.add(prediction).convertShape(VectorOperators.S2B, BYTES, 0)).intoArray(s, at);
        }
    }

    private static ShortVector widen(byte[] s, int at) {
        return (ShortVector) ByteVector.fromArray(BYTES, s, at)
                .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
    }
}
