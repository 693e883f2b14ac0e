package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.colour.ColourConverter;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;

/**
 * The colour stage of {@link JpegDecoder} for CMYK and YCCK files whose four components share one sampling:
 * each decoded row (at the DCT scale) goes through the ink conversion and its embedded press profile to sRGB,
 * then into one three-channel {@link PlaneReducer}. Converting before resampling is what libvips does, and what
 * a reduction of the converted full image (the sharpness benchmark's reference) is: the profile's table bends
 * ink far from linearly, so resampling ink and converting the output drifted from it where little is reduced.
 */
final class JpegInkConverter implements JpegColourStage {

    private final PlaneReducer rgb;
    private final ColourConverter.InkRows ink;
    private final int stride;
    private final int rowsPerMcu;
    private final int imageHeight;
    /** The first column the reducer reads; rows are converted from there to its last. */
    private final int base;

    /**
     * @param rgb         the reducer of the interleaved R, G, B rows (the components' geometry)
     * @param kind        CMYK, inverted CMYK or YCCK
     * @param icc         the embedded profile, or null
     * @param stride      the strips' width
     * @param rowsPerMcu  rows per MCU row in each strip
     * @param imageHeight rows of the decoded image (the last MCU row may pad past it)
     */
    JpegInkConverter(PlaneReducer rgb, ColourKind kind, byte[] icc, int stride, int rowsPerMcu, int imageHeight) {
        this.rgb = rgb;
        this.base = rgb.firstColumn();
        this.ink = new ColourConverter.InkRows(kind, icc, rgb.endColumn() - base);
        this.stride = stride;
        this.rowsPerMcu = rowsPerMcu;
        this.imageHeight = imageHeight;
    }

    @Override
    public boolean wantsMcuRow(int mcuRow) {
        return rgb.firstRow() < (mcuRow + 1) * rowsPerMcu && rgb.endRow() > mcuRow * rowsPerMcu;
    }

    @Override
    public void mcuRow(int mcuRow, byte[][] strips) {
        for (int r = 0; r < rowsPerMcu; r++) {
            int y = mcuRow * rowsPerMcu + r;
            if (y >= imageHeight) {
                return;
            }
            if (rgb.wants(y)) {
                // The converted row starts at column base: an offset of -3 * base puts column x at 3 * (x - base).
                rgb.row(y, ink.convert(strips, r * stride, base), -3 * base, 3);
            }
        }
    }

    @Override
    public void finish() {
        // Rows are converted as they arrive; nothing is held.
    }

    /** R, G and B as reduced, the press profile already applied: sRGB, no profile left. */
    @Override
    public ReducedImage result(int width, int height, byte[] icc) {
        byte[][] planes = {rgb.result(0), rgb.result(1), rgb.result(2)};
        return new ReducedImage(width, height, ColourKind.RGB, planes, null, null);
    }
}
