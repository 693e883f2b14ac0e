package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.resample.SampleWidening;
import io.mediasuite.thumbnails.pipeline.resample.VectorApi;

/**
 * The upsampling and colour-conversion stage of {@link JpegDecoder} for full-scale YCbCr decodes: chroma brought
 * to luma resolution by libjpeg's "fancy" upsampling, each pixel converted to RGB and clamped, as libjpeg does,
 * and the RGB rows handed to one three-channel {@link PlaneReducer}.
 *
 * <p>Why, when the rest of the decoder resamples Y, Cb and Cr at their own resolutions and converts output pixels
 * only: that order is exact only for pixels inside the RGB cube. Where subsampled chroma bleeds across an edge
 * into a dark or bright area, or in saturated light, libjpeg's clamp moves a pixel by tens of levels, and
 * resampling the unclamped values keeps the error; rounding Y, Cb and Cr to bytes before converting adds a
 * second rounding, amplified up to 1.8x in blue. At full scale the reducer is left a factor under 3 (a larger
 * one decodes at a DCT scale), so the output shows that detail: converting the decoded pixels first scored 2-4
 * dB closer to a Lanczos3 reduction of libjpeg's full decode than the YCbCr order did (see the thumbnails
 * README, "Sharpness"), for a conversion per decoded pixel.
 *
 * <p>The decoder hands over whole MCU rows (each plane's strip); a row is upsampled when the next one has
 * arrived, since its last luma rows need the first chroma row below. Edges repeat the last real chroma sample
 * and row, as libjpeg's do.
 */
final class JpegColourUpsampler implements JpegColourStage {

    /** The across step's pairs by {@link VectorFancyAcross} (the same ints), where the Vector API is there. */
    private static final boolean VECTOR_ACROSS = VectorApi.AVAILABLE && VectorFancyAcross.USABLE;

    /** The R, G and B reducers (the luma plane's geometry). */
    private final PlaneReducer[] rgb;
    private final int sx;
    private final int sy;
    private final int lumaRows;
    private final int chromaRows;
    private final int lumaWidth;
    private final int chromaStride;
    private final int imageHeight;
    private final int chromaWidth;
    private final int chromaHeight;
    /** The luma columns the reducers take: {@code [base, base + width)}; every scratch row starts at base. */
    private final int base;
    private final int width;
    private final int chromaFrom;
    private final int chromaTo;

    /** The MCU row waiting for its successor: copies of the three strips. */
    private final byte[] pendingY;
    private final byte[] pendingCb;
    private final byte[] pendingCr;
    private int pendingRow = -1;
    /** The chroma rows just above the pending MCU row, when that MCU row was decoded. */
    private final byte[] aboveCb;
    private final byte[] aboveCr;
    private boolean haveAbove;

    // Scratch rows, column base + i at i: each chroma row upsampled across (not yet rounded; three rows per
    // component roll: above, this one, below), the rounding bias by column parity, the chroma at luma
    // resolution, and the R, G, B rows.
    private final int[][] acrossCb = new int[3][];
    private final int[][] acrossCr = new int[3][];
    private final int[] bias;
    /** libjpeg replicates chroma at most 2 samples wide instead of its fancy upsampling. */
    private final boolean replicate;
    private final int[] upCb;
    private final int[] upCr;
    /** One chroma row as ints, from one sample left of the first needed to one right of the last. */
    private final int[] padded;
    private final int[][] rows = new int[3][];
    /** The luma row widened to ints, column {@code base + i} at {@code i}. */
    private final int[] luma;

