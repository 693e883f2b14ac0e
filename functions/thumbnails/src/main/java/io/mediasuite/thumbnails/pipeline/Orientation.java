package io.mediasuite.thumbnails.pipeline;

/**
 * Pipeline step "orient": applies an EXIF orientation (1-8) to the reduced image, so the output is upright and,
 * carrying no EXIF at all, can never be rotated a second time by a viewer. Rotations and flips only permute
 * pixels, so applying them after reduction (on ~120 000 pixels instead of millions) gives the same result.
 */
public final class Orientation {

    private Orientation() {
    }

    /** Whether {@code orientation} reverses the stored x axis (mirror, 180 degrees, transverse, 270 degrees). */
    public static boolean flipsStoredX(int orientation) {
        return orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
    }

    /** Whether {@code orientation} reverses the stored y axis (180 degrees, vertical mirror, 90, transverse). */
    public static boolean flipsStoredY(int orientation) {
        return orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
    }

    /** The image as it should be displayed; {@code orientation} outside 2-8 returns it unchanged. */
    public static RasterImage apply(RasterImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int bands = image.bands();
        boolean transposed = orientation >= 5;
        int dw = transposed ? h : w;
        int dh = transposed ? w : h;
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - dx; sy = dy; }
                    case 3 -> { sx = w - 1 - dx; sy = h - 1 - dy; }
                    case 4 -> { sx = dx; sy = h - 1 - dy; }
                    case 5 -> { sx = dy; sy = dx; }
                    case 6 -> { sx = dy; sy = h - 1 - dx; }
                    case 7 -> { sx = w - 1 - dy; sy = h - 1 - dx; }
                    default -> { sx = w - 1 - dy; sy = dx; }
                }
                System.arraycopy(src, (sy * w + sx) * bands, out, (dy * dw + dx) * bands, bands);
            }
        }
        return new RasterImage(dw, dh, bands, out);
    }
}
