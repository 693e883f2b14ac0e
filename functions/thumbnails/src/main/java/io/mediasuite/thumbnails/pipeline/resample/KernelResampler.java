package io.mediasuite.thumbnails.pipeline.resample;

/**
 * The kernel stage of {@link PlaneReducer}: a separable Lanczos3 resampler for one plane (one colour component,
 * or several interleaved channels), fed row by row.
 *
 * <p>Each output sample is a weighted sum of the plane samples within three kernel widths of its centre; the
 * kernel is stretched by the reduction factor when reducing (so no sample is skipped: no aliasing), and used at
 * its own width when enlarging (JPEG chroma at 4:2:0 for a thumbnail close to the plane's size). Centres are
 * aligned as libvips and libjpeg align them: output sample {@code i} sits at {@code (i + 0.5) * scale - 0.5}
 * in plane samples. Taps past the plane's edge take the edge sample. Lanczos3 keeps the detail a box filter
 * averages away, at the price of a little ringing, which clamping to 0-255 bounds; it is what sharp and libvips
 * use for thumbnails.
 *
 * <p>Vertical first, then horizontal: each incoming row is added, weighted, into the accumulator of every output
 * row it feeds (a handful are open at a time), a contiguous multiply-add over the row that the JIT vectorises
 * whatever the channel count; an output row is resampled horizontally once, when its last plane row has arrived.
 * Horizontal-first would do the gather-like horizontal pass for every plane row. No full-size image is ever
 * held: the state is a few plane-width int rows and the output bytes. Arithmetic is fixed-point: vertical
 * weights sum to 2^14 per output row and horizontal weights to 2^14 per output sample.
 *
 * <p>Geometry: a plane sample {@code i} covers source pixels {@code [i * sampleWidth, (i + 1) * sampleWidth)};
 * the region {@code (regionX, regionY, regionWidth, regionHeight)}, in source pixels, is what the output
 * {@code outWidth x outHeight} shows.
 */
final class KernelResampler {

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
    private final int[] columnWeights;
    /** Taps of every output column (the column spans are padded to one length: a fixed-trip inner loop). */
    private final int taps;
    /**
     * The plane columns each tile of {@link #TILE} outputs reads: from {@code tileFrom[n]} (relative to {@link
     * #firstColumn}), {@code tileCount[n]} of them, at most {@code widestTile}. A minimum and maximum over the
     * tile, not its ends: where a kernel's zero taps were trimmed (enlarging), a column span may start after the
     * next one's.
     */
    private final int[] tileFrom;
    private final int[] tileCount;
    private final int widestTile;

    /**
     * Every output sample is one plane sample with weight 1: a crop at scale 1 on the sample grid (a cover crop
     * of an image no larger than the box, a JPEG chroma plane already at the output's 4:2:0 size). Rows are
     * then copied as they come, with no accumulator, band or transposition.
     */
    private final boolean copies;

    /** For each plane row, from {@code rowWeightOffset}: the output rows it feeds and their weights. */
    private final int[] rowOutputs;
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
    /** The horizontal pass a row at a time (one channel, Vector API), or null for the banded pass below. */
    private final HorizontalPass rowPass;

    /**
     * @param planeWidth   samples per plane row
     * @param planeHeight  plane rows
     * @param channels     interleaved channels per sample, reduced independently
     * @param sampleWidth  source pixels one sample covers horizontally
     * @param sampleHeight source pixels one sample covers vertically
     * @param fancyX       resample as if the plane were first doubled in width by libjpeg's fancy upsampling
     * @param fancyY       the same in height
     */
    KernelResampler(int planeWidth, int planeHeight, int channels, double sampleWidth, double sampleHeight,
                    double regionX, double regionY, double regionWidth, double regionHeight,
                    int outWidth, int outHeight, boolean fancyX, boolean fancyY) {
        this(planeWidth, planeHeight, channels, sampleWidth, sampleHeight, regionX, regionY, regionWidth,
                regionHeight, outWidth, outHeight, fancyX, fancyY, true);
    }