    /**
     * @param rgb          the reducers of the R, G and B rows (the luma plane's geometry)
     * @param sx           luma samples per chroma sample across (1 or 2)
     * @param sy           luma rows per chroma row (1 or 2)
     * @param lumaWidth    luma strip width; the chroma strips are {@code lumaWidth / sx} wide
     * @param lumaRows     luma rows per MCU row; chroma strips have {@code lumaRows / sy}
     * @param imageWidth   the image's width (the strips are padded to whole MCUs)
     * @param imageHeight  the image's height
     * @param chromaFrom   first chroma column the decoder fills; {@code chromaTo} one past the last
     */
    JpegColourUpsampler(PlaneReducer[] rgb, int sx, int sy, int lumaWidth, int lumaRows, int imageWidth,
                        int imageHeight, int chromaFrom, int chromaTo) {
        this.rgb = rgb;
        this.sx = sx;
        this.sy = sy;
        this.lumaWidth = lumaWidth;
        this.lumaRows = lumaRows;
        this.chromaRows = lumaRows / sy;
        this.chromaStride = lumaWidth / sx;
        this.imageHeight = imageHeight;
        this.chromaWidth = (imageWidth + sx - 1) / sx;
        this.chromaHeight = (imageHeight + sy - 1) / sy;
        this.base = rgb[0].firstColumn();
        this.width = rgb[0].endColumn() - base;
        this.chromaFrom = Math.max(0, chromaFrom);
        this.chromaTo = Math.min(chromaWidth, chromaTo);
        pendingY = new byte[lumaWidth * lumaRows];
        pendingCb = new byte[chromaStride * chromaRows];
        pendingCr = new byte[chromaStride * chromaRows];
        aboveCb = new byte[chromaStride];
        aboveCr = new byte[chromaStride];
        for (int k = 0; k < 3; k++) {
            acrossCb[k] = new int[width];
            acrossCr[k] = new int[width];
        }
        replicate = sx == 2 && chromaWidth <= 2;
        bias = new int[width];
        for (int i = 0; i < width; i++) {
            boolean evenColumn = ((base + i) & 1) == 0;
            // In sixteenths after both passes (8 and 7), in quarters after one across (1 and 2).
            bias[i] = sy == 2 ? (evenColumn ? 8 : 7) : (evenColumn ? 1 : 2);
        }
        upCb = new int[width];
        upCr = new int[width];
        padded = new int[(width >> 1) + 4];
        for (int c = 0; c < 3; c++) {
            rows[c] = new int[width];
        }
        luma = new int[width];
    }

    /**
     * Whether the stage handles this file: YCbCr with luma at full resolution and both chroma components
     * subsampled alike, by 1 or 2 each way.
     */
    static boolean applies(JpegHeader header) {
        if (header.components.length != 3 || header.colourKind() != ColourKind.YCBCR) {
            return false;
        }
        JpegHeader.Component y = header.components[0];
        JpegHeader.Component cb = header.components[1];
        JpegHeader.Component cr = header.components[2];
        if (y.h() != header.hMax || y.v() != header.vMax || cb.h() != cr.h() || cb.v() != cr.v()) {
            return false;
        }
        return (header.hMax == cb.h() || header.hMax == 2 * cb.h())
                && (header.vMax == cb.v() || header.vMax == 2 * cb.v());
    }

    /** Whether the reducers want rows of MCU row {@code mcuRow} or of the MCU rows next to it (fancy upsampling
     * reads one chroma row into each). */
    @Override
    public boolean wantsMcuRow(int mcuRow) {
        return rgb[0].firstRow() < (mcuRow + 2) * lumaRows && rgb[0].endRow() > (mcuRow - 1) * lumaRows;
    }

    /** The strips of MCU row {@code mcuRow} (Y, Cb, Cr); passes on the MCU row before it. */
    @Override
    public void mcuRow(int mcuRow, byte[][] strips) {
        byte[] y = strips[0];
        byte[] cb = strips[1];
        byte[] cr = strips[2];
        if (pendingRow >= 0) {
            boolean next = mcuRow == pendingRow + 1;
            flush(next ? cb : null, next ? cr : null);
            haveAbove = next;
        }
        System.arraycopy(y, 0, pendingY, 0, pendingY.length);
        System.arraycopy(cb, 0, pendingCb, 0, pendingCb.length);
        System.arraycopy(cr, 0, pendingCr, 0, pendingCr.length);
        pendingRow = mcuRow;
    }

    /** R, G and B as reduced; the profile, an RGB one, is still to apply. */
    @Override
    public ReducedImage result(int width, int height, byte[] icc) {
        byte[][] planes = {rgb[0].result(), rgb[1].result(), rgb[2].result()};
        return new ReducedImage(width, height, ColourKind.RGB, planes, null, icc);
    }

