package io.mediasuite.thumbnails.pipeline;

/**
 * Area-averaging resampler for one image plane (one colour component), or for several interleaved channels of
 * one plane, fed row by row.
 *
 * <p>Every output pixel is the exact area-weighted mean of the plane samples its footprint covers: a box filter
 * whose width is the scale factor, so a large reduction never skips a sample (no aliasing, unlike nearest
 * neighbour or a single bilinear step). The same code upsamples a little when a plane is smaller than the output
 * (JPEG chroma at 4:2:0 for a thumbnail close to the source size): a footprint inside one sample takes that
 * sample, one across a boundary blends the two.
 *
 * <p>Vertical first, then horizontal: each incoming row is added, weighted, into the accumulator of every output
 * row it feeds (at most a few are open at a time), a contiguous multiply-add over the row's bytes that the JIT
 * vectorises whatever the channel count; an output row is reduced horizontally once, when its last source row has
 * arrived. Horizontal-first would do the gather-like horizontal pass for every source row, several times more
 * work for a large reduction. No full-size image is ever held: the state is a few source-width int rows and the
 * output bytes. Arithmetic is fixed-point: vertical weights sum to 2^14 per output row and horizontal weights to
 * 2^14 per output pixel.
 *
 * <p>Geometry: a plane sample {@code i} covers source pixels {@code [i * sampleWidth, (i + 1) * sampleWidth)};
 * the region {@code (regionX, regionY, regionWidth, regionHeight)}, in source pixels, is what the output
 * {@code outWidth x outHeight} shows. This is how one call site handles DCT-scaled JPEG planes, subsampled chroma,
 * crops for the cover mode and plain PNG rows alike.
 */
public final class PlaneReducer {

    private static final int WEIGHT_BITS = 14;
    private static final int ONE = 1 << WEIGHT_BITS;

    private final int outWidth;
    private final int outHeight;
    private final int planeHeight;
    private final int channels;

    /** First plane column that contributes; accumulators start there. */
    private final int firstColumn;
    /** Contributing plane columns. */
    private final int columns;
    private final int[] columnStart;
    private final int[] columnCount;
    private final int[] columnWeightOffset;
    private final int[] columnWeights;

    private final int[] rowFirstOutput;
    private final int[] rowOutputCount;
    private final int[] rowWeightOffset;
    private final int[] rowWeights;
    /** For each output row, the last plane row that feeds it: the row is final once that one was added. */
    private final int[] outputLastRow;

    /** Accumulators of the open output rows, output row j in slot j % length, {@code columns * channels} wide. */
    private final int[][] open;
    private int nextToFinish;
    /** The current row's samples as ints. */
    private final int[] widened;
    /** Output samples per channel, {@code outWidth x outHeight}. */
    private final byte[][] out;
    private final int firstRow;
    private final int endRow;

    /** One plane (one channel). */
    public PlaneReducer(int planeWidth, int planeHeight, double sampleWidth, double sampleHeight,
                        double regionX, double regionY, double regionWidth, double regionHeight,
                        int outWidth, int outHeight) {
        this(planeWidth, planeHeight, 1, sampleWidth, sampleHeight, regionX, regionY, regionWidth, regionHeight,
                outWidth, outHeight);
    }

