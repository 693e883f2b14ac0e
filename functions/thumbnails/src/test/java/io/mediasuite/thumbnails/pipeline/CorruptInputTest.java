package io.mediasuite.thumbnails.pipeline;

import static io.mediasuite.thumbnails.pipeline.SourceGuardTest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Truncated and damaged files are a 415, never a 500, an exception escaping as something else, or a silently
 * grey-filled image (what ImageIO's JPEG reader returns for a truncated file).
 */
class CorruptInputTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000L, 80, false);

    @Test
    void imageIo_decodesTruncatedJpegSilently_whichIsTheTrapThePipelineAvoids() throws Exception {
        // given: the JDK reader on a JPEG cut in the middle of its scan returns an image instead of failing
        byte[] jpeg = TestImages.resource("small_480x369.jpg");
        int scan = SourceGuardTest.indexOfMarker(jpeg, 0xDA);
        byte[] half = Arrays.copyOf(jpeg, scan + (jpeg.length - scan) / 2);
        javax.imageio.ImageReader jdk = null;
        for (var it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            javax.imageio.ImageReader reader = it.next();
            if (reader.getClass().getName().startsWith("com.sun.imageio.")) {
                jdk = reader;
            }
        }
        jdk.setInput(ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(half)));
        BufferedImage grey = jdk.read(0);
        jdk.dispose();
        assertEquals(480, grey.getWidth(), "ImageIO returned a (grey-filled) image for a truncated file");

        // when / then: the pipeline refuses it
        assertStatus(415, () -> pipeline.render(half, 400, 300, FitMode.INSIDE, Deadline.none()));
    }

    @Test
    void render_shouldAnswer415_whenJpegTruncatedAnywhereInItsScan() {
        byte[] jpeg = TestImages.resource("small_480x369.jpg");
        int scan = SourceGuardTest.indexOfMarker(jpeg, 0xDA);
        for (int cut = scan + 20; cut < jpeg.length - 2; cut += (jpeg.length - scan) / 13) {
            byte[] truncated = Arrays.copyOf(jpeg, cut);
            for (int box : new int[] {400, 100, 50}) {
                assertStatus(415, () -> pipeline.render(truncated, box, box, FitMode.INSIDE, Deadline.none()));
            }
        }
    }

    @Test
    void render_shouldAnswer415_whenProgressiveJpegTruncated() {
        BufferedImage image = TestImages.photoLike(300, 200, BufferedImage.TYPE_3BYTE_BGR);
        byte[] progressive = ThumbnailEncoderTest.progressiveJpeg(image);
        assertEquals(300, pipeline.render(progressive, 400, 300, FitMode.INSIDE, Deadline.none()).width());
        for (int cut : new int[] {progressive.length / 3, progressive.length * 2 / 3, progressive.length - 3}) {
            byte[] truncated = Arrays.copyOf(progressive, cut);
            assertStatus(415, () -> pipeline.render(truncated, 40, 40, FitMode.INSIDE, Deadline.none()));
        }
    }

    @Test
    void render_shouldAnswer415_whenPngTruncatedOrCrcDamaged() {
        byte[] png = TestImages.encode(TestImages.photoLike(200, 150, BufferedImage.TYPE_INT_ARGB), "png");
        assertStatus(415, () -> pipeline.render(Arrays.copyOf(png, png.length / 2), 100, 100, FitMode.INSIDE,
                Deadline.none()));
        byte[] damaged = png.clone();
        damaged[damaged.length / 2] ^= 0x55;
        assertStatus(415, () -> pipeline.render(damaged, 100, 100, FitMode.INSIDE, Deadline.none()));
    }

    @Test
    void render_shouldOnlyEverSucceedOrAnswer415_whenBytesAreFlippedAtRandom() {
        // given: a deterministic fuzz over three formats
        byte[][] sources = {
            TestImages.resource("small_480x369.jpg"),
            ThumbnailEncoderTest.progressiveJpeg(TestImages.photoLike(120, 90, BufferedImage.TYPE_3BYTE_BGR)),
            TestImages.encode(TestImages.photoLike(120, 90, BufferedImage.TYPE_INT_ARGB), "png"),
            TestImages.encode(TestImages.photoLike(60, 40, BufferedImage.TYPE_3BYTE_BGR), "gif"),
        };
        Random random = new Random(7);
        for (byte[] source : sources) {
            for (int round = 0; round < 60; round++) {
                byte[] fuzzed = source.clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    fuzzed[2 + random.nextInt(fuzzed.length - 2)] = (byte) random.nextInt(256);
                }
                try {
                    pipeline.render(fuzzed, 64, 64, FitMode.INSIDE, Deadline.none());
                } catch (ApiException e) {
                    if (e.kind().status() != 415 && e.kind().status() != 413) {
                        fail("status " + e.kind().status() + " for fuzzed input", e);
                    }
                } catch (RuntimeException | Error e) {
                    fail("fuzzed input escaped as " + e, e);
                }
            }
        }
    }
}
