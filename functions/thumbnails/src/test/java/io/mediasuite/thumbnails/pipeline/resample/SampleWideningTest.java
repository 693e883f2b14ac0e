package io.mediasuite.thumbnails.pipeline.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SampleWideningTest {

    /** The vector path is what these tests are for: fail without the module, skip where vectors are too narrow. */
    @BeforeEach
    void requireTheVectorPath() {
        assertTrue(VectorApi.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
        assumeTrue(VectorWidening.USABLE, "vectors under 256 bits: the scalar loop runs");
    }

    @Test
    void widen_shouldGiveEachByteUnsignedLessTheShift_atEveryLengthAndOffset() {
        byte[] from = randomBytes(7);
        from[5] = (byte) 0x80;
        from[6] = (byte) 0xFF;
        from[7] = 0;
        for (int count = 0; count <= 70; count++) {
            for (int offset : new int[] {0, 1, 5, 17}) {
                for (int shift : new int[] {0, 128}) {
                    int[] expected = new int[count + 9];
                    int[] actual = new int[count + 9];
                    java.util.Arrays.fill(expected, -7);
                    java.util.Arrays.fill(actual, -7);
                    for (int i = 0; i < count; i++) {
                        expected[3 + i] = Byte.toUnsignedInt(from[offset + i]) - shift;
                    }
                    SampleWidening.widen(from, offset, actual, 3, count, shift);
                    assertArrayEquals(expected, actual, "count " + count + " offset " + offset + " shift " + shift);
                }
            }
        }
    }

    @Test
    void accumulate_shouldAddEachByteUnsigned_atEveryLengthAndOffset() {
        Random random = new Random(8);
        byte[] from = randomBytes(9);
        for (int count = 0; count <= 70; count++) {
            for (int offset : new int[] {0, 3, 19}) {
                int[] expected = new int[count + 5];
                int[] actual = new int[count + 5];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = actual[i] = random.nextInt(100_000);
                }
                for (int i = 0; i < count; i++) {
                    expected[i] += Byte.toUnsignedInt(from[offset + i]);
                }
                SampleWidening.accumulate(from, offset, actual, count, new int[count]);
                assertArrayEquals(expected, actual, "count " + count + " offset " + offset);
            }
        }
    }

    private static byte[] randomBytes(long seed) {
        byte[] bytes = new byte[300];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
