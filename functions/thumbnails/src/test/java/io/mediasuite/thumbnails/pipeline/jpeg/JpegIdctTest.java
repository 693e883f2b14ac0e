package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 8x8 inverse DCT against the textbook transform, computed here in double precision from the basis functions:
 * every block shape (flat, only low frequencies, full) must give its samples to within the rounding of float
 * arithmetic, one block per flush and many queued together.
 */
class JpegIdctTest {

    /** Which coefficients a random block may have: row and column limits of its non-zero region. */
    @ParameterizedTest
    @ValueSource(strings = {"1x1", "8x1", "1x8", "4x4", "8x4", "4x8", "3x5", "8x8"})
    void write_shouldMatchTheDirectTransform_whenBlockIsSparse(String shape) {
        int rows = Integer.parseInt(shape.split("x")[0]);
        int columns = Integer.parseInt(shape.split("x")[1]);
        JpegIdct idct = new JpegIdct(8);
        Random random = new Random(rows * 31L + columns);
        int worst = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int[] block = new int[64];
            int spread = trial % 2 == 0 ? 40 : 600; // small values, and values that clamp
            for (int v = 0; v < rows; v++) {
                for (int u = 0; u < columns; u++) {
                    block[v * 8 + u] = random.nextInt(4) == 0 ? 0 : random.nextInt(2 * spread + 1) - spread;
                }
            }
            long acSlots = slots(block);
            byte[] out = new byte[10 * 8 + 3];
            idct.write(block.clone(), acSlots, out, 3, 10);
            idct.flush();
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int expected = direct(block, x, y);
                    int actual = out[3 + y * 10 + x] & 0xFF;
                    worst = Math.max(worst, Math.abs(expected - actual));
                }
            }
        }
        assertTrue(worst <= 1, "largest difference from the direct transform: " + worst);
    }

    /**
     * Blocks queued past the queue's length (it flushes itself when full), each to its own place in one buffer
     * with a stride, then flushed: every block lands where it was sent, with its own samples. At both queued
     * sizes: 8x8 (blocks with coefficients only in the top-left 4 x 4 take a queue of their own), and 4x4 (the
     * transform of the 4 x 4 lowest coefficients, a block shown at half size).
     */
    @ParameterizedTest
    @CsvSource({"8, 1, 8", "8, 7, 8", "8, 64, 8", "8, 65, 8", "8, 187, 8", "8, 150, 4", "8, 64, 4", "4, 1, 4",
        "4, 64, 4", "4, 131, 4"})
    void flush_shouldWriteEachQueuedBlockInPlace_whenManyBlocksAreQueued(int n, int count, int extent) {
        // extent 4 with n = 8: every block has its coefficients in the top-left 4 x 4 (the second queue)
        JpegIdct idct = new JpegIdct(n);
        Random random = new Random(count * 10L + n + extent);
        int stride = count * n + 5;
        byte[] out = new byte[stride * n + 2];
        int[][] blocks = new int[count][];
        // Queued out of order: block i goes to column position place(i), so a mix-up of lanes would show.
        for (int i = 0; i < count; i++) {
            int[] block = new int[n * n];
            int rows = 1 + random.nextInt(extent);
            int columns = 1 + random.nextInt(extent);
            for (int v = 0; v < rows; v++) {
                for (int u = 0; u < columns; u++) {
                    block[v * n + u] = random.nextInt(401) - 200;
                }
            }
            block[1] = block[1] == 0 ? 1 : block[1]; // has AC: queued, not written flat
            blocks[i] = block;
            idct.write(block.clone(), slots(block), out, 2 + place(i, count) * n, stride);
        }
        idct.flush();
        int worst = 0;
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int actual = out[2 + place(i, count) * n + y * stride + x] & 0xFF;
                    worst = Math.max(worst, Math.abs(direct(blocks[i], n, x, y) - actual));
                }
            }
        }
        assertTrue(worst <= 1, "largest difference from the direct transform: " + worst);
    }

    /** The AC slots of a block that hold non-zero values, as {@link JpegIdct#write} takes them. */
    private static long slots(int[] block) {
        long slots = 0;
        for (int i = 1; i < block.length; i++) {
            if (block[i] != 0) {
                slots |= 1L << i;
            }
        }
        return slots;
    }

    /** Block i's position: the even-numbered blocks first, then the odd ones. */
    private static int place(int i, int count) {
        return i % 2 == 0 ? i / 2 : (count + 1) / 2 + i / 2;
    }

    /** T.81 A.3.3: s(x, y) = 1/4 sum C(u) C(v) S(v, u) cos((2x + 1) u pi / 16) cos((2y + 1) v pi / 16), + 128. */
    private static int direct(int[] block, int x, int y) {
        return direct(block, 8, x, y);
    }

    /** The same n x n: the n-point transform of the n x n lowest coefficients (pi / 2n in place of pi / 16). */
    private static int direct(int[] block, int n, int x, int y) {
        double sum = 0;
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                double cu = u == 0 ? Math.sqrt(0.5) : 1;
                double cv = v == 0 ? Math.sqrt(0.5) : 1;
                sum += cu * cv * block[v * n + u] * Math.cos((2 * x + 1) * u * Math.PI / (2 * n))
                        * Math.cos((2 * y + 1) * v * Math.PI / (2 * n));
            }
        }
        long s = Math.round(sum / 4 + 128);
        return (int) Math.max(0, Math.min(255, s));
    }
}
