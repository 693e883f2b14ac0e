package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class ThumbnailPrimingTest {

    @Test
    void run_shouldThumbnailItsCannedImagesWithoutS3_whenPrimingBeforeASnapshot() {
        // given the pipeline as the handler builds it
        ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000, 80, false);

        // when / then: every format and mode renders (a priming failure would only be logged in Lambda)
        assertDoesNotThrow(() -> ThumbnailPriming.run(pipeline));
    }

    @Test
    void chainFilteredPng_shouldHaveRowsThatChainInEveryBand_soThePrimingCompilesTheBandUnfilter() throws Exception {
        // given: an image of the priming's size
        BufferedImage image = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);

        // when
        byte[] png = ThumbnailPriming.chainFilteredPng(image);

        // then: it renders, and every 32 rows (a band) hold sub, average and Paeth rows
        assertDoesNotThrow(() -> new ThumbnailPipeline(50_000_000, 80, false).render(png, 400, 300, FitMode.INSIDE,
                Deadline.inMillis(10_000)));
        ByteBuffer chunks = ByteBuffer.wrap(png, 8 + 25, png.length - 8 - 25); // after the signature and IHDR
        int idatLength = chunks.getInt();
        assertEquals("IDAT", new String(png, chunks.position(), 4, java.nio.charset.StandardCharsets.US_ASCII));
        Inflater inflater = new Inflater();
        inflater.setInput(png, chunks.position() + 4, idatLength);
        int stride = 1 + 3 * 1200;
        byte[] raw = new byte[900 * stride];
        assertEquals(raw.length, inflater.inflate(raw));
        inflater.end();
        for (int band = 0; band < 900; band += 32) {
            boolean[] seen = new boolean[5];
            for (int y = band; y < Math.min(900, band + 32); y++) {
                seen[raw[y * stride]] = true;
            }
            assertTrue(seen[1] && seen[3] && seen[4], "rows " + band + "+ hold sub, average and Paeth rows");
        }
    }
}
