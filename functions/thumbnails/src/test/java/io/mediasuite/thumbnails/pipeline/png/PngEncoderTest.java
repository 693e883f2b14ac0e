package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PNG writer, read back by the JDK's (independent) PNG reader: every sample must survive exactly. */
class PngEncoderTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void encode_shouldRoundTripEverySample_forGrayGrayAlphaRgbAndRgba(int bands) throws Exception {
        // given: an odd size and random samples (incompressible rows, every byte value)
        int width = 37;
        int height = 23;
        byte[] pixels = new byte[width * height * bands];
        new Random(bands).nextBytes(pixels);

        // when
        byte[] png = PngEncoder.encode(new RasterImage(width, height, bands, pixels));

        // then
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, decoded.getWidth());
        assertEquals(height, decoded.getHeight());
        assertEquals(bands, decoded.getColorModel().getNumComponents());
        Raster raster = decoded.getRaster();
        byte[] samples = new byte[pixels.length];
        int[] pixel = new int[bands];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, pixel);
                for (int b = 0; b < bands; b++) {
                    samples[(y * width + x) * bands + b] = (byte) pixel[b];
                }
            }
        }
        assertArrayEquals(pixels, samples);
    }
}
