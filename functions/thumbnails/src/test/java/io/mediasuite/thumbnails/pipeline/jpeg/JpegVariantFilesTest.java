package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.ImageRefusal;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid JPEG codings of a real photo that were once refused. The resources are lossless transcodes of
 * {@code small_480x369.jpg} made with libjpeg-turbo 2.1.5's jpegtran ({@code -copy icc}):
 * <ul>
 *   <li>{@code progressive_restart1row_480x369.jpg}: {@code -progressive -restart 1}</li>
 *   <li>{@code progressive_restart2blocks_480x369.jpg}: {@code -progressive -restart 2B}</li>
 *   <li>{@code arithmetic_480x369.jpg}: {@code -arithmetic} (sequential, SOF9)</li>
 *   <li>{@code progressive_arithmetic_restart1block_480x369.jpg}: {@code -progressive -arithmetic -restart 1B}
 *       (SOF10)</li>
 * </ul>
 * Same coefficients, same ICC profile: the thumbnails must be byte-identical to the original's, at the boxes the
 * origin allows (full-size 8x8 IDCT at 400x300, 1/2 and 1/4 scale below).
 */
class JpegVariantFilesTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 90, false);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"progressive_restart1row_480x369.jpg", "progressive_restart2blocks_480x369.jpg",
        "arithmetic_480x369.jpg", "progressive_arithmetic_restart1block_480x369.jpg"})
    void render_shouldMatchTheOriginalsThumbnail_whenLosslessTranscode(String file) {
        // given
        byte[] original = TestImages.resource("small_480x369.jpg");
        byte[] variant = TestImages.resource(file);

        for (int[] box : new int[][] {{400, 300}, {800, 600}, {150, 150}, {60, 60}}) {
            // when
            Thumbnail expected = pipeline.render(original, box[0], box[1], FitMode.INSIDE, Deadline.none());
            Thumbnail actual = pipeline.render(variant, box[0], box[1], FitMode.INSIDE, Deadline.none());

            // then
            assertEquals(expected.width(), actual.width());
            assertArrayEquals(expected.bytes(), actual.bytes(), file + " at " + box[0] + "x" + box[1]);
        }
    }

    @Test
    void render_shouldRefuseWithAPublicReason_when12BitJpeg() {
        // given: Debian's libjpeg-turbo 2.1.5 tools write 8-bit only, so the frame header of a real file is
        // rewritten to extended sequential, 12-bit (SOF1, P=12): the guard decides on the header alone
        byte[] source = TestImages.resource("small_480x369.jpg").clone();
        int p = 2;
        while ((source[p + 1] & 0xFF) != 0xC0) {
            p += 2 + (((source[p + 2] & 0xFF) << 8) | (source[p + 3] & 0xFF)); // next marker segment
        }
        source[p + 1] = (byte) 0xC1;
        source[p + 4] = 12;

        // when
        ApiException e = assertThrows(ApiException.class,
                () -> pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none()));

        // then
        assertEquals(415, e.kind().status());
        assertEquals(ImageRefusal.TWELVE_BIT_JPEG.reason(), e.fieldErrors().get(0).message());
    }
}
