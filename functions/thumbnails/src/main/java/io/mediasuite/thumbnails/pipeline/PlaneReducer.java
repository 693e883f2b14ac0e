package io.mediasuite.thumbnails.pipeline;

/**
 * Area-averaging resampler for one image plane (one colour component), fed row by row.
 *
 * <p>Every output pixel is the exact area-weighted mean of the plane samples its footprint covers: a box filter
 * whose width is the scale factor, so a large reduction never skips a sample (no aliasing, unlike nearest
 * neighbour or a single bilinear step). The same code upsamples a little when a plane is smaller than the output
 * (JPEG chroma at 4:2:0 for a thumbnail close to the source size): a footprint inside one sample takes that
 * sample, one across a boundary blends the two.
 *
 * <p>Rows are consumed as the decoder produces them, so no full-size image is ever held: the state is one
 * horizontal row of partial sums and the output accumulator. Arithmetic is fixed-point: horizontal weights sum to
 * 2^14 per output pixel and vertical weights to 2^14 per output row, which keeps the accumulator within an int.
 *
 * <p>Geometry: a plane sample {@code i} covers source pixels {@code [i * sampleWidth, (i + 1) * sampleWidth)};
 * the region {@code (regionX, regionY, regionWidth, regionHeight)}, in source pixels, is what the output
 * {@code outWidth x outHeight} shows. This is how one call site handles DCT-scaled JPEG planes, subsampled chroma,
 * crops for the cover mode and plain PNG rows alike.
 */
final class PlaneReducer {

    private static final int WEIGHT_BITS = 14;
    private static final int ONE = 1 << WEIGHT_BITS;

    private final int outWidth;
    private final int outHeight;
    private final int planeWidth;
    private final int planeHeight;

    private final int[] columnStart;
    private final int[] columnCount;
    private final int[] columnWeightOffset;
    private final int[] columnWeights;

    private final int[] rowFirstOutput;
    private final int[] rowOutputCount;
    private final int[] rowWeightOffset;
    private final int[] rowWeights;

    private final int[] horizontal;
    private final int[] accumulator;
    private final int firstRow;
    private final int endRow;

    /**
     * @param planeWidth   samples per plane row
     * @param planeHeight  plane rows
     * @param sampleWidth  source pixels one sample covers horizontally
     * @param sampleHeight source pixels one sample covers vertically
     */
    PlaneReducer(int planeWidth, int planeHeight, double sampleWidth, double sampleHeight,
                 double regionX, double regionY, double regionWidth, double regionHeight,
                 int outWidth, int outHeight) {
        if (planeWidth <= 0 || planeHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("empty plane or output");
        }
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.planeWidth = planeWidth;
        this.planeHeight = planeHeight;

        Spans columns = spans(planeWidth, regionX / sampleWidth, regionWidth / sampleWidth, outWidth);
        this.columnStart = columns.start;
        this.columnCount = columns.count;
        this.columnWeightOffset = columns.offset;
        this.columnWeights = columns.weights;

        // Transpose the row spans: for each plane row, which output rows it feeds and with what weight.
        Spans rows = spans(planeHeight, regionY / sampleHeight, regionHeight / sampleHeight, outHeight);
        int[] perRow = new int[planeHeight];
        for (int j = 0; j < outHeight; j++) {
            for (int k = 0; k < rows.count[j]; k++) {
                perRow[rows.start[j] + k]++;
            }
        }
        this.rowFirstOutput = new int[planeHeight];
        this.rowOutputCount = new int[planeHeight];
        this.rowWeightOffset = new int[planeHeight];
        int total = 0;
        int first = planeHeight;
        int end = 0;
        for (int y = 0; y < planeHeight; y++) {
            rowWeightOffset[y] = total;
            total += perRow[y];
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
        this.horizontal = new int[outWidth];
        this.accumulator = new int[outWidth * outHeight];
    }

    /** First plane row that contributes to the output (rows before it may be skipped by the decoder). */
    int firstRow() {
        return firstRow;
    }

    /** One past the last plane row that contributes to the output. */
    int endRow() {
        return endRow;
    }

    /** First plane column that contributes. */
    int firstColumn() {
        return columnStart[0];
    }

    /** One past the last plane column that contributes. */
    int endColumn() {
        int last = outWidth - 1;
        return columnStart[last] + columnCount[last];
    }

    /** Whether plane row {@code y} contributes to the output. */
    boolean wants(int y) {
        return y >= 0 && y < planeHeight && rowOutputCount[y] > 0;
    }

    /**
     * Adds plane row {@code y}: sample {@code x} is {@code data[offset + x * step]} (step > 1 reads one channel
     * of interleaved pixels).
     */
    void row(int y, byte[] data, int offset, int step) {
        if (y < 0 || y >= planeHeight || rowOutputCount[y] == 0) {
            return;
        }
        int[] h = horizontal;
        for (int i = 0; i < outWidth; i++) {
            int count = columnCount[i];
            int w = columnWeightOffset[i];
            int p = offset + columnStart[i] * step;
            int sum = 0;
            for (int k = 0; k < count; k++, p += step) {
                sum += (data[p] & 0xFF) * columnWeights[w + k];
            }
            h[i] = (sum + 32) >> 6; // 2^14 -> 2^8 scale
        }
        int weights = rowWeightOffset[y];
        int firstOut = rowFirstOutput[y];
        int[] acc = accumulator;
        for (int k = 0; k < rowOutputCount[y]; k++) {
            int wy = rowWeights[weights + k];
            int base = (firstOut + k) * outWidth;
            for (int i = 0; i < outWidth; i++) {
                acc[base + i] += h[i] * wy;
            }
        }
    }

    /** The reduced plane, {@code outWidth x outHeight} samples. */
    byte[] result() {
        byte[] out = new byte[outWidth * outHeight];
        int[] acc = accumulator;
        int round = 1 << (WEIGHT_BITS + 8 - 1);
        for (int i = 0; i < out.length; i++) {
            int v = (acc[i] + round) >> (WEIGHT_BITS + 8);
            out[i] = (byte) (v > 255 ? 255 : Math.max(v, 0));
        }
        return out;
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
