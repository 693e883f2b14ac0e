package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * "A 24 MP JPEG must thumbnail within a 512 MB function": proven in a child JVM whose heap is capped at 256 MB,
 * half of what Lambda's Java runtime gives a 512 MB function (its heap is sized at about 85 % of the memory
 * setting), rendering the corpus's 24 MP JPEG, 6 MP progressive JPEG and 6 MP PNG one after the other.
 */
class MemoryBudgetTest {

    static final String HEAP = "-Xmx256m";

    @Test
    void render_shouldFitA256MbHeap_when24MegapixelJpegAndLargePngAndProgressive() throws Exception {
        // given
        List<String> files = List.of("up24mp_5422x4427.jpg", "photo_2725x2225_progressive.jpg",
                "photopng_2725x2225.png");
        for (String file : files) {
            TestImages.corpus(file); // skips the test when the corpus is absent
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), MemoryBudgetTest.class.getName()));
        for (String file : files) {
            command.add(TestImages.corpusDir().resolve(file).toString());
        }

        // when
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes());

        // then
        assertEquals(true, finished, "child JVM timed out");
        assertEquals(0, process.exitValue(), output);
    }

    /** Child JVM entry point: thumbnails each file given, fails with a non-zero exit on any error (OOM too). */
    public static void main(String[] args) throws Exception {
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 80, false);
        for (String file : args) {
            byte[] source = Files.readAllBytes(Path.of(file));
            Thumbnail thumbnail = pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());
            System.out.println(file + " -> " + thumbnail.width() + "x" + thumbnail.height() + " in "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB max heap");
        }
    }
}
