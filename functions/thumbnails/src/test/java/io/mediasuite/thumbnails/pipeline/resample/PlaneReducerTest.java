package io.mediasuite.thumbnails.pipeline.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.pipeline.Reference;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The resampling step (box pre-shrink + Lanczos3) in isolation. */
class PlaneReducerTest {

    @Test
    void result_shouldStayFlat_whenPlaneIsFlat_atAnyFactor() {
        for (int out : new int[] {1, 3, 7, 99, 100, 150}) {
            assertFlat(100, 50, 1, out, Math.max(1, out / 2));
        }
    }

    @Test
    void result_shouldStayFlat_whenEnlargingAPlane_likeChromaAtFourTwoZero() {
        // given: a 4:2:0 chroma plane at 1/8 scale enlarged by 1/0.6 vertically: neighbouring kernels end out of
        // order where one has a zero tap trimmed, which once made two output rows share an accumulator (stripes)
        assertFlat(4, 135, 16, 2, 225);
        assertFlat(240, 135, 16, 400, 225);
        for (int out = 2; out < 60; out += 3) {
            assertFlat(7, 20, 1, 7, out);
        }
    }

    @Test
    void result_shouldCopyThePlane_whenOutputIsThePlaneSize() {
        PlaneReducer reducer = new PlaneReducer(5, 2, 1, 1, 0, 0, 5, 2, 5, 2);
        byte[] first = {0, 10, (byte) 200, (byte) 255, 7};
        byte[] second = {9, 8, 7, 6, 5};
        reducer.row(0, first, 0, 1);
        reducer.row(1, second, 0, 1);
        assertArrayEquals(new byte[] {0, 10, (byte) 200, (byte) 255, 7, 9, 8, 7, 6, 5}, reducer.result());
    }

    @Test
    void result_shouldFillEveryOutputRow_whenOnePlaneRowFeedsSeveral() {
        // given: a one-row chroma plane (a 2-pixel-high 4:2:0 JPEG) shown on two rows: every output sample is the
        // plane sample at full weight, which once passed for a plain copy and left the second row at zero
        PlaneReducer reducer = new PlaneReducer(3, 1, 1, 1, 2, 0, 0, 3, 2, 3, 2);
        reducer.row(0, new byte[] {77, 77, 77}, 0, 1);
        assertArrayEquals(new byte[] {77, 77, 77, 77, 77, 77}, reducer.result());
    }

    @Test
    void result_shouldCopyTheRegion_whenCroppingAtScaleOne() {
        // given: a 10x6 RGB plane of distinct samples, the 5x3 region at (2, 1) shown at 5x3
        byte[] rgb = new byte[10 * 6 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7);
        }
        PlaneReducer reducer = new PlaneReducer(10, 6, 3, 1, 1, 2, 1, 5, 3, 5, 3);
        assertEquals(1, reducer.firstRow());
        assertEquals(4, reducer.endRow());
        for (int y = 0; y < 6; y++) {
            reducer.row(y, rgb, y * 30, 3);
        }

