package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The area-averaging step in isolation. */
class PlaneReducerTest {

    @Test
    void result_shouldStayFlat_whenPlaneIsFlat_atAnyFactor() {
        for (int out : new int[] {1, 3, 7, 99, 100, 150}) {
            PlaneReducer reducer = new PlaneReducer(100, 50, 1, 1, 0, 0, 100, 50, out, Math.max(1, out / 2));
            byte[] row = new byte[100];
            java.util.Arrays.fill(row, (byte) 173);
            for (int y = 0; y < 50; y++) {
                reducer.row(y, row, 0, 1);
            }
            for (byte b : reducer.result()) {
                assertEquals(173, b & 0xFF, "out " + out);
            }
        }
    }

    @Test
    void result_shouldBeExactBoxMeans_whenFactorIsIntegral() {
        // given: 4x2 plane reduced by 2 -> 2x1
        PlaneReducer reducer = new PlaneReducer(4, 2, 1, 1, 0, 0, 4, 2, 2, 1);
        reducer.row(0, new byte[] {0, 100, (byte) 200, (byte) 255}, 0, 1);
        reducer.row(1, new byte[] {50, 50, 0, 1}, 0, 1);

        // then
        assertArrayEquals(new byte[] {50, (byte) 114}, reducer.result());
    }

    @Test
    void result_shouldWeightPartialCoverage_whenFactorIsFractional() {
        // given: 3 samples into 2 outputs: out0 = s0 + s1/2, out1 = s1/2 + s2 (each over 1.5)
        PlaneReducer reducer = new PlaneReducer(3, 1, 1, 1, 0, 0, 3, 1, 2, 1);
        reducer.row(0, new byte[] {0, 90, (byte) 180}, 0, 1);
        assertArrayEquals(new byte[] {30, (byte) 150}, reducer.result());
    }

    @Test
    void row_shouldReadOneChannel_whenStepSkipsInterleavedSamples() {
        PlaneReducer reducer = new PlaneReducer(2, 1, 1, 1, 0, 0, 2, 1, 1, 1);
        reducer.row(0, new byte[] {10, 99, 30, 99}, 0, 2);
        assertArrayEquals(new byte[] {20}, reducer.result());
    }

    @Test
    void wants_shouldSkipRowsOutsideTheRegion_whenCropping() {
        PlaneReducer reducer = new PlaneReducer(10, 100, 1, 1, 0, 25, 10, 50, 5, 5);
        assertEquals(25, reducer.firstRow());
        assertEquals(75, reducer.endRow());
    }
}