    /** Passes on the last MCU row. */
    @Override
    public void finish() {
        if (pendingRow >= 0) {
            flush(null, null);
            pendingRow = -1;
        }
    }

    private void flush(byte[] nextCb, byte[] nextCr) {
        int cs = chromaStride;
        boolean upsampled = sx == 2 || sy == 2;
        // Slots of the rows above, at and below chroma row j in the rolling "across" rows; above = current where
        // the edge (or a skipped MCU row) repeats the row.
        int cur = 0;
        int above = 0;
        if (upsampled) {
            across(pendingCb, 0, acrossCb[0]);
            across(pendingCr, 0, acrossCr[0]);
            if (sy == 2 && haveAbove && pendingRow > 0) {
                across(aboveCb, 0, acrossCb[2]);
                across(aboveCr, 0, acrossCr[2]);
                above = 2;
            }
        }
        for (int j = 0; j < chromaRows; j++) {
            int chromaY = pendingRow * chromaRows + j;
            if (chromaY >= chromaHeight) {
                break;
            }
            if (upsampled && sy == 1 && j > 0) {
                across(pendingCb, j * cs, acrossCb[cur]);
                across(pendingCr, j * cs, acrossCr[cur]);
            }
            // The row below: in this strip, the next MCU row's first (when it was decoded), or this one again
            // (then this is the last row of the loop).
            int below = cur;
            if (upsampled && sy == 2 && chromaY + 1 < chromaHeight) {
                byte[] belowCb = j + 1 < chromaRows ? pendingCb : nextCb;
                byte[] belowCr = j + 1 < chromaRows ? pendingCr : nextCr;
                if (belowCb != null) {
                    int offset = j + 1 < chromaRows ? (j + 1) * cs : 0;
                    below = freeSlot(cur, above);
                    across(belowCb, offset, acrossCb[below]);
                    across(belowCr, offset, acrossCr[below]);
                }
            }
            for (int t = 0; t < sy; t++) {
                int ly = j * sy + t;
                int y = pendingRow * lumaRows + ly;
                if (y >= imageHeight) {
                    break;
                }
                if (!rgb[0].wants(y)) {
                    continue;
                }
                widen(pendingY, ly * lumaWidth + base, luma);
                if (upsampled) {
                    // Fancy upsampling's vertical neighbour: above for the upper luma row, below for the lower.
                    int near = t == 0 ? above : below;
                    down(acrossCb[cur], acrossCb[near], t, upCb);
                    down(acrossCr[cur], acrossCr[near], t, upCr);
                } else {
                    widen(pendingCb, j * cs + base, upCb);
                    widen(pendingCr, j * cs + base, upCr);
                }
                convert();
                for (int c = 0; c < 3; c++) {
                    rgb[c].row(y, rows[c]);
                }
            }
            if (sy == 2) {
                above = cur;
                cur = below;
            }
        }
        System.arraycopy(pendingCb, (chromaRows - 1) * cs, aboveCb, 0, cs);
        System.arraycopy(pendingCr, (chromaRows - 1) * cs, aboveCr, 0, cs);
    }

    /** A slot of the three rolling rows that is neither {@code a} nor {@code b}. */
    private static int freeSlot(int a, int b) {
        for (int k = 0; k < 3; k++) {
            if (k != a && k != b) {
                return k;
            }
        }
        throw new IllegalStateException();
    }

