package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mediasuite.thumbnails.pipeline.resample.VectorApi;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorFancyAcrossTest {

    @Test
    void pairs_shouldGiveTheScalarLoopsColumns_whenWholeVectorsFit() {
        assertTrue(VectorApi.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
        assumeTrue(VectorFancyAcross.USABLE, "vectors under 256 bits: the scalar loop runs");
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int width = random.nextInt(120);
            int start = Math.min(width, random.nextInt(2));
            int[] padded = new int[(width >> 1) + 4];
            for (int j = 0; j < padded.length; j++) {
                padded[j] = random.nextInt(256);
            }
            int[] expected = new int[width + 3];
            int[] actual = new int[width + 3];
            Arrays.fill(expected, -1);
            Arrays.fill(actual, -1);
            int done = VectorFancyAcross.pairs(padded, 1, actual, start, width);
            assertTrue(done % 2 == 0 && start + done <= width, "done " + done);
            for (int i = start, k = 1; i < start + done; i += 2, k++) {
                expected[i] = 3 * padded[k] + padded[k - 1];
                expected[i + 1] = 3 * padded[k] + padded[k + 1];
            }
            assertArrayEquals(expected, actual, "width " + width + " start " + start);
            if (width >= 40) {
                assertTrue(done > 0, "a row of " + width + " should take whole vectors");
            }
        }
    }
}
