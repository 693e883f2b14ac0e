package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Hostile input under a Lambda-like heap: {@link FuzzRun} in a child JVM capped at {@link #HEAP} (the issue's
 * target: no render needs more than 256 MB of heap), seeded so a failure reproduces. The five expensive files of
 * issue 10 must be refused with a 4xx, and 300 mutations of small seeds of every decoder path must each end in a
 * thumbnail or a 4xx within the time budget, refused by the decoders' own validation. The larger run over the
 * corpus is {@code functions/thumbnails/bench/fuzz.sh}.
 */
class HostileInputFuzzTest {

    static final String HEAP = "-Xmx256m";

    @Test
    void render_shouldAnswerEveryMutationWithAThumbnailOrA4xx_whenHeapIsCappedLikeLambda() throws Exception {
        // given
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                FuzzRun.class.getName(), "20261201", "300");

        // when
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);

        // then
        assertTrue(finished, "fuzz run timed out");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("violations=0"), output);
    }

    @Test
    void deflateZeros_shouldInflateToExactlyThatManyZeros_withAValidChecksum() throws Exception {
        // given: more than one repeated chunk plus a remainder
        long count = (3L << 20) + 12_345;
        byte[] stream = HostileImages.deflateZeros(count);

        // when
        Inflater inflater = new Inflater();
        inflater.setInput(stream);
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        boolean allZero = true;
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            for (int i = 0; i < n; i++) {
                allZero &= buffer[i] == 0;
            }
            total += n;
            if (n == 0 && inflater.needsInput()) {
                break;
            }
        }

        // then: the Inflater checks the Adler-32 when it reaches the end
        assertTrue(inflater.finished(), "stream ends");
        assertEquals(count, total);
        assertTrue(allZero);
        inflater.end();
    }
}
