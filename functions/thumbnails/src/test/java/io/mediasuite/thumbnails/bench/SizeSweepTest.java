package io.mediasuite.thumbnails.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediasuite.thumbnails.pipeline.FitMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size sweep's case list and ratio summary (the sweep itself is a script, not a test). */
class SizeSweepTest {

    @TempDir
    Path corpus;

    @Test
    void defaultSizes_shouldBeTheConfigDefaultsAndTheir2xEachOnceSmallestFirst_whenThumbnailSizesIsUnset() {
        assertEquals("150x150,0x300,300x300,400x0,400x300,0x600,800x0,800x600,1600x1200", SizeSweep.defaultSizes());
    }

    @Test
    void cases_shouldCoverOnlyBoxesWithBothSidesAndOnlyJpegAndPng_whenNoCoverListIsGiven() throws Exception {
        for (String name : List.of("b.png", "a.JPG", "c.gif", "README.md")) {
            Files.write(corpus.resolve(name), new byte[] {1});
        }

        List<SizeSweep.Case> cases = SizeSweep.cases(corpus, ".*", "150x150,400x0,0x300,800x600", null);

        assertEquals(List.of(
                "a.JPG 150x150 inside", "a.JPG 400x0 inside", "a.JPG 0x300 inside", "a.JPG 800x600 inside",
                "a.JPG 150x150 cover", "a.JPG 800x600 cover",
                "b.png 150x150 inside", "b.png 400x0 inside", "b.png 0x300 inside", "b.png 800x600 inside",
                "b.png 150x150 cover", "b.png 800x600 cover"),
                cases.stream().map(SizeSweep.Case::label).toList());
        assertEquals(FitMode.COVER, cases.get(4).mode());
        assertEquals(800, cases.get(5).width());
        assertEquals(600, cases.get(5).height());
    }

    @Test
    void cases_shouldHaveNoCoverCrops_whenTheCoverListIsEmpty() throws Exception {
        Files.write(corpus.resolve("a.jpg"), new byte[] {1});
        Files.write(corpus.resolve("b.jpg"), new byte[] {1});

        List<SizeSweep.Case> cases = SizeSweep.cases(corpus, "b.*", "150x150", "");

        assertEquals(List.of("b.jpg 150x150 inside"), cases.stream().map(SizeSweep.Case::label).toList());
    }

    @Test
    void ratioSummary_shouldGiveGeometricMeanAndWorst_whenRatiosAreAdded() {
        RatioSummary summary = new RatioSummary();
        summary.add(2.0, "slow");
        summary.add(0.5, "fast");
        summary.add(Double.NaN, "unmeasured");

        assertEquals(1.0, summary.geometricMean(), 1e-12);
        assertEquals(2.0, summary.worst());
        assertEquals("slow", summary.worstCase());
        assertEquals(2, summary.count());
    }

    @Test
    void samples_shouldGiveTheUpperMedian_whenCountIsEven() {
        Samples samples = new Samples();
        for (double ms : new double[] {4, 1, 3, 2}) {
            samples.add(ms, ms / 2);
        }

        assertEquals(3.0, samples.medianMs());
        assertEquals(1.5, samples.medianCpuMs());
    }
}