    /**
     * @param planeWidth   samples per plane row
     * @param planeHeight  plane rows
     * @param channels     interleaved channels per sample, reduced independently
     * @param sampleWidth  source pixels one sample covers horizontally
     * @param sampleHeight source pixels one sample covers vertically
     */
    public PlaneReducer(int planeWidth, int planeHeight, int channels, double sampleWidth, double sampleHeight,
                        double regionX, double regionY, double regionWidth, double regionHeight,
                        int outWidth, int outHeight) {
        if (planeWidth <= 0 || planeHeight <= 0 || outWidth <= 0 || outHeight <= 0 || channels <= 0) {
            throw new IllegalArgumentException("empty plane or output");
        }
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.planeHeight = planeHeight;
        this.channels = channels;

        Spans cols = spans(planeWidth, regionX / sampleWidth, regionWidth / sampleWidth, outWidth);
        this.columnStart = cols.start;
        this.columnCount = cols.count;
        this.columnWeightOffset = cols.offset;
        this.columnWeights = cols.weights;
        this.firstColumn = cols.start[0];
        this.columns = cols.start[outWidth - 1] + cols.count[outWidth - 1] - firstColumn;

        // Transpose the row spans: for each plane row, which output rows it feeds and with what weight.
        Spans rows = spans(planeHeight, regionY / sampleHeight, regionHeight / sampleHeight, outHeight);
        int[] perRow = new int[planeHeight];
        this.outputLastRow = new int[outHeight];
        for (int j = 0; j < outHeight; j++) {
            for (int k = 0; k < rows.count[j]; k++) {
                perRow[rows.start[j] + k]++;
            }
            outputLastRow[j] = rows.start[j] + rows.count[j] - 1;
        }
        this.rowFirstOutput = new int[planeHeight];
        this.rowOutputCount = new int[planeHeight];
        this.rowWeightOffset = new int[planeHeight];
        int total = 0;
        int first = planeHeight;
        int end = 0;
        int mostOpen = 1;
        for (int y = 0; y < planeHeight; y++) {
            rowWeightOffset[y] = total;
            total += perRow[y];
            mostOpen = Math.max(mostOpen, perRow[y]);
            if (perRow[y] > 0) {
                first = Math.min(first, y);
                end = y + 1;
            }
        }
        this.firstRow = first;
        this.endRow = end;
        this.rowWeights = new int[total];
        int[] filled = new int[planeHeight];
        java.util.Arrays.fill(rowFirstOutput, -1);
        for (int j = 0; j < outHeight; j++) {
            for (int k = 0; k < rows.count[j]; k++) {
                int y = rows.start[j] + k;
                if (rowFirstOutput[y] < 0) {
                    rowFirstOutput[y] = j;
                }
                rowWeights[rowWeightOffset[y] + filled[y]++] = rows.weights[rows.offset[j] + k];
            }
        }
        for (int y = 0; y < planeHeight; y++) {
            rowOutputCount[y] = filled[y];
        }
        // The output rows open between two calls are the ones that contain the next row: consecutive, and no more
        // than the most output rows any one plane row feeds.
        this.open = new int[mostOpen][columns * channels];
        this.widened = new int[columns * channels];
        this.out = new byte[channels][outWidth * outHeight];
    }

    /** First plane row that contributes to the output (rows before it may be skipped by the decoder). */
    public int firstRow() {
        return firstRow;
    }

    /** One past the last plane row that contributes to the output. */
    public int endRow() {
        return endRow;
    }

    /** First plane column that contributes. */
    public int firstColumn() {
        return firstColumn;
    }

    /** One past the last plane column that contributes. */
    public int endColumn() {
        return firstColumn + columns;
    }

    /** Whether plane row {@code y} contributes to the output. */
    boolean wants(int y) {
        return y >= 0 && y < planeHeight && rowOutputCount[y] > 0;
    }

    /**
     * Adds plane row {@code y}: channel {@code c} of sample {@code x} is {@code data[offset + x * step + c]}
     * ({@code step} is at least the channel count; more reads some channels of wider interleaved pixels).
     */
    public void row(int y, byte[] data, int offset, int step) {
        if (y < 0 || y >= planeHeight || rowOutputCount[y] == 0) {
            return;
        }
        finishRowsBefore(y);
        int from = offset + firstColumn * step;
        int ch = channels;
        int samples = columns * ch;
        // Widen to ints first, then multiply-add: C2 vectorises both loops, but not one mixing byte and int lanes.
        int[] wide = widened;
        if (step == ch) {
            for (int i = 0; i < samples; i++) {
                wide[i] = data[from + i] & 0xFF;
            }
        } else {
            for (int x = 0, a = 0, p = from; x < columns; x++, p += step) {
                for (int c = 0; c < ch; c++, a++) {
                    wide[a] = data[p + c] & 0xFF;
                }
            }
        }
        int weights = rowWeightOffset[y];
        int firstOut = rowFirstOutput[y];
        for (int k = 0; k < rowOutputCount[y]; k++) {
            int wy = rowWeights[weights + k];
            int[] acc = open[(firstOut + k) % open.length];
            for (int i = 0; i < samples; i++) {
                acc[i] += wide[i] * wy;
            }
        }
        finishRowsBefore(y + 1);
    }

