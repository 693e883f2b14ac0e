package io.mediasuite.thumbnails.pipeline.colour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.ReducedImage;
import org.junit.jupiter.api.Test;

/**
 * CMYK through an embedded printer profile, as Photoshop writes them: the colour step must render with the
 * profile's perceptual table, where full ink is black, as libvips (sharp) and TwelveMonkeys do. The profiles are
 * {@link PrinterProfiles}: neutral, with a colorimetric black of L* 12 that a relative colorimetric rendering
 * would show as RGB (32, 32, 32).
 */
class ColourConverterCmykTest {

    /** Ink combinations at grid corners (exact in any interpolation): C, M, Y, K with 0 = no ink. */
    private static final int[][] INKS = {
        {0, 0, 0, 0}, {255, 0, 0, 0}, {0, 255, 0, 0}, {255, 255, 0, 0}, {255, 255, 255, 0},
        {0, 0, 0, 255}, {255, 255, 255, 255},
    };

    private final byte[] profile = PrinterProfiles.neutralCmyk(12);

    @Test
    void toSrgb_shouldRenderFullInkAsBlack_whenPrinterProfileHasADarkGreyColorimetricBlack() {
        // when
        RasterImage rgb = ColourConverter.toSrgb(image(ColourKind.CMYK, false, new int[] {0, 0, 0, 255}));

        // then: the perceptual black, not the press's L* 12 (RGB 32)
        for (int band = 0; band < 3; band++) {
            assertTrue(rgb.sample(0, 0, band) <= 2, "band " + band + ": " + rgb.sample(0, 0, band));
        }
    }

    @Test
    void toSrgb_shouldFollowThePerceptualTable_forEveryInkCorner() {
        for (int[] ink : INKS) {
            // when
            RasterImage rgb = ColourConverter.toSrgb(image(ColourKind.CMYK, false, ink));

            // then: neutral grey of the perceptual table's L*, computed here from the CIE formulas
            int expected = srgbGrey(perceptualLightness(ink));
            for (int band = 0; band < 3; band++) {
                int actual = rgb.sample(0, 0, band);
                assertTrue(Math.abs(actual - expected) <= 3,
                        java.util.Arrays.toString(ink) + " band " + band + ": " + actual + " vs " + expected);
            }
        }
    }

    @Test
    void toSrgb_shouldReadAdobeInvertedSamplesAsInk_whenCmykInverted() {
        for (int[] ink : INKS) {
            // when: Adobe stores 255 - ink
            RasterImage inverted = ColourConverter.toSrgb(image(ColourKind.CMYK_INVERTED, true, ink));
            RasterImage plain = ColourConverter.toSrgb(image(ColourKind.CMYK, false, ink));

            // then
            for (int band = 0; band < 3; band++) {
                assertEquals(plain.sample(0, 0, band), inverted.sample(0, 0, band), java.util.Arrays.toString(ink));
            }
        }
    }

    private ReducedImage image(ColourKind kind, boolean invert, int[] ink) {
        byte[][] planes = new byte[4][1];
        for (int c = 0; c < 4; c++) {
            planes[c][0] = (byte) (invert ? 255 - ink[c] : ink[c]);
        }
        return new ReducedImage(1, 1, kind, planes, null, profile);
    }

    /** What {@link PrinterProfiles}' perceptual table says at a grid corner. */
    private static double perceptualLightness(int[] ink) {
        if (ink[3] == 255) {
            return 0;
        }
        int inks = (ink[0] == 255 ? 1 : 0) + (ink[1] == 255 ? 1 : 0) + (ink[2] == 255 ? 1 : 0);
        return 100 * Math.pow(0.75, inks);
    }

    /** sRGB code value of a neutral of lightness {@code l} (CIE L*, D50 white adapted to sRGB's white). */
    private static int srgbGrey(double l) {
        double f = (l + 16) / 116;
        double y = l > 8 ? f * f * f : l / 903.3;
        double v = y <= 0.0031308 ? 12.92 * y : 1.055 * Math.pow(y, 1 / 2.4) - 0.055;
        return (int) Math.round(v * 255);
    }
}
