package io.mediasuite.thumbnails.pipeline;

/**
 * The geometry of one thumbnail in the source's stored (un-rotated) coordinates: which region of the source is
 * shown and at what output size. Orientation is applied after reduction, so the box a client asks for is
 * transposed here for orientations 5-8.
 */
public record ResizePlan(int sourceWidth, int sourceHeight, double regionX, double regionY, double regionWidth,
                         double regionHeight, int outWidth, int outHeight) {

    /** Source pixels per output pixel along the less reduced axis (what a decoder may shrink on load by). */
    public double shrink() {
        return Math.min(regionWidth / outWidth, regionHeight / outHeight);
    }

    /**
     * Reduction the 1/2 DCT scale leaves at least to the resampling kernel. The scaled IDCTs decimate, and a
     * Lanczos3 step with almost nothing left to reduce inherits that aliasing. Measured with the sharpness
     * benchmark when chroma was still decoded at the luma's scale: with 1.0 everywhere the worst photo
     * scored 3.9 dB under sharp against a Lanczos3 reference of the full image, with 1.5 and the other two gaps
     * 1.7 dB under. With colour converted at luma resolution first, 1.25 here leaves the 12 MP JPEG into 1470 x 1200
     * exactly 1.0 dB under sharp: 1.5 stays.
     */
    static final double JPEG_KERNEL_GAP = 1.5;

    /**
     * Reduction the 1/4 scale leaves at least to the kernel. At 1/4 a 4:2:0 file's chroma is decoded at 1/2, and
     * colour is converted at the luma's resolution before any resampling. Over every corpus photo at boxes that
     * leave the kernel 1.25-1.5 after 1/4 (23 rows), 1.25 kept every row at least 2.1 dB over sharp (whose default
     * takes 1/4 with 1.25-1.3 left), and saves decoding four times the samples at 1/2. Under 1.25 rows fall under
     * sharp ({@code large} into 800 x 450, kernel 1.2: 5.8 dB under).
     */
    static final double JPEG_QUARTER_GAP = 1.25;

    /**
     * The 1/8 scale is a DC-only block: 1/8 is taken only when the kernel still has a factor of 1.6 after it. 2.0
     * was chosen when 4:2:0 chroma at 1/8 was one value per 16 x 16 pixels; the colour-first path now decodes that
     * chroma at 2/8, as libjpeg does, but the luma is still one value per block: 1.5 or 1.25 here leaves {@code
     * exif6} and {@code medium} into 150 x 100 (a reduction of 12) only 0.09-0.13 dB over sharp (from 11-12 dB
     * over). 1.6 keeps those at 1/4 and takes 1/8 from a reduction of 12.8: every sharpness row measured in that
     * band (the 24 MP JPEG into 367-400 wide, 13 rows of the corpus at widths 113-299) stays 1.7-13.6 dB over sharp
     * (from 8.6-20.1), and those decodes cost a quarter less (the 24 MP JPEG into 367 x 300: 43-57 ms at 1/4,
     * 32-35 into the boxes that already took 1/8).
     */
    static final double JPEG_EIGHTH_GAP = 1.6;

    /**
     * The DCT scale a JPEG is decoded at: 1, 2, 4 or 8 source pixels per decoded sample, the largest that still
     * leaves the kernel its gap for that scale ({@link #JPEG_KERNEL_GAP}, {@link #JPEG_QUARTER_GAP},
     * {@link #JPEG_EIGHTH_GAP}).
     */
    public int jpegShrink() {
        double s = shrink();
        if (s >= 8 * JPEG_EIGHTH_GAP) {
            return 8;
        }
        if (s >= 4 * JPEG_QUARTER_GAP) {
            return 4;
        }
        return s >= 2 * JPEG_KERNEL_GAP ? 2 : 1;
    }

    /**
     * Plans {@code mode} for a box of {@code boxWidth x boxHeight} (0 = unconstrained, as in the URL) on a source
     * of {@code width x height} stored pixels with EXIF {@code orientation}. Never upscales.
     */
    public static ResizePlan of(int width, int height, int orientation, int boxWidth, int boxHeight, FitMode mode) {
        boolean transposed = orientation >= 5;
        // Work in display coordinates, then map back to stored ones.
        int dw = transposed ? height : width;
        int dh = transposed ? width : height;
        double rx = 0;
        double ry = 0;
        double rw = dw;
        double rh = dh;
        int ow;
        int oh;
        if (mode == FitMode.COVER && boxWidth > 0 && boxHeight > 0) {
            double scale = Math.min(1.0, Math.max((double) boxWidth / dw, (double) boxHeight / dh));
            // The crop keeps the box's aspect ratio; when the source is too small it is the largest such crop.
            double cropW = Math.min(dw, boxWidth / scale);
            double cropH = Math.min(dh, boxHeight / scale);
            double aspect = (double) boxWidth / boxHeight;
            if (cropW / cropH > aspect) {
                cropW = cropH * aspect;
            } else {
                cropH = cropW / aspect;
            }
            rx = (dw - cropW) / 2;
            ry = (dh - cropH) / 2;
            rw = cropW;
            rh = cropH;
            ow = Math.max(1, (int) Math.round(cropW * scale));
            oh = Math.max(1, (int) Math.round(cropH * scale));
            if (scale >= 1.0) {
                ow = Math.max(1, (int) Math.round(cropW));
                oh = Math.max(1, (int) Math.round(cropH));
            }
        } else {
            double sx = boxWidth > 0 ? (double) boxWidth / dw : Double.POSITIVE_INFINITY;
            double sy = boxHeight > 0 ? (double) boxHeight / dh : Double.POSITIVE_INFINITY;
            double scale = Math.min(1.0, Math.min(sx, sy));
            ow = Math.max(1, (int) Math.round(dw * scale));
            oh = Math.max(1, (int) Math.round(dh * scale));
        }
        if (transposed) {
            return new ResizePlan(width, height, ry, rx, rh, rw, oh, ow);
        }
        return new ResizePlan(width, height, rx, ry, rw, rh, ow, oh);
    }
}
