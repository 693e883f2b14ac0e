package io.mediasuite.thumbnails.pipeline.resample;

/**
 * A horizontal pass of {@link KernelResampler} that works one output row at a time on a one-channel plane: today
 * only {@link VectorRowPass}, which needs the incubating {@code jdk.incubator.vector} module. Without that module
 * (it is added by {@code --add-modules jdk.incubator.vector}, which the template's {@code JAVA_TOOL_OPTIONS} set)
 * the resampler keeps its banded scalar pass, which gives the same bytes.
 */
interface HorizontalPass {

    /**
     * Whether the Vector API is there to use: {@code jdk.incubator.vector} in the boot layer, and not switched off
     * with {@code -Dthumbnails.vector=false}. Checked before {@link VectorRowPass} is loaded, since loading it
     * without the module fails.
     */
    boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("thumbnails.vector"));

    /**
     * The pass for a one-channel plane's spans, or null where it does not apply (no Vector API, or spans it
     * cannot take).
     *
     * @param starts     each output's first column, relative to the row's first contributing column
     * @param tapWeights {@code taps} fixed-point weights per output
     * @param outShift   the fraction bits the sums drop (rounded)
     */
    static HorizontalPass create(boolean wanted, int outWidth, int taps, int[] starts, int[] tapWeights,
                                 int outShift) {
        if (!wanted || !AVAILABLE) {
            return null;
        }
        return VectorRowPass.create(outWidth, taps, starts, tapWeights, outShift);
    }

    /** Ints a row must have past its last contributing column (zeros), for the pass's wide reads. */
    int padding();

    /** Output row from the narrowed {@code samples} (column 0 = the first contributing one) at {@code out[at]}. */
    void row(int[] samples, byte[] out, int at);
}
