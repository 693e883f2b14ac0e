package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.resample.VectorApi;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The band pass ({@link VectorUnfilter}, through {@link PngUnfilter#batch}) against images filtered with the
 * specification's definitions ({@link PngDecoderTest#filterRow}): every Paeth triple, and random images of every
 * pixel size with a random filter per row, in batches that leave partial bands.
 */
class VectorUnfilterTest {

    @BeforeAll
    static void vectorApiIsThere() {
        // The module's pom adds jdk.incubator.vector to the test JVM, as the template does in Lambda; without it
        // these tests would check the scalar path against the specification a second time.
        assertTrue(VectorApi.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
        assumeTrue(VectorUnfilter.USABLE, "vectors of 8 to 32 16-bit lanes");
    }

    @Test
    void batch_shouldGiveTheSpecificationsPaeth_forEveryTriple() {
        // given: for each left byte a, a band whose even rows hold every (above-left c, above b) pair once, at
        // positions 2m and 2m + 1, and whose odd rows are Paeth-filtered with a at 2m: position 2m + 1 predicts
        // from exactly (a, b, c)
        int pairsPerRow = 4096;
        int rowBytes = 2 * pairsPerRow;
        int rows = 32;
        int stride = rowBytes + 1;
        Random random = new Random(20261202);
        int mismatchedRows = 0;
        for (int a = 0; a < 256; a++) {
            byte[][] image = new byte[rows][rowBytes];
            byte[] batch = new byte[rows * stride];
            byte[] prior = new byte[rowBytes];
            for (int y = 0; y < rows; y++) {
                for (int m = 0; m < pairsPerRow; m++) {
                    int pair = (y / 2) * pairsPerRow + m;
                    if (y % 2 == 0) {
                        image[y][2 * m] = (byte) (pair >> 8);
                        image[y][2 * m + 1] = (byte) pair;
                    } else {
                        image[y][2 * m] = (byte) a;
                        image[y][2 * m + 1] = (byte) random.nextInt(256);
                    }
                }
                int type = y % 2 == 1 ? 4 : random.nextInt(5);
                batch[y * stride] = (byte) type;
                System.arraycopy(PngDecoderTest.filterRow(image[y], prior, 1, type), 0, batch, y * stride + 1,
                        rowBytes);
                prior = image[y];
            }
            PngUnfilter unfilter = PngUnfilter.forBatches(rowBytes, 1, rows);
            assertTrue(unfilter.usesBands());

            // when
            unfilter.batch(batch, rows, stride);

            // then
            for (int y = 0; y < rows; y++) {
                if (!java.util.Arrays.equals(image[y], 0, rowBytes, batch, y * stride + 1, (y + 1) * stride)) {
                    mismatchedRows++;
                }
            }
        }
        assertEquals(0, mismatchedRows, "rows that differ from the image that was filtered");
    }

    @Test
    void batch_shouldUndoEveryFilter_whenPixelSizesWidthsAndBatchesVary() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            // given: a random image (with flat runs, where Paeth ties), a random filter per row, read in batches
            // of a random size (a band is up to 32 rows, so most batches end in a partial band)
            int bpp = new int[] {1, 2, 3, 4, 6, 8}[random.nextInt(6)];
            int rowBytes = bpp * (VectorUnfilter.LANES + random.nextInt(trial < 100 ? 8 : 300));
            int height = 1 + random.nextInt(trial % 2 == 0 ? 200 : 120);
            int batchRows = 8 + random.nextInt(70);
            int stride = rowBytes + 1;
            byte[][] image = new byte[height][rowBytes];
            byte[] filtered = new byte[height * stride];
            byte[] prior = new byte[rowBytes];
            for (int y = 0; y < height; y++) {
                for (int i = 0; i < rowBytes; i++) {
                    image[y][i] = (byte) (random.nextInt(4) == 0 ? 128 : random.nextInt(256));
                }
                // In half the trials, stretches of 40 rows of none and up only, which go a row at a time between
                // bands (the row above must carry over both ways)
                boolean plain = trial % 2 == 0 && (y / 40) % 2 == 1;
                int type = plain ? 2 * random.nextInt(2) : random.nextInt(5);
                filtered[y * stride] = (byte) type;
                System.arraycopy(PngDecoderTest.filterRow(image[y], prior, bpp, type), 0, filtered, y * stride + 1,
                        rowBytes);
                prior = image[y];
            }
            PngUnfilter unfilter = PngUnfilter.forBatches(rowBytes, bpp, batchRows);
            assertTrue(unfilter.usesBands());
            byte[] batch = new byte[batchRows * stride];

            for (int y = 0; y < height; y += batchRows) {
                // when
                int rows = Math.min(batchRows, height - y);
                System.arraycopy(filtered, y * stride, batch, 0, rows * stride);
                unfilter.batch(batch, rows, stride);

                // then
                for (int r = 0; r < rows; r++) {
                    byte[] expected = image[y + r];
                    byte[] actual = java.util.Arrays.copyOfRange(batch, r * stride + 1, (r + 1) * stride);
                    assertArrayEquals(expected, actual, "trial " + trial + ", bpp " + bpp + ", " + rowBytes
                            + " bytes a row, batches of " + batchRows + ", row " + (y + r));
                }
            }
        }
    }

    @Test
    void batch_shouldThrowCorruptImage_whenARowsFilterTypeIsUnknown() {
        // given: a band whose third row has filter type 5, which PNG does not define
        int stride = 4;
        byte[] batch = new byte[8 * stride];
        batch[2 * stride] = 5;
        PngUnfilter unfilter = PngUnfilter.forBatches(3, 3, 8);

        // when / then
        assertThrows(CorruptImageException.class, () -> unfilter.batch(batch, 8, stride));
    }

    @Test
    void forBatches_shouldUnfilterRowByRow_whenRowsAreNarrowerThanABandsLanes() {
        // given: rows a pixel short of the lanes (a band's extra steps would cost more than it saves); when
        PngUnfilter unfilter = PngUnfilter.forBatches(3 * (VectorUnfilter.LANES - 1), 3, 64);

        // then
        assertFalse(unfilter.usesBands());
    }

    @Test
    void batch_shouldHoldNoMoreThanTheBudgetCounts_whenABandIsMade() {
        // given: rows of a 4000-pixel RGB image (12 000 bytes), 21 to a batch as the decoder reads them
        int rowBytes = 12_000;
        int stride = rowBytes + 1;
        int batchRows = (256 << 10) / stride;
        PngUnfilter unfilter = PngUnfilter.forBatches(rowBytes, 3, batchRows);
        byte[] batch = new byte[batchRows * stride];
        unfilter.batch(batch, batchRows, stride);
        assertEquals(0, unfilter.bandBytesHeld(), "no band before a row that chains");

        // when: a batch with a Paeth row
        batch[5 * stride] = 4;
        unfilter.batch(batch, batchRows, stride);

        // then
        assertEquals(PngUnfilter.bandBytes(rowBytes, 3, VectorUnfilter.LANES), unfilter.bandBytesHeld());
        assertTrue(unfilter.bandBytesHeld() + 2L * rowBytes <= PngUnfilter.bufferBytes(rowBytes, 3, batchRows));
    }

    @Test
    void forBatches_shouldUnfilterRowByRow_whenABatchHoldsTooFewRowsForABand() {
        // given: rows so wide that a batch holds one (a band would hold a skewed copy of 32 of them)
        // when
        PngUnfilter unfilter = PngUnfilter.forBatches(1 << 20, 3, 1);

        // then
        assertFalse(unfilter.usesBands());
        assertEquals(2L << 20, PngUnfilter.bufferBytes(1 << 20, 3, 1), "the budget counts no band either");
    }
}
