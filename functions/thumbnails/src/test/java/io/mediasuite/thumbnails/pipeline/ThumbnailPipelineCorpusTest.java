package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegCodingVariantsTest;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.util.List;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pipeline on the real corpus (../shared/images): output size, and resampling quality as PSNR against a
 * double-precision Lanczos3 reduction of the fully decoded source (decoded by ImageIO with TwelveMonkeys, an
 * independent decoder), after the thumbnail's own JPEG or PNG encoding. A box filter (what the pipeline used
 * before) or a single-step bilinear reduction of these photos scores several dB below the bounds.
 */
class ThumbnailPipelineCorpusTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 95, false);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "small_480x369.jpg, 390, 300, 39",
        "medium_1800x1200.jpg, 400, 267, 37",
        "photo_2725x2225.jpg, 367, 300, 38",
        "photo_2725x2225_progressive.jpg, 367, 300, 38",
        "large_3840x2160.jpg, 400, 225, 37",
        "cmyk_500x333.jpg, 400, 266, 34",
        "16bit_900x600.png, 400, 267, 60",
        "photopng_2725x2225.png, 367, 300, 50",
    })
    void render_shouldMatchLanczosReference_whenCorpusImage(String file, int width, int height, double minPsnr)
            throws Exception {
        // given
        byte[] source = TestImages.corpus(file);
        BufferedImage full = ImageIO.read(new java.io.ByteArrayInputStream(source));

        // when
        Thumbnail thumbnail = pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());

        // then
        assertEquals(width, thumbnail.width());
        assertEquals(height, thumbnail.height());
        BufferedImage decoded = TestImages.decode(thumbnail.bytes());
        double psnr = Reference.psnr(Reference.rgb(decoded), Reference.lanczos3(full, width, height));
        assertTrue(psnr >= minPsnr, file + ": PSNR " + psnr + " dB below " + minPsnr);
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
        "exif6_1800x1200.jpg, 400, 300",
        "exif6_1800x1200.jpg, 500, 400",
        "photo_2725x2225.jpg, 401, 301",
        "medium_1800x1200.jpg, 400, 300",
        "small_480x369.jpg, 150, 150",
    })
    void render_shouldMatchTheRgbPath_whenAJpegGoesStraightFromPlanesToJpeg(String file, int box, int boxHeight)
            throws Exception {
        // given: the planar path (Y and half-size chroma from the decoder to the encoder) against the RGB path. It
        // serves 4:2:2 and 4:4:0 files decoded below full scale (4:2:0 ones are converted to RGB first), so the
        // photo is re-encoded 4:2:2, with its EXIF orientation kept.
        byte[] source = TestImages.withOrientation(to422(TestImages.corpus(file)),
                JpegHeader.read(TestImages.corpus(file)).orientation());
        JpegHeader header = JpegHeader.read(source);
        ResizePlan plan = ResizePlan.of(header.width(), header.height(), header.orientation(), box, boxHeight,
                FitMode.INSIDE);
        assertTrue(!JpegDecoder.convertsColourFirst(header, plan.jpegShrink()), "the planar path applies");

        // when
        Thumbnail planar = pipeline.render(source, box, boxHeight, FitMode.INSIDE, Deadline.none());
        RasterImage pixels = pipeline.pixels(source, box, boxHeight, FitMode.INSIDE, Deadline.none());
        byte[] viaRgb = new ThumbnailEncoder(95, false).encode(pixels, OutputFormat.JPEG);

        // then: same size and orientation, and the same picture up to chroma resampled once instead of twice
        BufferedImage a = TestImages.decode(planar.bytes());
        BufferedImage b = TestImages.decode(viaRgb);
        assertEquals(b.getWidth(), a.getWidth());
        assertEquals(b.getHeight(), a.getHeight());
        double psnr = Reference.psnr(Reference.rgb(a), Reference.rgb(b));
        assertTrue(psnr > 40, "PSNR " + psnr);
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({"1", "2", "3", "4", "5", "6", "7", "8"})
    void render_shouldKeepChromaOnLuma_whenAnOrientationFlipsAnOddSide(int orientation) throws Exception {
        // given: the 2 MP photo as a plain JFIF file (no EXIF of its own) with each EXIF orientation, into odd cover
        // boxes (the last half-size chroma sample of an odd side overhangs the edge; a flip must not move that
        // overhang to the start)
        RasterImage full = pipeline.pixels(TestImages.corpus("medium_1800x1200.jpg"), 1800, 1200, FitMode.INSIDE,
                Deadline.none());
        // (4:2:2: the planar path serves it below full scale; 4:2:0 is converted to RGB first.)
        byte[] source = TestImages.withOrientation(
                to422(new ThumbnailEncoder(92, false).encode(full, OutputFormat.JPEG)), orientation);
        assertEquals(orientation, JpegHeader.read(source).orientation());
        for (int[] box : new int[][] {{301, 201}, {151, 101}, {3, 3}}) {
            JpegHeader header = JpegHeader.read(source);
            ResizePlan plan = ResizePlan.of(header.width(), header.height(), orientation, box[0], box[1],
                    FitMode.COVER);
            assertTrue(!JpegDecoder.convertsColourFirst(header, plan.jpegShrink()), "the planar path applies");
            // when
            Thumbnail served = pipeline.render(source, box[0], box[1], FitMode.COVER, Deadline.none());
            RasterImage pixels = pipeline.pixels(source, box[0], box[1], FitMode.COVER, Deadline.none());
            byte[] viaRgb = new ThumbnailEncoder(95, false).encode(pixels, OutputFormat.JPEG);

            // then: the same picture as the RGB path (chroma one pixel off scores 37-40 dB here)
            double psnr = Reference.psnr(Reference.rgb(TestImages.decode(served.bytes())),
                    Reference.rgb(TestImages.decode(viaRgb)));
            assertTrue(psnr > 43, box[0] + "x" + box[1] + ": PSNR " + psnr);
        }
    }

    /** The same picture re-encoded 4:2:2 by libjpeg-turbo's tools (quality 95, no metadata). */
    private static byte[] to422(byte[] jpeg) throws Exception {
        JpegCodingVariantsTest.requireTool("cjpeg");
        return JpegCodingVariantsTest.transcode(jpeg, List.of(
                List.of("djpeg", "-pnm", "-outfile", "{dir}/in.ppm", "{dir}/in.jpg"),
                List.of("cjpeg", "-quality", "95", "-sample", "2x1", "-outfile", "{dir}/out.jpg", "{dir}/in.ppm")));
    }

    @Test
    void planarFits_shouldRefuseTinyOutputs() {
        for (int o = 1; o <= 8; o++) {
            assertTrue(ThumbnailPipeline.planarFits(ResizePlan.of(1800, 1200, o, 401, 301, FitMode.COVER), o));
            assertTrue(!ThumbnailPipeline.planarFits(ResizePlan.of(1800, 1200, o, 3, 3, FitMode.COVER), o));
        }
    }

    @Test
    void render_shouldDecodeProgressiveExactlyLikeBaseline_whenSamePixels() {
        // given: the progressive file is a lossless jpegtran transcode of the baseline one
        byte[] baseline = TestImages.corpus("photo_2725x2225.jpg");
        byte[] progressive = TestImages.corpus("photo_2725x2225_progressive.jpg");

        for (int box : new int[] {2725, 1000, 400, 200}) {
            // when
            Thumbnail a = pipeline.render(baseline, box, box, FitMode.INSIDE, Deadline.none());
            Thumbnail b = pipeline.render(progressive, box, box, FitMode.INSIDE, Deadline.none());

            // then: identical coefficients, identical thumbnails, at every DCT scale
            assertArrayEquals(a.bytes(), b.bytes(), "box " + box);
        }
    }

    @Test
    void render_shouldRotateUpright_whenExifOrientation6() {
        // given: stored 1800x1200, displays 1200x1800
        byte[] source = TestImages.corpus("exif6_1800x1200.jpg");

        // when
        Thumbnail thumbnail = pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());

        // then
        assertEquals(200, thumbnail.width());
        assertEquals(300, thumbnail.height());
        assertTrue(JpegHeader.read(thumbnail.bytes()).orientation() == 1, "output carries no orientation");
    }

    @Test
    void pixels_shouldConvertYcckWithItsIccProfile_likeTwelveMonkeys() throws Exception {
        // given: Adobe YCCK with an embedded SWOP (printer class) profile; TwelveMonkeys converts it through the
        // profile's perceptual table, as libvips does
        byte[] source = TestImages.corpus("cmyk_500x333.jpg");
        BufferedImage reference = ImageIO.read(new java.io.ByteArrayInputStream(source));
        assertTrue(ImageIO.getImageReadersByFormatName("jpeg").next().getClass().getName().contains("twelvemonkeys"));

        // when: full size, so only the colour conversion differs
        RasterImage pixels = pipeline.pixels(source, 500, 500, FitMode.INSIDE, Deadline.none());

        // then: same colours within the lookup table's interpolation (52.6 dB measured); the colorimetric
        // rendering (blacks at RGB 41) scores 28.4 dB, the naive or un-inverted conversions far less
        assertEquals(500, pixels.width());
        double psnr = Reference.psnr(Reference.rgb(pixels.toBufferedImage()), Reference.rgb(reference));
        assertTrue(psnr > 48, "PSNR vs TwelveMonkeys " + psnr);
    }

    @Test
    void render_shouldKeepAlphaAndNotBleedColour_whenTransparentPng() {
        // given: RGBA drawing, 88 % fully transparent
        byte[] source = TestImages.corpus("alpha_2048x1536.png");

        // when
        Thumbnail thumbnail = pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());

        // then
        assertEquals(OutputFormat.PNG, thumbnail.format());
        BufferedImage decoded = TestImages.decode(thumbnail.bytes());
        assertTrue(decoded.getColorModel().hasAlpha());
        int transparent = 0;
        for (int y = 0; y < decoded.getHeight(); y++) {
            for (int x = 0; x < decoded.getWidth(); x++) {
                if (decoded.getRGB(x, y) >>> 24 == 0) {
                    transparent++;
                }
            }
        }
        assertTrue(transparent > decoded.getWidth() * decoded.getHeight() / 2, "most pixels stay transparent");
    }

    @Test
    void render_shouldNormaliseSixteenBitPng_toEightBitRgb() {
        // given
        byte[] source = TestImages.resource("16bit_900x600.png");

        // when
        Thumbnail thumbnail = pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());

        // then: the Dutch flag, red over white over blue
        BufferedImage decoded = TestImages.decode(thumbnail.bytes());
        assertEquals(8, decoded.getColorModel().getComponentSize(0));
        int top = decoded.getRGB(200, 20) & 0xFFFFFF;
        int middle = decoded.getRGB(200, 133) & 0xFFFFFF;
        int bottom = decoded.getRGB(200, 250) & 0xFFFFFF;
        assertTrue(((top >> 16) & 0xFF) > 150 && (top & 0xFF) < 100, "red " + Integer.toHexString(top));
        assertEquals(0xFFFFFF, middle);
        assertTrue((bottom & 0xFF) > 100 && ((bottom >> 16) & 0xFF) < 80, "blue " + Integer.toHexString(bottom));
    }
}
