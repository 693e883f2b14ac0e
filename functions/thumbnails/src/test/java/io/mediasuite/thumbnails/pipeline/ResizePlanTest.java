package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plan's DCT scale: what the JPEG decoder shrinks on load by, leaving the kernel enough to do. */
class ResizePlanTest {

    @ParameterizedTest(name = "{0}x{1} into {2}x{3}: 1/{4}")
    @CsvSource({
        // reduction 1.2: decode at full size
        "480, 369, 400, 300, 1",
        // 2.6: 1/2 would leave 1.3, under the 1.5 the kernel needs
        "3834, 3130, 1600, 1200, 1",
        // 3.7: 1/2 leaves 1.85
        "2725, 2225, 800, 600, 2",
        // 5.2: 1/4 leaves 1.3, over the 1.25 that scale needs
        "3834, 3130, 800, 600, 4",
        // 5.0 exactly: 1/4 leaves 1.25
        "4000, 3000, 800, 600, 4",
        // 4.8: 1/4 would leave 1.2; 1/2 leaves 2.4
        "3840, 2160, 800, 600, 2",
        // 9.6: 1/8 would leave 1.2, under the 1.6 it needs; 1/4 leaves 2.4
        "3840, 2160, 400, 300, 4",
        // 12: 1/8 needs 12.8
        "1800, 1200, 150, 150, 4",
        // 14.8: 1/8 leaves 1.85
        "5422, 4427, 367, 300, 8",
        // 36: 1/8 leaves 4.5
        "5422, 4427, 150, 150, 8",
    })
    void jpegShrink_shouldLeaveTheKernelItsGapPerScale_whenPickingTheDctScale(int width, int height, int boxWidth,
                                                                                 int boxHeight, int expected) {
        ResizePlan plan = ResizePlan.of(width, height, 1, boxWidth, boxHeight, FitMode.INSIDE);
        assertEquals(expected, plan.jpegShrink());
    }
}