    /** Reduces horizontally, and recycles, every open output row whose last plane row is before {@code y}. */
    private void finishRowsBefore(int y) {
        while (nextToFinish < outHeight && outputLastRow[nextToFinish] < y) {
            finish(nextToFinish++);
        }
    }

    private void finish(int j) {
        int[] acc = open[j % open.length];
        int ch = channels;
        int base = j * outWidth;
        // acc <= 255 * 2^14 and horizontal weights sum to 2^14: the sum needs a long.
        long round = 1L << (2 * WEIGHT_BITS - 1);
        for (int c = 0; c < ch; c++) {
            byte[] plane = out[c];
            for (int i = 0; i < outWidth; i++) {
                int count = columnCount[i];
                int w = columnWeightOffset[i];
                int a = (columnStart[i] - firstColumn) * ch + c;
                long sum = 0;
                for (int k = 0; k < count; k++, a += ch) {
                    sum += (long) acc[a] * columnWeights[w + k];
                }
                int v = (int) ((sum + round) >> (2 * WEIGHT_BITS));
                plane[base + i] = (byte) (v > 255 ? 255 : Math.max(v, 0));
            }
        }
        java.util.Arrays.fill(acc, 0);
    }

    /** The reduced plane (channel 0), {@code outWidth x outHeight} samples. */
    public byte[] result() {
        return result(0);
    }

    /** Channel {@code c} of the reduced plane, {@code outWidth x outHeight} samples. */
    public byte[] result(int c) {
        finishRowsBefore(Integer.MAX_VALUE);
        return out[c];
    }

    int outWidth() {
        return outWidth;
    }

    int outHeight() {
        return outHeight;
    }

    private record Spans(int[] start, int[] count, int[] offset, int[] weights) {
    }

    /**
     * For each of {@code outCount} output cells, the samples of {@code [0, size)} its footprint covers and their
     * normalized weights (summing to exactly {@link #ONE}).
     */
    private static Spans spans(int size, double origin, double extent, int outCount) {
        int[] start = new int[outCount];
        int[] count = new int[outCount];
        int[] offset = new int[outCount];
        double step = extent / outCount;
        int total = 0;
        double[] lo = new double[outCount];
        double[] hi = new double[outCount];
        for (int i = 0; i < outCount; i++) {
            double a = Math.max(0, Math.min(size, origin + i * step));
            double b = Math.max(0, Math.min(size, origin + (i + 1) * step));
            if (b - a < 1e-9) {
                // Degenerate footprint (rounding at an edge): take the nearest sample.
                a = Math.min(size - 1, Math.floor(a));
                b = a + 1;
            }
            lo[i] = a;
            hi[i] = b;
            int first = (int) Math.floor(a);
            int last = Math.min(size, (int) Math.ceil(b));
            start[i] = first;
            count[i] = Math.max(1, last - first);
            offset[i] = total;
            total += count[i];
        }
        int[] weights = new int[total];
        for (int i = 0; i < outCount; i++) {
            double width = hi[i] - lo[i];
            int sum = 0;
            int largest = 0;
            for (int k = 0; k < count[i]; k++) {
                int s = start[i] + k;
                double overlap = Math.min(hi[i], s + 1) - Math.max(lo[i], s);
                int w = (int) Math.round(Math.max(0, overlap) / width * ONE);
                weights[offset[i] + k] = w;
                sum += w;
                if (w > weights[offset[i] + largest]) {
                    largest = k;
                }
            }
            weights[offset[i] + largest] += ONE - sum; // exact normalization: a flat plane stays flat
        }
        return new Spans(start, count, offset, weights);
    }
}