        // then: exactly the region's samples, channel by channel
        for (int c = 0; c < 3; c++) {
            byte[] plane = reducer.result(c);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    assertEquals(rgb[((y + 1) * 10 + x + 2) * 3 + c], plane[y * 5 + x], "c" + c + " " + x + "," + y);
                }
            }
        }
    }

    @Test
    void result_shouldMatchLibjpegFancyUpsampling_whenChromaIsDoubledAtScaleOne() {
        // given: a chroma row of two samples, each covering 2 pixels, shown on 4 pixels
        PlaneReducer reducer = new PlaneReducer(2, 1, 1, 2, 1, 0, 0, 4, 1, 4, 1, true, false);
        reducer.row(0, new byte[] {0, (byte) 200}, 0, 1);

        // then: libjpeg's triangle filter, 3/4 of the nearer sample and 1/4 of the farther (edges repeat)
        assertArrayEquals(new byte[] {0, 50, (byte) 150, (byte) 200}, reducer.result());
    }

    @Test
    void result_shouldMatchDoublePrecisionLanczos3_whenReducingWithoutBoxStage() {
        // given: a random smooth RGB image reduced by 3 (the kernel alone: no box pre-shrink below 4)
        assertNearLanczos3(240, 180, 80, 60, 11);
    }

    @Test
    void result_shouldMatchDoublePrecisionLanczos3_whenOutputSpansSeveralTilesAndBands() {
        // given: 203 output columns (6 full tiles of the horizontal pass and a partial one, whose transposed
        // columns overlap their neighbours') and 143 output rows (two full bands and a partial one), by 2.6
        assertNearLanczos3(528, 372, 203, 143, 13);
    }

    private static void assertNearLanczos3(int w, int h, int outW, int outH, long seed) {
        BufferedImage image = smoothImage(w, h, seed);
        PlaneReducer reducer = reduced(image, outW, outH);
        assertEquals(1, reducer.boxX());

        // then: fixed point rounds twice, so within two levels of the double-precision reference, mostly equal
        int[] expected = Reference.lanczos3(image, outW, outH);
        int worst = 0;
        int off = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < 3; c++) {
                int want = (expected[i] >> (16 - 8 * c)) & 0xFF;
                int diff = Math.abs(want - (reducer.result(c)[i] & 0xFF));
                worst = Math.max(worst, diff);
                off += diff > 0 ? 1 : 0;
            }
        }
        assertTrue(worst <= 2, "worst difference " + worst);
        assertTrue(off < expected.length * 3 / 10, off + " samples differ");
    }

    @Test
    void result_shouldStayCloseToLanczos3_whenABoxStageRunsFirst() {
        // given: a reduction by 10, box 5 then the kernel by 2
        int w = 400;
        int h = 300;
        BufferedImage image = smoothImage(w, h, 12);
        PlaneReducer reducer = reduced(image, 40, 30);
        assertEquals(5, reducer.boxX());
        assertEquals(5, reducer.boxY());

        // then: PSNR against the full Lanczos3 reduction stays high (the box stage only softens a little)
        int[] expected = Reference.lanczos3(image, 40, 30);
        int[] actual = new int[expected.length];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = (reducer.result(0)[i] & 0xFF) << 16 | (reducer.result(1)[i] & 0xFF) << 8
                    | reducer.result(2)[i] & 0xFF;
        }
        double psnr = Reference.psnr(actual, expected);
        assertTrue(psnr > 40, "PSNR " + psnr);
    }

    @Test
    void boxFactor_shouldLeaveTheKernelBetweenTwoAndFour_whenReducingALot() {
        assertEquals(1, PlaneReducer.boxFactor(1.2, 1000));
        assertEquals(1, PlaneReducer.boxFactor(3.9, 1000));
        assertEquals(2, PlaneReducer.boxFactor(4.0, 1000));
        assertEquals(4, PlaneReducer.boxFactor(9.6, 1000));
        assertEquals(3, PlaneReducer.boxFactor(1000, 3));
    }

    @Test
    void row_shouldReadOneChannel_whenStepSkipsInterleavedSamples() {
        PlaneReducer reducer = new PlaneReducer(2, 1, 1, 1, 0, 0, 2, 1, 1, 1);
        reducer.row(0, new byte[] {10, 99, 30, 99}, 0, 2);
        assertArrayEquals(new byte[] {20}, reducer.result());
    }

    @Test
    void wants_shouldSkipRowsOutsideTheKernelWindow_whenCropping() {
        // given: rows 250-750 of 1000 shown on 50 output rows (box 5, then the kernel by 2: a window of 6 kernel
        // rows, 30 plane rows, each side of an output row's centre)
        PlaneReducer reducer = new PlaneReducer(10, 1000, 1, 1, 0, 250, 10, 500, 5, 50);

        // then: the window reaches a little past the region, not to the plane's ends
        assertTrue(reducer.firstRow() >= 200 && reducer.firstRow() < 250, "first " + reducer.firstRow());
        assertTrue(reducer.endRow() > 750 && reducer.endRow() <= 800, "end " + reducer.endRow());
        assertTrue(!reducer.wants(reducer.firstRow() - 1) && reducer.wants(reducer.firstRow()));
    }

    @Test
    void result_shouldAverageThePartialLastBlock_whenThePlaneIsNotAMultipleOfTheBox() {
        // given: 10 columns boxed by 4 (blocks of 4, 4 and 2), a flat plane: the short block must not darken
        assertFlat(10, 10, 1, 1, 1);
        assertFlat(1003, 7, 1, 100, 1);
    }

    @Test
    void result_shouldKeepEachChannelFlat_whenBoxingInterleavedChannels() {
        // given: flat planes of 2, 3 and 4 interleaved channels (each channel its own level), 1003 columns boxed
        // (the last block short) and reduced to 100 x 1: each channel's pass of the box stage keeps its level
        for (int channels = 2; channels <= 4; channels++) {
            int width = 1003;
            int height = 9;
            PlaneReducer reducer = new PlaneReducer(width, height, channels, 1, 1, 0, 0, width, height, 100, 1);
            assertTrue(reducer.boxX() > 1, "the box stage runs");
            byte[] row = new byte[width * channels];
            for (int i = 0; i < row.length; i++) {
                row[i] = (byte) (40 + 50 * (i % channels));
            }
            for (int y = 0; y < height; y++) {
                reducer.row(y, row, 0, channels);
            }
            for (int c = 0; c < channels; c++) {
                for (byte v : reducer.result(c)) {
                    assertEquals(40 + 50 * c, v & 0xFF, channels + " channels, channel " + c);
                }
            }
        }
    }

    private static void assertFlat(int planeWidth, int planeHeight, double sample, int outWidth, int outHeight) {
        PlaneReducer reducer = new PlaneReducer(planeWidth, planeHeight, sample, sample, 0, 0,
                planeWidth * sample, planeHeight * sample, outWidth, outHeight);
        byte[] row = new byte[planeWidth];
        java.util.Arrays.fill(row, (byte) 173);
        for (int y = 0; y < planeHeight; y++) {
            reducer.row(y, row, 0, 1);
        }
        byte[] out = reducer.result();
        assertEquals(outWidth * outHeight, out.length);
        for (int i = 0; i < out.length; i++) {
            assertEquals(173, out[i] & 0xFF, planeWidth + "x" + planeHeight + " -> " + outWidth + "x" + outHeight
                    + " at " + i);
        }
    }

    /** Random low-frequency content (a sum of a few sines per channel): resampling differences show, noise not. */
    private static BufferedImage smoothImage(int w, int h, long seed) {
        Random random = new Random(seed);
        double[][] f = new double[3][6];
        for (double[] c : f) {
            for (int k = 0; k < c.length; k++) {
                c[k] = random.nextDouble() * 0.2;
            }
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int packed = 0;
                for (double[] c : f) {
                    double v = 128 + 60 * Math.sin(x * c[0] + y * c[1] + c[2]) + 60 * Math.sin(x * c[3] - y * c[4]);
                    packed = packed << 8 | (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                image.setRGB(x, y, packed);
            }
        }
        return image;
    }

    /** The whole image, as interleaved RGB rows, through a reducer to {@code outWidth x outHeight}. */
    private static PlaneReducer reduced(BufferedImage image, int outWidth, int outHeight) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int p = image.getRGB(i % w, i / w);
            rgb[3 * i] = (byte) (p >> 16);
            rgb[3 * i + 1] = (byte) (p >> 8);
            rgb[3 * i + 2] = (byte) p;
        }
        PlaneReducer reducer = new PlaneReducer(w, h, 3, 1, 1, 0, 0, w, h, outWidth, outHeight);
        for (int y = 0; y < h; y++) {
            reducer.row(y, rgb, y * w * 3, 3);
        }
        return reducer;
    }
}
