package io.mediasuite.thumbnails.pipeline.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorRowPassTest {

    @Test
    void available_shouldBeTrue_whenTheTestsRunWithTheVectorModule() {
        // The module's pom adds jdk.incubator.vector to the test JVM as the template adds it in Lambda; without it
        // the tests below would compare the scalar pass with itself.
        assertTrue(VectorApi.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
    }

    @Test
    void row_shouldGiveTheScalarPassBytes_whenReducingEnlargingAndCropping() {
        Random random = new Random(20261202);
        int vectorised = 0;
        for (int trial = 0; trial < 400; trial++) {
            int planeWidth = 1 + random.nextInt(trial < 40 ? 24 : 900);
            int planeHeight = 1 + random.nextInt(60);
            // reductions up to 5x (past the permute's reach, where the scalar pass takes over) and enlargements
            double scale = 0.4 + random.nextDouble() * 4.6;
            int outWidth = Math.max(1, (int) Math.round(planeWidth / scale));
            int outHeight = Math.max(1, 1 + random.nextInt(Math.min(planeHeight * 2, 40)));
            double regionX = random.nextBoolean() ? 0 : random.nextDouble() * planeWidth / 4;
            double regionWidth = (planeWidth - regionX) * (random.nextBoolean() ? 1 : 0.5 + random.nextDouble() / 2);
            boolean fancyX = random.nextInt(4) == 0;
            byte[] plane = plane(random, planeWidth, planeHeight);
            KernelResampler vector = resampler(planeWidth, planeHeight, regionX, regionWidth, outWidth, outHeight,
                    fancyX, true);
            KernelResampler scalar = resampler(planeWidth, planeHeight, regionX, regionWidth, outWidth, outHeight,
                    fancyX, false);
            assertFalse(scalar.usesRowPass());
            if (vector.usesRowPass()) {
                vectorised++;
            }
            String where = "trial " + trial + ": " + planeWidth + "x" + planeHeight + " -> " + outWidth + "x"
                    + outHeight + " region x " + regionX + " w " + regionWidth + " fancy " + fancyX;
            assertArrayEquals(feed(scalar, plane, planeWidth, planeHeight),
                    feed(vector, plane, planeWidth, planeHeight), where);
        }
        if (VectorRowPass.USABLE) {
            assertTrue(vectorised > 250, "most geometries should take the vector pass, took " + vectorised);
        }
    }

    @Test
    void create_shouldRefuse_whenAGroupsStartsSpreadPastThePermute() {
        int outWidth = 8;
        int taps = 4;
        int[] starts = new int[outWidth];
        for (int i = 0; i < outWidth; i++) {
            starts[i] = i * 5; // 5x: the group's last start is 35 samples after its first
        }
        assertNull(VectorRowPass.create(outWidth, taps, starts, new int[outWidth * taps], 21));
    }

    /** Random samples with runs of 0 and 255, so that the kernel's ringing is clamped at both ends. */
    private static byte[] plane(Random random, int width, int height) {
        byte[] plane = new byte[width * height];
        for (int i = 0; i < plane.length; i++) {
            int kind = random.nextInt(8);
            plane[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 255 : random.nextInt(256));
        }
        return plane;
    }

    private static KernelResampler resampler(int planeWidth, int planeHeight, double regionX, double regionWidth,
                                             int outWidth, int outHeight, boolean fancyX, boolean vector) {
        return new KernelResampler(planeWidth, planeHeight, 1, 1, 1, regionX, 0, regionWidth, planeHeight,
                outWidth, outHeight, fancyX, false, vector);
    }

    private static byte[] feed(KernelResampler resampler, byte[] plane, int width, int height) {
        for (int y = 0; y < height; y++) {
            resampler.row(y, plane, y * width, 1);
        }
        return resampler.result();
    }
}
