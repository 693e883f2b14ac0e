package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quality measures the benchmarks and tests rely on. */
class ReferenceTest {

    @Test
    void ssim_shouldBeOne_whenImagesAreEqual_andFallWithNoise() {
        // given: a smooth picture and a noisy copy of it
        int w = 64;
        int h = 48;
        int[] picture = new int[w * h];
        int[] noisy = new int[w * h];
        Random random = new Random(7);
        for (int i = 0; i < picture.length; i++) {
            int v = 40 + (i % w) * 2 + (i / w);
            picture[i] = v << 16 | v << 8 | v;
            int n = Math.max(0, Math.min(255, v + random.nextInt(41) - 20));
            noisy[i] = n << 16 | n << 8 | n;
        }

        // then
        assertEquals(1.0, Reference.ssim(picture, picture, w), 1e-12);
        double noisySsim = Reference.ssim(picture, noisy, w);
        assertTrue(noisySsim < 0.9 && noisySsim > 0, "SSIM " + noisySsim);
    }
}
