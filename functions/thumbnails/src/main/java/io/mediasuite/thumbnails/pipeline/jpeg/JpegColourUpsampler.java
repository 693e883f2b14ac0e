package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;

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
final class JpegColourUpsampler {

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

    // Scratch rows: vertical sums (one sample of padding each side), the even and odd upsampled samples, the
    // upsampled chroma at luma resolution and the R, G, B rows.
    private final int[] sums;
    private final int[] even;
    private final int[] odd;
    private final int[] upCb;
    private final int[] upCr;
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
        sums = new int[chromaStride + 2];
        even = new int[chromaStride];
        odd = new int[chromaStride];
        upCb = new int[width];
        upCr = new int[width];
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

    /** The strips of MCU row {@code mcuRow}; passes on the MCU row before it. */
    void mcuRow(int mcuRow, byte[] y, byte[] cb, byte[] cr) {
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

    /** Passes on the last MCU row. */
    void finish() {
        if (pendingRow >= 0) {
            flush(null, null);
            pendingRow = -1;
        }
    }

    private void flush(byte[] nextCb, byte[] nextCr) {
        int cs = chromaStride;
        for (int j = 0; j < chromaRows; j++) {
            int chromaY = pendingRow * chromaRows + j;
            if (chromaY >= chromaHeight) {
                break;
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
                byte[] nearCb = pendingCb;
                byte[] nearCr = pendingCr;
                int near = j * cs;
                if (sy == 2 && t == 0 && chromaY > 0) {
                    // The row above: in this strip, or the last of the MCU row before (when it was decoded).
                    if (j > 0) {
                        near = (j - 1) * cs;
                    } else if (haveAbove) {
                        nearCb = aboveCb;
                        nearCr = aboveCr;
                        near = 0;
                    }
                } else if (sy == 2 && t == 1 && chromaY + 1 < chromaHeight) {
                    if (j + 1 < chromaRows) {
                        near = (j + 1) * cs;
                    } else if (nextCb != null) {
                        nearCb = nextCb;
                        nearCr = nextCr;
                        near = 0;
                    }
                }
                widen(pendingY, ly * lumaWidth + base, luma);
                if (sx == 1 && sy == 1) {
                    widen(pendingCb, j * cs + base, upCb);
                    widen(pendingCr, j * cs + base, upCr);
                } else {
                    upsample(pendingCb, j * cs, nearCb, near, t, upCb);
                    upsample(pendingCr, j * cs, nearCr, near, t, upCr);
                }
                convert();
                for (int c = 0; c < 3; c++) {
                    rgb[c].row(y, rows[c]);
                }
            }
        }
        System.arraycopy(pendingCb, (chromaRows - 1) * cs, aboveCb, 0, cs);
        System.arraycopy(pendingCr, (chromaRows - 1) * cs, aboveCr, 0, cs);
    }

    /**
     * One chroma row at luma resolution into {@code out}, column {@code base + i} at {@code i}: libjpeg's fancy upsampling, a
     * triangle filter (3/4 nearer sample, 1/4 farther) each way the chroma is subsampled, with its rounding (the
     * biases alternate so that no direction is favoured) and its edges (the outermost samples copied).
     * {@code near} is the vertical neighbour (above for the upper luma row of a pair, below for the lower).
     * Written as separate passes over whole rows, each a loop the JIT vectorises, but the interleave.
     */
    private void upsample(byte[] cur, int curOffset, byte[] near, int nearOffset, int t, int[] out) {
        int first = chromaFrom;
        int last = chromaTo - 1;
        if (sx == 2 && chromaWidth <= 2) {
            // libjpeg replicates instead (both ways) when the chroma is at most 2 samples wide.
            for (int i = 0, x = base; i < width; i++, x++) {
                out[i] = cur[curOffset + Math.min(last, Math.max(first, x >> 1))] & 0xFF;
            }
            return;
        }
        int[] cs = sums;
        // Vertical: 4x the sample (no vertical subsampling) or 3x the row's plus the neighbour's; cs[i + 1].
        if (sy == 2) {
            for (int i = first; i <= last; i++) {
                cs[i + 1] = 3 * (cur[curOffset + i] & 0xFF) + (near[nearOffset + i] & 0xFF);
            }
        } else {
            for (int i = first; i <= last; i++) {
                cs[i + 1] = 4 * (cur[curOffset + i] & 0xFF);
            }
        }
        if (sx == 1) {
            // Vertical only (4:4:0): libjpeg-turbo's h1v2 biases, 1 for the upper row and 2 for the lower.
            int bias = sy == 1 ? 2 : t == 0 ? 1 : 2;
            for (int i = 0; i < width; i++) {
                out[i] = (cs[base + i + 1] + bias) >> 2;
            }
            return;
        }
        // Horizontal, in sixteenths: with the edge sums repeated, the outermost outputs come out as libjpeg's
        // edge rule gives them. Biases: 8 and 7 after a vertical pass, 4 and 8 (that is 1 and 2 in quarters)
        // without.
        cs[first] = cs[first + 1];
        cs[last + 2] = cs[last + 1];
        int evenBias = sy == 2 ? 8 : 4;
        int oddBias = sy == 2 ? 7 : 8;
        int[] e = even;
        int[] o = odd;
        for (int i = first; i <= last; i++) {
            e[i] = (3 * cs[i + 1] + cs[i] + evenBias) >> 4;
        }
        for (int i = first; i <= last; i++) {
            o[i] = (3 * cs[i + 1] + cs[i + 2] + oddBias) >> 4;
        }
        // Interleave: column x is even[x / 2] or odd[x / 2].
        int x = base;
        int i = 0;
        if ((x & 1) == 1) {
            out[i++] = o[x >> 1];
            x++;
        }
        for (; i + 1 < width; i += 2, x += 2) {
            out[i] = e[x >> 1];
            out[i + 1] = o[x >> 1];
        }
        if (i < width) {
            out[i] = e[x >> 1];
        }
    }

    /** {@code width} samples from {@code from} as ints. (Byte and int arrays cannot overlap: this vectorises.) */
    private void widen(byte[] data, int from, int[] out) {
        for (int i = 0; i < width; i++) {
            out[i] = data[from + i] & 0xFF;
        }
    }

    /**
     * The luma row and the chroma at its resolution to the R, G and B rows: libjpeg's integer YCbCr to RGB (the
     * same rounding as its tables) and clamp. Int arrays all read and written at one index: the JIT vectorises
     * it (a byte output, or mixed offsets, keeps it scalar, at 4x the time).
     */
    private void convert() {
        int[] y = luma;
        int[] cb = upCb;
        int[] cr = upCr;
        int[] r = rows[0];
        int[] g = rows[1];
        int[] b = rows[2];
        for (int x = 0; x < width; x++) {
            int l = y[x];
            int u = cb[x] - 128;
            int v = cr[x] - 128;
            r[x] = clamp(l + ((91881 * v + 32768) >> 16));
            g[x] = clamp(l + ((-22554 * u - 46802 * v + 32768) >> 16));
            b[x] = clamp(l + ((116130 * u + 32768) >> 16));
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
