package io.mediasuite.thumbnails.pipeline;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Final sRGB pixels, interleaved bytes, not premultiplied: {@code bands} is 1 (gray), 2 (gray + alpha),
 * 3 (RGB) or 4 (RGBA).
 */
public record RasterImage(int width, int height, int bands, byte[] pixels) {

    public boolean hasAlpha() {
        return bands == 2 || bands == 4;
    }

    /** A BufferedImage sharing {@link #pixels} (no copy), for the ImageIO encoders. */
    public BufferedImage toBufferedImage() {
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        PixelInterleavedSampleModel model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, height,
                bands, width * bands, offsets);
        WritableRaster raster = Raster.createWritableRaster(model, new DataBufferByte(pixels, pixels.length), null);
        ColorSpace space = ColorSpace.getInstance(bands <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        boolean alpha = hasAlpha();
        ColorModel colours = new ComponentColorModel(space, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(colours, raster, false, null);
    }

    /** The sample of band {@code band} at {@code (x, y)}. */
    public int sample(int x, int y, int band) {
        return pixels[(y * width + x) * bands + band] & 0xFF;
    }
}
