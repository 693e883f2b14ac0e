package io.mediasuite.thumbnails.pipeline.resample;

/**
 * Resamples one image plane (one colour component, or several interleaved channels of one plane), fed row by
 * row, to the output size: the "reduce" of libvips' thumbnail, in two stages as libvips does it.
 *
 * <ol>
 *   <li><b>box pre-shrink</b> by whole factors: when the plane is more than {@link #KERNEL_GAP} times a side of
 *       the output, blocks of {@code kx x ky} samples are averaged first, leaving a reduction between 2 and 4 to
 *       the kernel. A box average is the cheapest filter that never skips a sample, and with the kernel after
 *       it the result is as crisp as the kernel alone on the full plane, at a fraction of the work (libvips'
 *       {@code gap} of 2, which sharp uses);</li>
 *   <li><b>Lanczos3</b> ({@link KernelResampler}) for the rest of the way, enlarging a little where a plane is
 *       smaller than the output (JPEG chroma).</li>
 * </ol>
 *
 * <p>A DCT-scaled JPEG plane usually needs less than a factor of 2 after the decoder's own 1/2, 1/4 or 1/8, so
 * the box stage only runs for PNG, ImageIO sources and very large JPEG reductions.
 *
 * <p>Geometry: a plane sample {@code i} covers source pixels {@code [i * sampleWidth, (i + 1) * sampleWidth)};
 * the region {@code (regionX, regionY, regionWidth, regionHeight)}, in source pixels, is what the output
 * {@code outWidth x outHeight} shows. This is how one call site handles DCT-scaled JPEG planes, subsampled chroma,
 * crops for the cover mode and plain PNG rows alike.
 */
public final class PlaneReducer {

    /** Reduction left to the kernel after the box pre-shrink: at least this, under twice this. */
    static final double KERNEL_GAP = 2.0;

    private final int planeWidth;
    private final int planeHeight;
    private final int channels;
    /** Box pre-shrink factors (1 = none). */
    private final int boxX;
    private final int boxY;
    private final KernelResampler kernel;

    /** First and one-past-last plane column the box stage reads (whole blocks of the kernel's columns). */
    private final int boxFirstColumn;
    private final int boxEndColumn;
    /** Sums of the current block row, {@code (boxEndColumn - boxFirstColumn) * channels} wide. */
    private final int[] blockSums;
    /** Rows summed into {@link #blockSums} so far. */
    private int blockRows;
    /** The current block row's averages, one kernel-plane row (only the kernel's columns are filled). */
    private final byte[] shrunkRow;
    /** The current row as ints, before it is added to the sums. */
    private final int[] widened;

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
     * @param channels     interleaved channels per sample, resampled independently
     * @param sampleWidth  source pixels one sample covers horizontally
     * @param sampleHeight source pixels one sample covers vertically
     */
    public PlaneReducer(int planeWidth, int planeHeight, int channels, double sampleWidth, double sampleHeight,
                        double regionX, double regionY, double regionWidth, double regionHeight,
                        int outWidth, int outHeight) {
        this(planeWidth, planeHeight, channels, sampleWidth, sampleHeight, regionX, regionY, regionWidth,
                regionHeight, outWidth, outHeight, false, false);
    }

