package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import org.junit.jupiter.api.Test;

class ThumbnailPrimingTest {

    @Test
    void run_shouldThumbnailItsCannedImagesWithoutS3_whenPrimingBeforeASnapshot() {
        // given the pipeline as the handler builds it
        ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000, 80, false);

        // when / then: every format and mode renders (a priming failure would only be logged in Lambda)
        assertDoesNotThrow(() -> ThumbnailPriming.run(pipeline));
    }
}
