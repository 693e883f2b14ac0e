package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All eight EXIF orientations, end to end: a known upright picture is stored the way a camera would store it for
 * each orientation (built with java.awt's own affine transforms, independently of {@link Orientation}), tagged,
 * and must come out of the pipeline upright, with no orientation tag left.
 */
class OrientationTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void render_shouldShowImageUpright_forEveryExifOrientation(int orientation) {
        // given: upright 320x160 quadrants, stored transformed and tagged with the orientation
        BufferedImage upright = TestImages.quadrants(320, 160);
        BufferedImage stored = storedFor(upright, orientation);
        byte[] jpeg = TestImages.withOrientation(TestImages.encode(stored, "jpeg"), orientation);

        // when
        Thumbnail thumbnail = new ThumbnailPipeline(1_000_000, 90, false)
                .render(jpeg, 160, 160, FitMode.INSIDE, Deadline.none());

        // then
        BufferedImage out = TestImages.decode(thumbnail.bytes());
        assertEquals(160, out.getWidth());
        assertEquals(80, out.getHeight());
        assertColour(RED, out.getRGB(20, 20));
        assertColour(GREEN, out.getRGB(140, 20));
        assertColour(BLUE, out.getRGB(20, 60));
        assertColour(WHITE, out.getRGB(140, 60));
        assertEquals(1, JpegHeader.read(thumbnail.bytes()).orientation());
    }

    /** What a camera stores so that applying {@code orientation} shows {@code upright}: the inverse transform. */
    private static BufferedImage storedFor(BufferedImage upright, int orientation) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        boolean transposed = orientation >= 5;
        BufferedImage stored = new BufferedImage(transposed ? h : w, transposed ? w : h, BufferedImage.TYPE_3BYTE_BGR);
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> t = new AffineTransform(0, 1, 1, 0, 0, 0);     // transpose: (x, y) -> (y, x)
            case 6 -> { t.translate(0, w); t.rotate(-Math.PI / 2); } // stored = upright turned 90 CCW
            case 7 -> t = new AffineTransform(0, -1, -1, 0, h, w);   // transverse: (x, y) -> (h - y, w - x)
            case 8 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }  // stored = upright turned 90 CW
            default -> { }
        }
        Graphics2D g = stored.createGraphics();
        g.drawImage(upright, t, null);
        g.dispose();
        return stored;
    }

    private static void assertColour(int expected, int argb) {
        int rgb = argb & 0xFFFFFF;
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xFF;
            int a = (rgb >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) < 40, "expected " + Integer.toHexString(expected) + " got "
                    + Integer.toHexString(rgb));
        }
    }
}