    /**
     * As above, for a JPEG chroma plane subsampled by 2 along an axis ({@code fancyX}, {@code fancyY}): it is
     * resampled as libjpeg's "fancy" upsampling followed by the kernel would resample it (each doubled sample
     * 3/4 of the nearer chroma sample, 1/4 of the farther), which is how libjpeg, browsers and sharp show JPEG
     * chroma, folded into the kernel's weights so that no upsampled plane exists.
     */
    public PlaneReducer(int planeWidth, int planeHeight, int channels, double sampleWidth, double sampleHeight,
                        double regionX, double regionY, double regionWidth, double regionHeight,
                        int outWidth, int outHeight, boolean fancyX, boolean fancyY) {
        if (planeWidth <= 0 || planeHeight <= 0 || outWidth <= 0 || outHeight <= 0 || channels <= 0) {
            throw new IllegalArgumentException("empty plane or output");
        }
        this.planeWidth = planeWidth;
        this.planeHeight = planeHeight;
        this.channels = channels;
        this.boxX = boxFactor(regionWidth / sampleWidth / outWidth, planeWidth);
        this.boxY = boxFactor(regionHeight / sampleHeight / outHeight, planeHeight);
        int shrunkWidth = ceilDiv(planeWidth, boxX);
        int shrunkHeight = ceilDiv(planeHeight, boxY);
        this.kernel = new KernelResampler(shrunkWidth, shrunkHeight, channels, sampleWidth * boxX,
                sampleHeight * boxY, regionX, regionY, regionWidth, regionHeight, outWidth, outHeight,
                fancyX && boxX == 1, fancyY && boxY == 1);
        if (boxX == 1 && boxY == 1) {
            this.boxFirstColumn = kernel.firstColumn();
            this.boxEndColumn = kernel.endColumn();
            this.blockSums = null;
            this.shrunkRow = null;
            this.widened = null;
        } else {
            this.boxFirstColumn = kernel.firstColumn() * boxX;
            this.boxEndColumn = Math.min(planeWidth, kernel.endColumn() * boxX);
            this.blockSums = new int[(boxEndColumn - boxFirstColumn) * channels];
            this.shrunkRow = new byte[kernel.endColumn() * channels];
            this.widened = new int[blockSums.length];
        }
    }

    /** The whole factor to box-shrink by before the kernel: none unless the reduction is at least twice the gap. */
    static int boxFactor(double reduction, int planeSize) {
        int factor = (int) Math.floor(reduction / KERNEL_GAP);
        return Math.max(1, Math.min(factor, planeSize));
    }

    /** First plane row that contributes to the output (rows before it may be skipped by the decoder). */
    public int firstRow() {
        return kernel.firstRow() * boxY;
    }

    /** One past the last plane row that contributes to the output. */
    public int endRow() {
        return Math.min(planeHeight, kernel.endRow() * boxY);
    }

    /** First plane column that contributes. */
    public int firstColumn() {
        return boxFirstColumn;
    }

    /** One past the last plane column that contributes. */
    public int endColumn() {
        return boxEndColumn;
    }

    /** Whether plane row {@code y} contributes to the output. */
    public boolean wants(int y) {
        return y >= 0 && y < planeHeight && kernel.wants(y / boxY);
    }

    /**
     * Adds plane row {@code y}: channel {@code c} of sample {@code x} is {@code data[offset + x * step + c]}
     * ({@code step} is at least the channel count; more reads some channels of wider interleaved pixels).
     * Rows come in increasing order; rows that do not contribute are ignored.
     */
    public void row(int y, byte[] data, int offset, int step) {
        if (blockSums == null) {
            kernel.row(y, data, offset, step);
            return;
        }
        if (!wants(y)) {
            return;
        }
        int ch = channels;
        int[] sums = blockSums;
        int from = offset + boxFirstColumn * step;
        if (step == ch) {
            // Widen, then add: C2 vectorises the add, not a loop mixing byte and int lanes (3x on a 6 MP PNG), nor
            // the widening (see the module README); with the Vector API both go a vector at a time.
            SampleWidening.accumulate(data, from, sums, sums.length, widened);
        } else {
            for (int x = 0, a = 0, p = from; a < sums.length; x++, p += step) {
                for (int c = 0; c < ch; c++, a++) {
                    sums[a] += data[p + c] & 0xFF;
                }
            }
        }
        blockRows++;
        if (y % boxY == boxY - 1 || y == planeHeight - 1) {
            emitBlockRow(y / boxY);
        }
    }

    /**
     * Adds row {@code y} of a one-channel plane given as ints (0-255): {@code samples[i]} is column
     * {@link #firstColumn()} + i, {@link #endColumn()} - {@link #firstColumn()} of them.
     */
    public void row(int y, int[] samples) {
        if (blockSums == null) {
            kernel.row(y, samples);
            return;
        }
        if (!wants(y)) {
            return;
        }
        if (channels != 1) {
            throw new IllegalStateException("int rows are for one-channel planes");
        }
        int[] sums = blockSums;
        for (int i = 0; i < sums.length; i++) {
            sums[i] += samples[i];
        }
        blockRows++;
        if (y % boxY == boxY - 1 || y == planeHeight - 1) {
            emitBlockRow(y / boxY);
        }
    }