    /**
     * The first half of libjpeg's fancy upsampling, one chroma row at luma resolution across (column {@code base
     * + i} at {@code i}): 3x the nearer chroma sample plus the farther one (left for even columns, right for odd;
     * at the edges the sample itself, which is libjpeg's edge rule), not yet rounded. Without horizontal
     * subsampling, the sample itself. Done once per chroma row; {@link #down} then mixes rows per luma row. The
     * two passes in this order give libjpeg's results exactly: its vertical-first sums are the same terms.
     */
    private void across(byte[] row, int offset, int[] out) {
        int first = chromaFrom;
        int last = chromaTo - 1;
        if (sx == 1 || replicate) {
            for (int i = 0, x = base; i < width; i++, x++) {
                out[i] = row[offset + Math.min(last, Math.max(first, x / sx))] & 0xFF;
            }
            return;
        }
        // The chroma samples the luma columns need, with one neighbour each side, as ints (edges repeat the last
        // decoded sample): the pair loop below then has no clamps and no masks. Its stores interleave, which C2
        // leaves scalar; VectorFancyAcross does whole vectors of it where the Vector API is there.
        int c0 = base >> 1;
        int cLast = (base + width - 1) >> 1;
        int lo = Math.max(first, c0 - 1);
        int hi = Math.min(last, cLast + 1);
        int[] p = padded;
        for (int c = c0 - 1; c < lo; c++) {
            p[c - c0 + 1] = row[offset + first] & 0xFF;
        }
        if (hi >= lo) {
            SampleWidening.widen(row, offset + lo, p, lo - c0 + 1, hi - lo + 1, 0);
        }
        for (int c = hi + 1; c <= cLast + 1; c++) {
            p[c - c0 + 1] = row[offset + last] & 0xFF;
        }
        int i = 0;
        int k = 1;
        if ((base & 1) == 1) {
            out[i++] = 3 * p[k] + p[k + 1];
            k++;
        }
        // Two luma columns per chroma sample: its left and right neighbours.
        if (VECTOR_ACROSS) {
            int done = VectorFancyAcross.pairs(p, k, out, i, width);
            i += done;
            k += done / 2;
        }
        for (; i + 1 < width; i += 2, k++) {
            int here = 3 * p[k];
            out[i] = here + p[k - 1];
            out[i + 1] = here + p[k + 1];
        }
        if (i < width) {
            out[i] = 3 * p[k] + p[k - 1];
        }
    }

    /**
     * The second half, per luma row: 3x this chroma row's across values plus the vertical neighbour's, rounded
     * with libjpeg's biases (they alternate so that no direction is favoured). One index throughout: vectorised.
     */
    private void down(int[] cur, int[] near, int t, int[] out) {
        if (replicate) {
            System.arraycopy(cur, 0, out, 0, width);
        } else if (sx == 2 && sy == 2) {
            int[] b = bias;
            for (int i = 0; i < width; i++) {
                out[i] = (3 * cur[i] + near[i] + b[i]) >> 4;
            }
        } else if (sx == 2) {
            int[] b = bias;
            for (int i = 0; i < width; i++) {
                out[i] = (cur[i] + b[i]) >> 2;
            }
        } else {
            // Vertical only (4:4:0): libjpeg-turbo's h1v2 biases, 1 for the upper row and 2 for the lower.
            int r = t == 0 ? 1 : 2;
            for (int i = 0; i < width; i++) {
                out[i] = (3 * cur[i] + near[i] + r) >> 2;
            }
        }
    }

    /**
     * {@code width} samples from {@code from} as ints ({@link SampleWidening}: C2 does not vectorise byte-to-int),
     * kept apart so the loops after it, all ints, vectorise.
     */
    private void widen(byte[] data, int from, int[] out) {
        SampleWidening.widen(data, from, out, 0, width, 0);
    }

    /**
     * The luma row and the chroma at its resolution to the R, G and B rows: libjpeg's integer YCbCr to RGB (the
     * same rounding as its tables) and clamp. One loop per output row, each reading and writing int arrays at one
     * index: the JIT vectorises each. (One loop storing all three rows stays scalar, at 5-8x the time; so does a
     * byte output, or mixed offsets.)
     */
    private void convert() {
        int[] y = luma;
        int[] cb = upCb;
        int[] cr = upCr;
        int[] r = rows[0];
        int[] g = rows[1];
        int[] b = rows[2];
        int n = width;
        for (int x = 0; x < n; x++) {
            r[x] = clamp(y[x] + ((91881 * (cr[x] - 128) + 32768) >> 16));
        }
        for (int x = 0; x < n; x++) {
            g[x] = clamp(y[x] + ((-22554 * (cb[x] - 128) - 46802 * (cr[x] - 128) + 32768) >> 16));
        }
        for (int x = 0; x < n; x++) {
            b[x] = clamp(y[x] + ((116130 * (cb[x] - 128) + 32768) >> 16));
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
