package io.mediasuite.thumbnails.pipeline;

/** Hostile inputs shared with tests outside this package. */
public final class PipelineFixtures {

    private PipelineFixtures() {
    }

    /** A few KB of valid PNG declaring 100 000 x 100 000 pixels. */
    public static byte[] pngBomb() {
        return SourceGuardTest.png(100_000, 100_000, 1 << 20);
    }
}