    /**
     * Averages the summed rows across each block's columns and hands the row to the kernel. Whole blocks divide
     * by a multiply with a 32-bit reciprocal: exact for these sums (at most 255 per sample) while the divisor is
     * under 4096, and a long division per sample was a third of the box stage.
     */
    private void emitBlockRow(int shrunkY) {
        int ch = channels;
        int[] sums = blockSums;
        int width = boxEndColumn - boxFirstColumn;
        int firstBlock = boxFirstColumn / boxX;
        int whole = width / boxX;
        long divisor = (long) boxX * blockRows;
        if (divisor < 4096) {
            // Whole blocks: int sums (at most 255 x 4095) and the reciprocal.
            int half = (int) (divisor / 2);
            long reciprocal = ((1L << 32) + divisor - 1) / divisor;
            int span = boxX * ch;
            if (ch == 3 || ch == 4) {
                // RGB and RGBA: a block's channels summed in one pass over its pixels (a pass per channel, each a
                // few iterations long, was mostly loop overhead: 11 % of a filtered photo PNG's render). The tests
                // of `four` go the same way for the whole loop: predicted, or unswitched out of it by C2.
                boolean four = ch == 4;
                for (int b = 0, x = 0; b < whole; b++, x += span) {
                    int s0 = half;
                    int s1 = half;
                    int s2 = half;
                    int s3 = half;
                    for (int i = x, end = x + span; i < end; i += ch) {
                        s0 += sums[i];
                        s1 += sums[i + 1];
                        s2 += sums[i + 2];
                        if (four) {
                            s3 += sums[i + 3];
                        }
                    }
                    int out = (firstBlock + b) * ch;
                    shrunkRow[out] = (byte) (s0 * reciprocal >>> 32);
                    shrunkRow[out + 1] = (byte) (s1 * reciprocal >>> 32);
                    shrunkRow[out + 2] = (byte) (s2 * reciprocal >>> 32);
                    if (four) {
                        shrunkRow[out + 3] = (byte) (s3 * reciprocal >>> 32);
                    }
                }
            } else {
                for (int b = 0, x = 0; b < whole; b++, x += span) {
                    int out = (firstBlock + b) * ch;
                    for (int c = 0; c < ch; c++) {
                        int sum = half;
                        for (int i = x + c, end = x + span; i < end; i += ch) {
                            sum += sums[i];
                        }
                        shrunkRow[out + c] = (byte) (sum * reciprocal >>> 32);
                    }
                }
            }
        } else {
            whole = 0;
        }
        for (int b = firstBlock + whole, x = whole * boxX; x < width; b++, x += boxX) {
            int cols = Math.min(boxX, width - x);
            long blockDivisor = (long) cols * blockRows;
            for (int c = 0; c < ch; c++) {
                long sum = 0;
                for (int i = (x * ch) + c, k = 0; k < cols; k++, i += ch) {
                    sum += sums[i];
                }
                shrunkRow[b * ch + c] = (byte) ((sum + blockDivisor / 2) / blockDivisor);
            }
        }
        java.util.Arrays.fill(sums, 0);
        blockRows = 0;
        kernel.row(shrunkY, shrunkRow, 0, ch);
    }

    /** The resampled plane (channel 0), {@code outWidth x outHeight} samples. */
    public byte[] result() {
        return kernel.result(0);
    }

    /** Channel {@code c} of the resampled plane, {@code outWidth x outHeight} samples. */
    public byte[] result(int c) {
        return kernel.result(c);
    }

    int outWidth() {
        return kernel.outWidth();
    }

    int outHeight() {
        return kernel.outHeight();
    }

    /** Box pre-shrink factors, for the budget and tests. */
    int boxX() {
        return boxX;
    }

    int boxY() {
        return boxY;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
