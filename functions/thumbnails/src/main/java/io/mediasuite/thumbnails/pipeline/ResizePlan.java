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
     * Reduction a JPEG's DCT scaling leaves at least to the resampling kernel. The scaled IDCTs decimate and
     * chroma, subsampled, comes out at half the luma's scale; a Lanczos3 step with almost nothing left to reduce
     * inherits that aliasing and soft chroma. Measured with the sharpness benchmark over the size sweep: with 1.0
     * (sharp's default) the worst photo scores 3.9 dB under sharp against a Lanczos3 reference of the full
     * image, with 1.5 2.4 dB under, and with 1.5 plus {@link #JPEG_EIGHTH_GAP} no more than 1.7 dB under. 2
     * everywhere scores the same and costs twice the decode time where it makes a 6 MP photo decode at full size.
     */
    static final double JPEG_KERNEL_GAP = 1.5;

    /**
     * The 1/8 scale is a DC-only block, and 4:2:0 chroma at 1/8 one value per 16 x 16 pixels, which a Lanczos3
     * step cannot turn back into colour edges (libjpeg decodes such chroma at 2/8): 1/8 is taken only when the
     * kernel still has a factor of 2 after it.
     */
    static final double JPEG_EIGHTH_GAP = 2.0;

    /**
     * The DCT scale a JPEG is decoded at: 1, 2, 4 or 8 source pixels per decoded sample, the largest that still
     * leaves the kernel {@link #JPEG_KERNEL_GAP} of reduction ({@link #JPEG_EIGHTH_GAP} for 1/8).
     */
    public int jpegShrink() {
        double s = shrink();
        if (s >= 8 * JPEG_EIGHTH_GAP) {
            return 8;
        }
        double left = s / JPEG_KERNEL_GAP;
        return left >= 4 ? 4 : left >= 2 ? 2 : 1;
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