    /** As above; {@code vector} false keeps the banded scalar horizontal pass even where the Vector API is there. */
    KernelResampler(int planeWidth, int planeHeight, int channels, double sampleWidth, double sampleHeight,
                    double regionX, double regionY, double regionWidth, double regionHeight,
                    int outWidth, int outHeight, boolean fancyX, boolean fancyY, boolean vector) {
        if (planeWidth <= 0 || planeHeight <= 0 || outWidth <= 0 || outHeight <= 0 || channels <= 0) {
            throw new IllegalArgumentException("empty plane or output");
        }
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.planeHeight = planeHeight;
        this.channels = channels;

        Spans cols = padded(spans(planeWidth, regionX / sampleWidth, regionWidth / sampleWidth, outWidth, fancyX),
                planeWidth);
        this.taps = cols.count[0];
        this.columnStart = cols.start;
        this.columnWeights = cols.weights;
        int from = Integer.MAX_VALUE;
        int to = 0;
        for (int i = 0; i < outWidth; i++) {
            from = Math.min(from, cols.start[i]);
            to = Math.max(to, cols.start[i] + cols.count[i]);
        }
        this.firstColumn = from;
        this.columns = to - from;
        int tiles = (outWidth + TILE - 1) / TILE;
        this.tileFrom = new int[tiles];
        this.tileCount = new int[tiles];
        int widest = 1;
        for (int n = 0; n < tiles; n++) {
            int tileStart = Integer.MAX_VALUE;
            int tileEnd = 0;
            for (int i = n * TILE; i < Math.min(outWidth, (n + 1) * TILE); i++) {
                tileStart = Math.min(tileStart, cols.start[i]);
                tileEnd = Math.max(tileEnd, cols.start[i] + taps);
            }
            tileFrom[n] = tileStart - from;
            tileCount[n] = tileEnd - tileStart;
            widest = Math.max(widest, tileEnd - tileStart);
        }
        this.widestTile = widest;

        // Transpose the row spans: for each plane row, which output rows it feeds and with what weight.
        Spans rows = spans(planeHeight, regionY / sampleHeight, regionHeight / sampleHeight, outHeight, fancyY);
        int[] perRow = new int[planeHeight];
        this.outputLastRow = new int[outHeight];
        for (int j = 0; j < outHeight; j++) {
            for (int k = 0; k < rows.count[j]; k++) {
                perRow[rows.start[j] + k]++;
            }
            outputLastRow[j] = rows.start[j] + rows.count[j] - 1;
        }
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
        this.rowOutputs = new int[total];
        for (int j = 0; j < outHeight; j++) {
            for (int k = 0; k < rows.count[j]; k++) {
                int y = rows.start[j] + k;
                int at = rowWeightOffset[y] + rowOutputCount[y]++;
                rowOutputs[at] = j;
                rowWeights[at] = rows.weights[rows.offset[j] + k];
            }
        }
        // Output rows are finished in order, each when its last plane row has arrived, and output row j
        // accumulates in slot j % slots: enough slots for the widest window between the next row to finish and
        // the last row started, found by replaying the feed. (Neighbouring kernels may end out of order where one
        // has a zero tap trimmed, so the window can be a little wider than the rows one plane row feeds.)
        int slots = 1;
        int next = 0;
        int lastStarted = -1;
        for (int y = 0; y < planeHeight; y++) {
            while (next < outHeight && outputLastRow[next] < y) {
                next++;
            }
            for (int k = 0; k < rowOutputCount[y]; k++) {
                lastStarted = Math.max(lastStarted, rowOutputs[rowWeightOffset[y] + k]);
            }
            slots = Math.max(slots, lastStarted - next + 1);
        }
        this.copies = copies(rows, outHeight);
        this.rowPass = copies || channels != 1 ? null : rowPass(vector);
        int padding = rowPass == null ? 0 : rowPass.padding();
        this.open = copies ? new int[0][] : new int[slots][columns * channels + padding];
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

    /** The row-at-a-time pass for this one-channel plane's column spans, or null (see {@link HorizontalPass}). */
    private HorizontalPass rowPass(boolean vector) {
        if (!vector || !VectorApi.AVAILABLE) {
            return null;
        }
        int[] relativeStarts = new int[outWidth];
        for (int i = 0; i < outWidth; i++) {
            relativeStarts[i] = columnStart[i] - firstColumn;
        }
        return HorizontalPass.create(outWidth, taps, relativeStarts, columnWeights, WEIGHT_BITS + NARROW_BITS);
    }

    /** Whether the horizontal pass runs a row at a time ({@link HorizontalPass}) rather than in bands. */
    boolean usesRowPass() {
        return rowPass != null;
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
        if (copies) {
            copy(rowOutputs[rowWeightOffset[y]], data, offset + firstColumn * step, step);
            return;
        }
        finishRowsBefore(y);
        int from = offset + firstColumn * step;
        int ch = channels;
        int samples = columns * ch;
        // Widen to ints first, then multiply-add: C2 vectorises the multiply-add, not a loop mixing byte and int
        // lanes (nor byte-to-int: SampleWidening does that with the Vector API where it can).
        int[] wide = widened;
        if (step == ch) {
            SampleWidening.widen(data, from, wide, 0, samples, 0);
        } else {
            for (int x = 0, a = 0, p = from; x < columns; x++, p += step) {
                for (int c = 0; c < ch; c++, a++) {
                    wide[a] = data[p + c] & 0xFF;
                }
            }
        }
        accumulate(y, wide, samples);
    }

    /**
     * Adds row {@code y} of a one-channel plane given as ints (0-255): {@code samples[i]} is column
     * {@link #firstColumn()} + i. For a caller that computes its rows in ints (a colour conversion): it saves
     * narrowing to bytes and widening back (the widening is a scalar loop: C2 does not vectorise byte-to-int).
     */
    public void row(int y, int[] samples) {
        if (channels != 1) {
            throw new IllegalStateException("int rows are for one-channel planes");
        }
        if (y < 0 || y >= planeHeight || rowOutputCount[y] == 0) {
            return;
        }
        if (copies) {
            byte[] plane = out[0];
            int base = rowOutputs[rowWeightOffset[y]] * outWidth;
            for (int i = 0; i < outWidth; i++) {
                plane[base + i] = (byte) samples[i];
            }
            return;
        }
        finishRowsBefore(y);
        accumulate(y, samples, columns);
    }

    /**
     * The vertical pass for plane row {@code y}: its first {@code count} samples, times each weight, into every
     * open output row it feeds (one index on both sides: vectorised); then finishes the rows it completes.
     */
    private void accumulate(int y, int[] samples, int count) {
        int weights = rowWeightOffset[y];
        for (int k = 0; k < rowOutputCount[y]; k++) {
            int wy = rowWeights[weights + k];
            int[] acc = open[rowOutputs[weights + k] % open.length];
            for (int i = 0; i < count; i++) {
                acc[i] += samples[i] * wy;
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

    /** Fraction bits an accumulated row keeps for the horizontal pass (so that pass fits in int arithmetic). */
    private static final int NARROW_BITS = 7;
    /** Output rows resampled horizontally together (at most). */
    static final int BAND = 64;

    /**
     * Vertically finished output rows of the current band, narrowed (the accumulator arrays themselves, traded
     * for zeroed ones), and the band's columns transposed for the horizontal pass, one tile of columns at a time:
     * {@code columnsOf[x][r]} is the tile's column {@code x} of band row {@code r} for the channel being
     * resampled. The pass multiplies one weight into a column's rows at a time, {@code sums[r] += column[r] * w}:
     * one index on both sides, which the JIT vectorises (with a different index on each side it must assume the
     * arrays may overlap, and does not). A row-at-a-time pass would be a scalar dot product per output sample; it
     * was a third of a JPEG thumbnail's time.
     */
    private int[][] bandRows;
    private int[][] columnsOf;

    private void finish(int j) {
        int slot = j % open.length;
        int[] acc = open[slot];
        // Narrow the accumulated row from 14 to 7 fraction bits: |sample| <= 255 * 1.3 * 2^7 and the horizontal
        // weights' magnitudes sum to under 1.3 * 2^14, so every horizontal sum fits an int (< 2^30). 7 bits are
        // far below an 8-bit output step.
        int shift = WEIGHT_BITS - NARROW_BITS;
        int half = 1 << (shift - 1);
        int used = columns * channels;
        for (int i = 0; i < used; i++) {
            acc[i] = (acc[i] + half) >> shift;
        }
        if (rowPass != null) {
            rowPass.row(acc, out[0], j * outWidth);
            java.util.Arrays.fill(acc, 0, used, 0);
            return;
        }
        if (bandRows == null) {
            int rows = Math.min(BAND, outHeight);
            bandRows = new int[rows][columns * channels];
            columnsOf = new int[widestTile][rows];
        }
        int r = j % bandRows.length;
        int[] spare = bandRows[r];
        java.util.Arrays.fill(spare, 0);
        bandRows[r] = acc;
        open[slot] = spare;
        if (r == bandRows.length - 1 || j == outHeight - 1) {
            resampleBand(j - r, r + 1);
        }
    }

    /**
     * Output columns resampled per tile of the horizontal pass: each tile transposes only the plane columns its
     * outputs read (about {@code TILE * scale + taps}), so the transposed columns stay in the L1 cache while the
     * multiply-adds read them several times each (a whole band's columns, 1 MB for a 12 MP photo, did not fit
     * any core-private cache). Neighbouring tiles transpose their overlap (the taps) twice.
     */
    static final int TILE = 32;

    /** The horizontal pass over the band's first {@code rows} rows, output rows {@code firstRow} on. */
    private void resampleBand(int firstRow, int rows) {
        int outShift = WEIGHT_BITS + NARROW_BITS;
        int round = 1 << (outShift - 1);
        int[] starts = columnStart;
        int[] weights = columnWeights;
        int t = taps;
        int ch = channels;
        int[][] cols = columnsOf;
        int[][] band = bandRows;
        int[] sums = new int[band.length];
        for (int c = 0; c < ch; c++) {
            byte[] plane = out[c];
            for (int i0 = 0; i0 < outWidth; i0 += TILE) {
                int i1 = Math.min(outWidth, i0 + TILE);
                // Plane columns [from, from + count) of this tile's outputs, as columns 0.. of cols.
                int from = tileFrom[i0 / TILE];
                transpose(band, rows, c, ch, from, tileCount[i0 / TILE], cols);
                for (int i = i0, w = i0 * t; i < i1; i++, w += t) {
                    java.util.Arrays.fill(sums, round);
                    int first = starts[i] - firstColumn - from;
                    int k = 0;
                    // Four taps per pass over the sums: a quarter of the loads and stores of the sums themselves.
                    for (; k + 3 < t; k += 4) {
                        int w0 = weights[w + k];
                        int w1 = weights[w + k + 1];
                        int w2 = weights[w + k + 2];
                        int w3 = weights[w + k + 3];
                        int[] c0 = cols[first + k];
                        int[] c1 = cols[first + k + 1];
                        int[] c2 = cols[first + k + 2];
                        int[] c3 = cols[first + k + 3];
                        for (int q = 0; q < sums.length; q++) {
                            sums[q] += c0[q] * w0 + c1[q] * w1 + c2[q] * w2 + c3[q] * w3;
                        }
                    }
                    for (; k < t; k++) {
                        int wk = weights[w + k];
                        int[] column = cols[first + k];
                        for (int q = 0; q < sums.length; q++) {
                            sums[q] += column[q] * wk;
                        }
                    }
                    for (int q = 0, o = firstRow * outWidth + i; q < rows; q++, o += outWidth) {
                        plane[o] = clamp(sums[q] >> outShift);
                    }
                }
            }
        }
    }

    /**
     * Channel {@code c} of plane columns {@code [from, from + count)} of the band's first {@code rows} rows into
     * the columns: {@code cols[x][q] = band[q][(from + x) * ch + c]}. Eight rows at a time: each column array is
     * fetched once per eight stores, and the eight row arrays are read in step (scalar either way; a
     * transposition does not vectorise without shuffles).
     */
    private static void transpose(int[][] band, int rows, int c, int ch, int from, int count, int[][] cols) {
        int q = 0;
        int a0 = from * ch + c;
        for (; q + 7 < rows; q += 8) {
            int[] r0 = band[q];
            int[] r1 = band[q + 1];
            int[] r2 = band[q + 2];
            int[] r3 = band[q + 3];
            int[] r4 = band[q + 4];
            int[] r5 = band[q + 5];
            int[] r6 = band[q + 6];
            int[] r7 = band[q + 7];
            for (int x = 0, a = a0; x < count; x++, a += ch) {
                int[] column = cols[x];
                column[q] = r0[a];
                column[q + 1] = r1[a];
                column[q + 2] = r2[a];
                column[q + 3] = r3[a];
                column[q + 4] = r4[a];
                column[q + 5] = r5[a];
                column[q + 6] = r6[a];
                column[q + 7] = r7[a];
            }
        }
        for (; q < rows; q++) {
            int[] row = band[q];
            for (int x = 0, a = a0; x < count; x++, a += ch) {
                cols[x][q] = row[a];
            }
        }
    }

    private static byte clamp(int v) {
        return (byte) (v > 255 ? 255 : v < 0 ? 0 : v);
    }

    /** The reduced plane (channel 0), {@code outWidth x outHeight} samples. */
    public byte[] result() {
        return result(0);
    }

    /** Channel {@code c} of the reduced plane, {@code outWidth x outHeight} samples. */
    public byte[] result(int c) {
        if (copies) {
            return out[c];
        }
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

    /** Whether the column spans and {@code rows} make every output sample a copy of one plane sample. */
    private boolean copies(Spans rows, int outRows) {
        if (taps != 1) {
            return false;
        }
        for (int i = 0; i < outWidth; i++) {
            if (columnWeights[i] != ONE || columnStart[i] != firstColumn + i) {
                return false;
            }
        }
        for (int j = 0; j < outRows; j++) {
            // one plane row per output row, each a different one (a one-row plane feeding two output rows is
            // not a copy: row() hands a plane row to one output row)
            if (rows.count[j] != 1 || rows.weights[rows.offset[j]] != ONE || rows.start[j] != rows.start[0] + j) {
                return false;
            }
        }
        return true;
    }

    /** Output row {@code j} from a plane row whose first contributing sample is at {@code from}. */
    private void copy(int j, byte[] data, int from, int step) {
        int base = j * outWidth;
        if (channels == 1 && step == 1) {
            System.arraycopy(data, from, out[0], base, outWidth);
            return;
        }
        for (int c = 0; c < channels; c++) {
            byte[] plane = out[c];
            for (int i = 0, p = from + c; i < outWidth; i++, p += step) {
                plane[base + i] = data[p];
            }
        }
    }

    /** Lobes of the Lanczos kernel: the window is {@code [-LOBES, LOBES]} kernel widths. */
    private static final int LOBES = 3;

    /**
     * For each of {@code outCount} output samples, the plane samples of {@code [0, size)} under its kernel and
     * their fixed-point weights (summing to exactly {@link #ONE}); {@code origin} and {@code extent} are the
     * region in plane samples.
     */
    private static Spans spans(int size, double origin, double extent, int outCount, boolean fancy) {
        // Fancy: the kernel runs over the plane upsampled by 2 the way libjpeg does it ("fancy upsampling": each
        // new sample 3/4 of the nearer plane sample and 1/4 of the farther), folded back onto the plane samples.
        int grid = fancy ? 2 * size : size;
        double scale = (fancy ? 2 * extent : extent) / outCount;
        double gridOrigin = fancy ? 2 * origin : origin;
        double width = Math.max(1.0, scale);
        int[] start = new int[outCount];
        int[] count = new int[outCount];
        int[] offset = new int[outCount];
        int[][] taps = new int[outCount][];
        int total = 0;
        int most = (int) Math.ceil(2 * LOBES * width) + 4;
        double[] v = new double[most];
        double[] w = new double[most];
        for (int i = 0; i < outCount; i++) {
            double centre = gridOrigin + (i + 0.5) * scale - 0.5;
            int lo = (int) Math.ceil(centre - LOBES * width);
            int hi = (int) Math.floor(centre + LOBES * width);
            // Taps outside the plane take the edge sample: their weight lands on sample 0 or size - 1.
            int vFirst = Math.max(0, Math.min(grid - 1, lo));
            int vLast = Math.max(0, Math.min(grid - 1, hi));
            java.util.Arrays.fill(v, 0, vLast - vFirst + 1, 0);
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
                double k = lanczos((j - centre) / width);
                v[Math.max(0, Math.min(grid - 1, j)) - vFirst] += k;
                sum += k;
            }
            int first;
            int last;
            if (fancy) {
                first = Math.max(0, (vFirst >> 1) - 1);
                last = Math.min(size - 1, (vLast >> 1) + 1);
                java.util.Arrays.fill(w, 0, last - first + 1, 0);
                for (int p = vFirst; p <= vLast; p++) {
                    int m = p >> 1;
                    int other = (p & 1) == 0 ? Math.max(0, m - 1) : Math.min(size - 1, m + 1);
                    w[m - first] += 0.75 * v[p - vFirst];
                    w[other - first] += 0.25 * v[p - vFirst];
                }
            } else {
                first = vFirst;
                last = vLast;
                System.arraycopy(v, 0, w, 0, last - first + 1);
            }
            // Zero taps at the ends (a scale of exactly 1 on the sample grid is one tap) cost work for nothing.
            int a = 0;
            int b = last - first;
            while (a < b && Math.abs(w[a] / sum) * ONE < 0.5) {
                a++;
            }
            while (b > a && Math.abs(w[b] / sum) * ONE < 0.5) {
                b--;
            }
            int[] fixed = new int[b - a + 1];
            int fixedSum = 0;
            int largest = 0;
            for (int k = 0; k < fixed.length; k++) {
                fixed[k] = (int) Math.round(w[a + k] / sum * ONE);
                fixedSum += fixed[k];
                if (fixed[k] > fixed[largest]) {
                    largest = k;
                }
            }
            fixed[largest] += ONE - fixedSum; // exact normalization: a flat plane stays flat
            start[i] = first + a;
            count[i] = fixed.length;
            offset[i] = total;
            taps[i] = fixed;
            total += fixed.length;
        }
        int[] weights = new int[total];
        for (int i = 0; i < outCount; i++) {
            System.arraycopy(taps[i], 0, weights, offset[i], count[i]);
        }
        return new Spans(start, count, offset, weights);
    }

    /**
     * The same spans with every output's taps widened (zero weights) to the longest one's count, or the plane's
     * size if smaller, so the horizontal pass has one trip count the JIT unrolls.
     */
    private static Spans padded(Spans spans, int size) {
        int n = spans.start.length;
        int t = 1;
        for (int c : spans.count) {
            t = Math.max(t, c);
        }
        t = Math.min(t, size);
        int[] start = new int[n];
        int[] count = new int[n];
        int[] offset = new int[n];
        int[] weights = new int[n * t];
        for (int i = 0; i < n; i++) {
            int s = Math.min(spans.start[i], size - t);
            start[i] = s;
            count[i] = t;
            offset[i] = i * t;
            System.arraycopy(spans.weights, spans.offset[i], weights, i * t + spans.start[i] - s, spans.count[i]);
        }
        return new Spans(start, count, offset, weights);
    }

    /** Kernel samples per unit of x: weights are computed per render, and two sines per tap add up. */
    private static final int TABLE_STEPS = 4096;
    private static final double[] TABLE = new double[LOBES * TABLE_STEPS + 2];

    static {
        for (int i = 0; i < TABLE.length; i++) {
            TABLE[i] = lanczosExact((double) i / TABLE_STEPS);
        }
    }

    /** The kernel by table, linearly interpolated (error under 1e-7, far below a fixed-point weight step). */
    static double lanczos(double x) {
        double t = Math.abs(x) * TABLE_STEPS;
        if (t >= LOBES * TABLE_STEPS) {
            return 0;
        }
        int i = (int) t;
        double f = t - i;
        return TABLE[i] + (TABLE[i + 1] - TABLE[i]) * f;
    }

    /** {@code sinc(x) sinc(x / LOBES)} on {@code |x| < LOBES}, else 0. */
    static double lanczosExact(double x) {
        if (x == 0) {
            return 1;
        }
        if (x <= -LOBES || x >= LOBES) {
            return 0;
        }
        double px = Math.PI * x;
        return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
    }
}
