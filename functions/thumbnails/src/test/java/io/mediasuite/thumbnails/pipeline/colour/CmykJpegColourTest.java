package io.mediasuite.thumbnails.pipeline.colour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.Reference;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegCodingVariantsTest;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CMYK JPEGs as Adobe applications write them, through the whole pipeline. The resources hold one 64x48 ink
 * pattern (top left: C rising to the right, M downwards; top right: a K ramp; bottom left: rich black
 * (C = M = Y = K = 100 %) then paper white; bottom right: 16 % C with Y and K ramps), without a profile:
 * <ul>
 *   <li>{@code cmyk_adobe0_64x48.jpg}: libvips 8.14 {@code vips copy pattern.v x.jpg[Q=95,strip]} from the raw
 *       inks with interpretation cmyk: Adobe APP14 transform 0, inverted samples;</li>
 *   <li>{@code ycck_adobe2_64x48.jpg}: ImageMagick 6.9.11 {@code convert cmyk_adobe0_64x48.jpg -quality 95 -strip}:
 *       Adobe transform 2 (YCCK).</li>
 * </ul>
 * With a printer profile spliced in (a {@link PrinterProfiles} one), the pixels must be TwelveMonkeys' (which
 * renders the profile's perceptual table, as libvips does); without one, the plain device conversion.
 */
class CmykJpegColourTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 95, false);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cmyk_adobe0_64x48.jpg", "ycck_adobe2_64x48.jpg"})
    void pixels_shouldMatchTwelveMonkeysAndRenderRichBlackBlack_whenPrinterProfileEmbedded(String file)
            throws Exception {
        // given
        byte[] source = withIccProfile(TestImages.resource(file), PrinterProfiles.neutralCmyk(12));
        int[] reference = Reference.rgb(ImageIO.read(new ByteArrayInputStream(source)));

        // when: full size, so only colour conversion is compared
        RasterImage pixels = pipeline.pixels(source, 64, 64, FitMode.INSIDE, Deadline.none());

        // then: a colorimetric rendering scores 24 dB here and shows the rich black at RGB 32
        double psnr = Reference.psnr(Reference.rgb(pixels.toBufferedImage()), reference);
        assertTrue(psnr > 45, file + ": PSNR vs TwelveMonkeys " + psnr);
        assertTrue(meanOver(pixels, 2, 26, 12, 44) <= 3, file + ": rich black " + meanOver(pixels, 2, 26, 12, 44));
        assertTrue(meanOver(pixels, 18, 26, 28, 44) >= 252, file + ": paper white");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cmyk_adobe0_64x48.jpg", "ycck_adobe2_64x48.jpg"})
    void pixels_shouldUseTheDeviceConversion_whenNoProfile(String file) {
        // given
        byte[] source = TestImages.resource(file);

        // when
        RasterImage pixels = pipeline.pixels(source, 64, 64, FitMode.INSIDE, Deadline.none());

        // then: R = (1 - C)(1 - K) and so on; full cyan ink near the top-left's right edge is (0, 255, 255)
        assertTrue(meanOver(pixels, 2, 26, 12, 44) <= 3, file + ": rich black");
        assertTrue(meanOver(pixels, 18, 26, 28, 44) >= 252, file + ": paper white");
        int red = pixels.sample(30, 1, 0);
        int green = pixels.sample(30, 1, 1);
        int blue = pixels.sample(30, 1, 2);
        assertTrue(red <= 20 && green >= 235 && blue >= 235, file + ": cyan " + red + "," + green + "," + blue);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cmyk_adobe0_64x48.jpg", "ycck_adobe2_64x48.jpg"})
    void pixels_shouldFollowTheConvertedFullImage_whenLittleIsReduced(String file) throws Exception {
        // given: the reference converts every pixel (TwelveMonkeys, the profile's perceptual table as libvips
        // renders it), then reduces with Lanczos3
        byte[] source = withIccProfile(TestImages.resource(file), PrinterProfiles.neutralCmyk(12));
        int[] reference = Reference.lanczos3(ImageIO.read(new ByteArrayInputStream(source)), 52, 39);

        // when: a reduction of 1.23, where resampling ink and converting the output drifts furthest from it
        RasterImage pixels = pipeline.pixels(source, 52, 39, FitMode.INSIDE, Deadline.none());

        // then: 55 dB; resampling the ink planes and converting the output scored 43
        double psnr = Reference.psnr(Reference.rgb(pixels.toBufferedImage()), reference);
        assertTrue(psnr > 50, file + ": PSNR vs the converted, then reduced, full image " + psnr);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "cmyk_adobe0_64x48.jpg, -progressive",
        "cmyk_adobe0_64x48.jpg, -arithmetic -restart 1B",
        "ycck_adobe2_64x48.jpg, -progressive -restart 2",
        "ycck_adobe2_64x48.jpg, -progressive -arithmetic",
    })
    void pixels_shouldBeTheBaselineFiles_whenProgressiveArithmeticOrRestartCopy(String file, String options)
            throws Exception {
        // given: the file with a press profile, and a copy by libjpeg-turbo's jpegtran (same coefficients,
        // another coding: the multi-scan path, restarts, the arithmetic decoder)
        JpegCodingVariantsTest.requireTool("jpegtran");
        byte[] source = withIccProfile(TestImages.resource(file), PrinterProfiles.neutralCmyk(12));
        List<String> command = new ArrayList<>(List.of("jpegtran", "-copy", "all"));
        command.addAll(List.of(options.split(" ")));
        command.addAll(List.of("-outfile", "{dir}/out.jpg", "{dir}/in.jpg"));
        byte[] copy = JpegCodingVariantsTest.transcode(source, List.of(command));

        // when / then: full size, a little reduced, at a DCT scale, and cropped
        for (int[] box : new int[][] {{64, 64, 0}, {52, 39, 0}, {20, 20, 0}, {30, 30, 1}}) {
            FitMode mode = box[2] == 1 ? FitMode.COVER : FitMode.INSIDE;
            RasterImage expected = pipeline.pixels(source, box[0], box[1], mode, Deadline.none());
            RasterImage actual = pipeline.pixels(copy, box[0], box[1], mode, Deadline.none());
            assertArrayEquals(Reference.rgb(expected.toBufferedImage()), Reference.rgb(actual.toBufferedImage()),
                    file + " " + options + " into " + box[0] + "x" + box[1] + " " + mode);
        }
    }

    @Test
    void convertsInkFirst_shouldLeaveLargeDecodesToTheOutputPixels_whenOver16Megapixels() {
        // given: the CMYK resource's frame header claiming 6000 x 6000
        byte[] source = TestImages.resource("cmyk_adobe0_64x48.jpg");
        int sof = sofOffset(source);
        source[sof + 5] = (byte) (6000 >> 8);
        source[sof + 6] = (byte) 6000;
        source[sof + 7] = (byte) (6000 >> 8);
        source[sof + 8] = (byte) 6000;
        JpegHeader header = JpegHeader.read(source);

        // then: 36 MP at full scale convert output pixels; 9 MP at 1/2 and the real 3 KP convert first
        assertFalse(JpegDecoder.convertsInkFirst(header, 1));
        assertTrue(JpegDecoder.convertsInkFirst(header, 2));
        assertTrue(JpegDecoder.convertsInkFirst(JpegHeader.read(TestImages.resource("cmyk_adobe0_64x48.jpg")), 1));
    }

    /** The position of the first SOF0/SOF1/SOF2 marker. */
    private static int sofOffset(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            int m = jpeg[i + 1] & 0xFF;
            if ((jpeg[i] & 0xFF) == 0xFF && (m == 0xC0 || m == 0xC1 || m == 0xC2)) {
                return i;
            }
        }
        throw new IllegalStateException("no frame header");
    }

    /** The JPEG with an APP2 ICC_PROFILE segment (one chunk) right after SOI. */
    static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
        byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + id.length + 2 + profile.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE2);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(id);
        out.write(1);
        out.write(1);
        out.writeBytes(profile);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Mean of all three bands over x in [x0, x1), y in [y0, y1). */
    private static double meanOver(RasterImage image, int x0, int y0, int x1, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int band = 0; band < 3; band++) {
                    sum += image.sample(x, y, band);
                }
            }
        }
        return sum / ((x1 - x0) * (y1 - y0) * 3);
    }
}
