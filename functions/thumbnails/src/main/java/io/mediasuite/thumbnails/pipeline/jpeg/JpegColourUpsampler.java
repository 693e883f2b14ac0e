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

    // libjpeg's YCbCr to RGB in 1/65536: R = Y + crR, G = Y + ((cbG + crG) >> 16), B = Y + cbB.
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CB_G = new int[256];
    private static final int[] CR_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (91881 * x + 32768) >> 16;
            CB_B[i] = (116130 * x + 32768) >> 16;
            CB_G[i] = -22554 * x + 32768;
            CR_G[i] = -46802 * x;
        }
    }

    private final PlaneReducer rgb;
    private final int sx;
    private final int sy;
    private final int lumaRows;
    private final int chromaRows;
    private final int lumaWidth;
    private final int chromaStride;
    private final int imageHeight;
    private final int chromaWidth;
    private final int chromaHeight;
    private final int lumaFrom;
    private final int lumaTo;
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

    private final int[] upCb;
    private final int[] upCr;
    private final byte[] row;

    /**
     * @param rgb          the reducer of the RGB rows (three channels, the luma plane's geometry)
     * @param sx           luma samples per chroma sample across (1 or 2)
     * @param sy           luma rows per chroma row (1 or 2)
     * @param lumaWidth    luma strip width; the chroma strips are {@code lumaWidth / sx} wide
     * @param lumaRows     luma rows per MCU row; chroma strips have {@code lumaRows / sy}
     * @param imageWidth   the image's width (the strips are padded to whole MCUs)
     * @param imageHeight  the image's height
     * @param lumaFrom     first luma column the decoder fills; {@code lumaTo} one past the last
     * @param chromaFrom   first chroma column the decoder fills; {@code chromaTo} one past the last
     */
    JpegColourUpsampler(PlaneReducer rgb, int sx, int sy, int lumaWidth, int lumaRows, int imageWidth,
                        int imageHeight, int lumaFrom, int lumaTo, int chromaFrom, int chromaTo) {
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
        this.lumaFrom = Math.max(0, lumaFrom);
        this.lumaTo = Math.min(imageWidth, lumaTo);
        this.chromaFrom = Math.max(0, chromaFrom);
        this.chromaTo = Math.min(chromaWidth, chromaTo);
        pendingY = new byte[lumaWidth * lumaRows];
        pendingCb = new byte[chromaStride * chromaRows];
        pendingCr = new byte[chromaStride * chromaRows];
        aboveCb = new byte[chromaStride];
        aboveCr = new byte[chromaStride];
        upCb = new int[lumaWidth];
        upCr = new int[lumaWidth];
        row = new byte[lumaWidth * 3];
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
                if (!rgb.wants(y)) {
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
                upsample(pendingCb, j * cs, nearCb, near, t, upCb);
                upsample(pendingCr, j * cs, nearCr, near, t, upCr);
                convert(pendingY, ly * lumaWidth);
                rgb.row(y, row, 0, 3);
            }
        }
        System.arraycopy(pendingCb, (chromaRows - 1) * cs, aboveCb, 0, cs);
        System.arraycopy(pendingCr, (chromaRows - 1) * cs, aboveCr, 0, cs);
    }

    /**
     * One chroma row at luma resolution into {@code out[lumaFrom..lumaTo)}: libjpeg's fancy upsampling, a
     * triangle filter (3/4 nearer sample, 1/4 farther) each way the chroma is subsampled, with its rounding.
     * {@code near} is the vertical neighbour (above for the upper luma row of a pair, below for the lower).
     */
    private void upsample(byte[] cur, int curOffset, byte[] near, int nearOffset, int t, int[] out) {
        int first = chromaFrom;
        int last = chromaTo - 1;
        if (sx == 1) {
            for (int x = lumaFrom; x < lumaTo; x++) {
                int c = cur[curOffset + x] & 0xFF;
                out[x] = sy == 1 ? c : (3 * c + (near[nearOffset + x] & 0xFF) + (t == 0 ? 1 : 2)) >> 2;
            }
            return;
        }
        for (int x = lumaFrom; x < lumaTo; x++) {
            int i = Math.min(last, Math.max(first, x >> 1));
            int side = (x & 1) == 0 ? Math.max(first, i - 1) : Math.min(last, i + 1);
            if (sy == 1) {
                int c = cur[curOffset + i] & 0xFF;
                int s = cur[curOffset + side] & 0xFF;
                // At the image's edges libjpeg copies the edge sample.
                out[x] = side == i ? c : (3 * c + s + ((x & 1) == 0 ? 1 : 2)) >> 2;
            } else {
                int c = 3 * (cur[curOffset + i] & 0xFF) + (near[nearOffset + i] & 0xFF);
                int s = 3 * (cur[curOffset + side] & 0xFF) + (near[nearOffset + side] & 0xFF);
                out[x] = side == i ? (4 * c + ((x & 1) == 0 ? 8 : 7)) >> 4
                        : (3 * c + s + ((x & 1) == 0 ? 8 : 7)) >> 4;
            }
        }
    }

    /** Luma row at {@code offset} with the upsampled chroma to interleaved RGB, clamped. */
    private void convert(byte[] y, int offset) {
        int[] cb = upCb;
        int[] cr = upCr;
        byte[] out = row;
        for (int x = lumaFrom; x < lumaTo; x++) {
            int l = y[offset + x] & 0xFF;
            int u = cb[x];
            int v = cr[x];
            out[3 * x] = clamp(l + CR_R[v]);
            out[3 * x + 1] = clamp(l + ((CB_G[u] + CR_G[v]) >> 16));
            out[3 * x + 2] = clamp(l + CB_B[u]);
        }
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
