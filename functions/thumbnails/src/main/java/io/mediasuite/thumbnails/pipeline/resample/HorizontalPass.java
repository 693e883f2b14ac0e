package io.mediasuite.thumbnails.pipeline.resample;

/**
 * A horizontal pass of {@link KernelResampler} that works one output row at a time on a one-channel plane: today
 * only {@link VectorRowPass}, which needs the Vector API ({@link VectorApi}). Without it the resampler keeps its
 * banded scalar pass, which gives the same bytes.
 */
interface HorizontalPass {

    /**
     * The pass for a one-channel plane's spans, or null where it does not apply (spans it cannot take, vectors too
     * narrow). The caller checks {@link VectorApi#AVAILABLE} first.
     *
     * @param starts     each output's first column, relative to the row's first contributing column
     * @param tapWeights {@code taps} fixed-point weights per output
     * @param outShift   the fraction bits the sums drop (rounded)
     */
    static HorizontalPass create(int outWidth, int taps, int[] starts, int[] tapWeights, int outShift) {
        // Only reached when VectorApi.AVAILABLE: VectorRowPass is not loaded otherwise.
        return VectorRowPass.create(outWidth, taps, starts, tapWeights, outShift);
    }

    /** Ints a row must have past its last contributing column (zeros), for the pass's wide reads. */
    int padding();

    /** Output row from the narrowed {@code samples} (column 0 = the first contributing one) at {@code out[at]}. */
    void row(int[] samples, byte[] out, int at);
}
