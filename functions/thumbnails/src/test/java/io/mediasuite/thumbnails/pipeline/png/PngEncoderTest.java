package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.util.Random;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The PNG writer, read back by the JDK's (independent) PNG reader: every sample must survive exactly. */
class PngEncoderTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void encode_shouldRoundTripEverySample_forGrayGrayAlphaRgbAndRgba(int bands) throws Exception {
        // given: an odd size and random samples (incompressible rows, every byte value)
        RasterImage image = randomImage(37, 23, bands, bands);

        // when
        byte[] png = PngEncoder.encode(image);

        // then
        assertSamePixels(image, decode(png, bands));
    }

    @ParameterizedTest
    @CsvSource({"1, 0, 0", "2, 0, 0", "3, 0, 0", "4, 0, 0", "1, 2, 0", "2, 2, 0", "3, 2, 0", "4, 2, 0", "3, 2, 2",
        "4, 2, 2"})
    void encode_shouldRoundTripEverySample_withEveryCoding(int bands, int filter, int strategy) throws Exception {
        // given: random samples, so "up" wraps around in both directions (a - b below 0 and above 255)
        RasterImage image = randomImage(41, 19, bands, 100 + bands);

        // when
        byte[] png = PngEncoder.encode(image, new PngEncoder.Coding(filter, strategy));

        // then
        assertSamePixels(image, decode(png, bands));
    }

    @Test
    void encode_shouldWriteOneRowImages_whenHeightIsOne() throws Exception {
        RasterImage image = randomImage(64, 1, 3, 7);

        assertSamePixels(image, decode(PngEncoder.encode(image), 3));
    }

    @Test
    void choose_shouldPickUpWithHuffmanCodingOnly_whenEachRowIsTheOneAboveWithSmallChanges() {
        // given: a photo-like random walk down the columns: unfiltered rows never repeat, "up" leaves -1, 0 or 1
        // with no repeated strings, which Huffman coding alone packs as well as string matching
        int stride = 300 * 3;
        byte[] pixels = new byte[stride * 200];
        Random random = new Random(1);
        for (int i = 0; i < stride; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = stride; i < pixels.length; i++) {
            pixels[i] = (byte) (pixels[i - stride] + random.nextInt(3) - 1);
        }

        // when / then
        assertEquals(new PngEncoder.Coding(PngEncoder.FILTER_UP, Deflater.HUFFMAN_ONLY),
                PngEncoder.choose(pixels, stride, 200));
    }

    @Test
    void choose_shouldPickUpWithStringMatching_whenRowsDifferByARepeatingPattern() {
        // given: each row is the one above plus a short repeating ramp: "up" leaves the ramp, which string
        // matching reduces to almost nothing and Huffman coding alone cannot
        int stride = 300 * 3;
        byte[] pixels = new byte[stride * 200];
        Random random = new Random(3);
        for (int i = 0; i < stride; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = stride; i < pixels.length; i++) {
            pixels[i] = (byte) (pixels[i - stride] + (i % 7) * 5);
        }

        // when / then
        assertEquals(new PngEncoder.Coding(PngEncoder.FILTER_UP, Deflater.DEFAULT_STRATEGY),
                PngEncoder.choose(pixels, stride, 200));
    }

    @Test
    void choose_shouldPickNoFilter_whenRowsRepeatShifted() {
        // given: a drawing-like texture, one random row shifted by a random amount on each row: unfiltered, deflate
        // finds every row one row back; "up" turns each row into new noise
        int stride = 300 * 3;
        int height = 200;
        byte[] row = new byte[stride];
        Random random = new Random(2);
        random.nextBytes(row);
        byte[] pixels = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int shift = random.nextInt(stride);
            for (int i = 0; i < stride; i++) {
                pixels[y * stride + i] = row[(i + shift) % stride];
            }
        }

        // when / then
        assertEquals(new PngEncoder.Coding(PngEncoder.FILTER_NONE, Deflater.DEFAULT_STRATEGY),
                PngEncoder.choose(pixels, stride, height));
    }

    private static void assertSamePixels(RasterImage expected, RasterImage actual) {
        assertEquals(expected.width() + "x" + expected.height() + "x" + expected.bands(),
                actual.width() + "x" + actual.height() + "x" + actual.bands());
        assertArrayEquals(expected.pixels(), actual.pixels());
    }

    private static RasterImage randomImage(int width, int height, int bands, long seed) {
        byte[] pixels = new byte[width * height * bands];
        new Random(seed).nextBytes(pixels);
        return new RasterImage(width, height, bands, pixels);
    }

    private static RasterImage decode(byte[] png, int bands) throws Exception {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(bands, decoded.getColorModel().getNumComponents());
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        Raster raster = decoded.getRaster();
        byte[] samples = new byte[width * height * bands];
        int[] pixel = new int[bands];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, pixel);
                for (int b = 0; b < bands; b++) {
                    samples[(y * width + x) * bands + b] = (byte) pixel[b];
                }
            }
        }
        return new RasterImage(width, height, bands, samples);
    }
}
