package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row-filter stage against the PNG specification's definitions, written out plainly here: the branchless
 * Paeth predictor for every (left, above, above-left) triple, and whole images of random rows under every filter
 * and every pixel size, the rows chained so each row's reference is the previous result.
 */
class PngUnfilterTest {

    @Test
    void unfilter_shouldPickThePaethPredictorOfTheSpecification_forEveryTriple() {
        // given: one 1-byte pixel to the left (a), and the row above holding c then b
        byte[] row = new byte[2];
        byte[] prior = new byte[2];
        int mismatches = 0;
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    // the first byte unfilters to (a - c) + c = a; the second is filtered to 0, so it becomes the
                    // predictor itself
                    row[0] = (byte) (a - c);
                    row[1] = 0;
                    prior[0] = (byte) c;
                    prior[1] = (byte) b;

                    // when
                    PngUnfilter.unfilter(4, row, prior, 2, 1);

                    // then
                    if ((row[0] & 0xFF) != a || (row[1] & 0xFF) != specPaeth(a, b, c)) {
                        mismatches++;
                    }
                }
            }
        }
        assertEquals(0, mismatches, "triples where the predictor differs from the specification's");
    }

    @ParameterizedTest(name = "{0} bytes per pixel")
    @ValueSource(ints = {1, 2, 3, 4, 6, 8})
    void next_shouldUndoEveryFilter_whenRowsChain(int bpp) {
        // given: random rows (some flat runs, where Paeth ties) filtered with a random filter each, in one batch
        Random random = new Random(bpp);
        int rowBytes = bpp * 37; // 37 pixels: an odd width
        int rows = 60;
        byte[][] image = new byte[rows][rowBytes];
        byte[] batch = new byte[rows * (rowBytes + 1)];
        byte[] prior = new byte[rowBytes];
        for (int y = 0; y < rows; y++) {
            for (int i = 0; i < rowBytes; i++) {
                image[y][i] = (byte) (random.nextInt(4) == 0 ? 128 : random.nextInt(256));
            }
            int type = random.nextInt(5);
            batch[y * (rowBytes + 1)] = (byte) type;
            byte[] filtered = PngDecoderTest.filterRow(image[y], prior, bpp, type);
            System.arraycopy(filtered, 0, batch, y * (rowBytes + 1) + 1, rowBytes);
            prior = image[y];
        }
        PngUnfilter unfilter = new PngUnfilter(rowBytes, bpp);
        byte[] before = batch.clone();

        for (int y = 0; y < rows; y++) {
            // when
            byte[] row = unfilter.next(batch, y * (rowBytes + 1));

            // then
            assertArrayEquals(image[y], Arrays.copyOf(row, rowBytes), "row " + y);
        }
        assertArrayEquals(before, batch, "the inflated batch is left as it was");
    }

    @Test
    void next_shouldThrowCorruptImage_whenTheFilterTypeIsUnknown() {
        // given: filter type 5, which PNG does not define
        byte[] batch = {5, 1, 2, 3};
        PngUnfilter unfilter = new PngUnfilter(3, 3);

        // when / then
        assertThrows(CorruptImageException.class, () -> unfilter.next(batch, 0));
    }

    private static int specPaeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
