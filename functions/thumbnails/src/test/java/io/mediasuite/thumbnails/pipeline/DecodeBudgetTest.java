package io.mediasuite.thumbnails.pipeline;

import static io.mediasuite.thumbnails.pipeline.SourceGuardTest.allocatedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's dimension rules, the decode budget, and decoders refusing malformed structures with their own
 * exception. Issue 10's out-of-memory and slow files are made here ({@link HostileImages}) and must be refused
 * with a 413 before anything near their decode cost is allocated.
 */
class DecodeBudgetTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000L, 80, false);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tall", "wide"})
    void render_shouldRefuseDegenerateDimensions_whenWithinThePixelLimit(String shape) {
        // given: 1 x 49 000 000 and 49 000 000 x 1 PNGs (under 50 MP; once an OutOfMemoryError and a 14 s 503)
        byte[] png = shape.equals("tall") ? HostileImages.tallPng() : HostileImages.widePng();

        // when / then
        ApiException e = refused(png);
        assertEquals(413, e.kind().status());
        assertEquals(ImageRefusal.BAD_DIMENSIONS.reason(), e.fieldErrors().get(0).message());
    }

    @Test
    void render_shouldRefuseExtremeAspectRatio_whenSidesAreModest() {
        ApiException e = refused(HostileImages.png(20_100, 100, 8, 0, false));
        assertEquals(ImageRefusal.BAD_DIMENSIONS.reason(), e.fieldErrors().get(0).message());
        // 200:1 is still accepted
        assertEquals(400, pipeline.render(HostileImages.png(20_000, 100, 8, 0, false), 400, 300, FitMode.INSIDE,
                Deadline.none()).width());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lossless jpeg 7071x7071", "png 7000x7000 16-bit", "png 7000x7000 adam7"})
    void render_shouldRefuseOverBudgetWithoutDecoding_whenThePlanIsTooExpensive(String name) {
        // given
        Supplier<byte[]> make = switch (name) {
            case "lossless jpeg 7071x7071" -> () -> HostileImages.losslessJpeg(7071, 38_000);
            case "png 7000x7000 16-bit" -> HostileImages::sixteenBitPng;
            default -> HostileImages::interlacedPng;
        };
        byte[] source = make.get();

        // when
        long allocated = allocatedBy(() -> {
            ApiException e = refused(source);

            // then
            assertEquals(413, e.kind().status(), e.getMessage());
            assertEquals(ImageRefusal.OVER_BUDGET.reason(), e.fieldErrors().get(0).message());
        });
        assertTrue(allocated < 4_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void render_shouldDecodeUnderTheBudget_andRefuseTheSameFileUnderASmallerOne() {
        // given: a progressive file, whose coefficient store the budget counts
        byte[] progressive = TestImages.resource("progressive_restart1row_480x369.jpg");
        long needed = DecodeBudget.jpegBytes(JpegHeader.read(progressive),
                ResizePlan.of(480, 369, 1, 400, 300, FitMode.INSIDE), true);

        // when / then
        ThumbnailPipeline roomy = new ThumbnailPipeline(50_000_000L, needed, 80, false);
        assertEquals(390, roomy.render(progressive, 400, 300, FitMode.INSIDE, Deadline.none()).width());
        ThumbnailPipeline tight = new ThumbnailPipeline(50_000_000L, needed - 1, 80, false);
        ApiException e = assertThrows(ApiException.class,
                () -> tight.render(progressive, 400, 300, FitMode.INSIDE, Deadline.none()));
        assertEquals(413, e.kind().status());
    }

    @Test
    void jpegBytes_shouldCoverWhatTheDecoderAllocates_whenColourIsConvertedFirst() {
        // given: a 4:2:0 JPEG (the JDK writer's default), decoded by the colour-first stage at every DCT scale
        byte[] jpeg = TestImages.encode(TestImages.photoLike(1500, 1000, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
                "jpg");
        JpegHeader header = JpegHeader.read(jpeg);
        for (int box : new int[] {900, 500, 260, 80}) {
            ResizePlan plan = ResizePlan.of(1500, 1000, 1, box, box, FitMode.INSIDE);
            assertTrue(io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder.convertsColourFirst(header,
                    plan.jpegShrink()), "box " + box);
            Runnable decode = () -> io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder.decode(jpeg, header, plan,
                    new DecodeBudget(1L << 40), Deadline.none(), false);
            decode.run();

            // when
            long allocated = allocatedBy(decode);

            // then: the decoder's share of the estimate (the rest is colour, orientation and encoding) covers it
            long estimate = DecodeBudget.jpegBytes(header, plan, false) - DecodeBudget.outputBytes(plan);
            assertTrue(allocated <= estimate, "box " + box + " (1/" + plan.jpegShrink() + "): allocated "
                    + allocated + " > estimate " + estimate);
        }
    }

    @Test
    void render_shouldAnswerCorruptFromTheDecodersOwnCheck_whenHuffmanTableIsOverFull() {
        // given: the first DHT claims three 1-bit codes (a binary tree has room for two)
        byte[] jpeg = TestImages.resource("small_480x369.jpg").clone();
        int dht = SourceGuardTest.indexOfMarker(jpeg, 0xC4);
        jpeg[dht + 5] = 3;

        // when
        ApiException e = refused(jpeg);

        // then: the decoder's validation, not an index error caught by the pipeline's last resort
        assertEquals(415, e.kind().status());
        assertInstanceOf(CorruptImageException.class, e.getCause());
        assertEquals(ImageRefusal.CORRUPT.reason(), e.fieldErrors().get(0).message());
    }

    @Test
    void inspect_shouldAnswerCorrupt_whenGifHeaderIsTruncatedOrTheFrameEmpty() {
        byte[] truncated = {'G', 'I', 'F', '8', '9', 'a', 10, 0, 10, 0, 0, 0, 0, 0x2C, 0, 0, 0};
        byte[] emptyFrame = {'G', 'I', 'F', '8', '9', 'a', 10, 0, 10, 0, 0, 0, 0,
            0x2C, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2, 2, 0x4C, 1, 0, 0x3B};
        for (byte[] gif : new byte[][] {truncated, emptyFrame}) {
            ApiException e = assertThrows(ApiException.class, () -> pipeline.inspect(gif));
            assertEquals(415, e.kind().status());
            assertInstanceOf(CorruptImageException.class, e.getCause());
        }
    }

    private ApiException refused(byte[] source) {
        return assertThrows(ApiException.class,
                () -> pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none()));
    }
}
