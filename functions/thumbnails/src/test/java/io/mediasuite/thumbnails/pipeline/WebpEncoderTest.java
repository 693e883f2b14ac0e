package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The WebP encode step. Our own output is decoded back with the library's reader, instantiated directly: trusted
 * bytes, in a test; the service never reaches that reader.
 */
class WebpEncoderTest {

    @Test
    void render_shouldAnswerLossyWebpCloseToTheJpegPixels_whenWebpIsAsked() throws IOException {
        byte[] source = TestImages.encode(TestImages.photoLike(600, 400, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        ThumbnailPipeline pipeline = new ThumbnailPipeline(1_000_000, 90, false, 90);

        Thumbnail webp = pipeline.render(source, 300, 300, FitMode.INSIDE, true, Deadline.none());
        Thumbnail jpeg = pipeline.render(source, 300, 300, FitMode.INSIDE, false, Deadline.none());

        assertEquals(OutputFormat.WEBP, webp.format());
        assertEquals("image/webp", webp.contentType());
        assertEquals("RIFF", ascii(webp.bytes(), 0, 4));
        assertEquals("WEBP", ascii(webp.bytes(), 8, 4));
        assertEquals("VP8 ", ascii(webp.bytes(), 12, 4), "lossy, no alpha chunk for an opaque image");
        assertEquals(webp.bytes().length - 8, littleEndianInt(webp.bytes(), 4), "RIFF size covers the file");
        BufferedImage decodedWebp = TestImages.decodeWebp(webp.bytes());
        BufferedImage decodedJpeg = TestImages.decode(jpeg.bytes());
        assertEquals(300, decodedWebp.getWidth());
        assertEquals(200, decodedWebp.getHeight());
        double error = meanAbsoluteError(decodedWebp, decodedJpeg);
        assertTrue(error < 4.0, "WebP and JPEG of the same pixels differ by " + error + " per channel");
    }

    @Test
    void render_shouldAnswerTheSourceFormat_whenTheThumbnailIsWiderThanWebpAllows() throws IOException {
        // given: a 17 000 x 300 panorama (within the guard's limits) into a box with a free width, where it is not
        // enlarged and so stays wider than WebP's 16 383
        byte[] source = TestImages.encode(TestImages.photoLike(17_000, 300, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000, 80, false);

        // when
        Thumbnail thumbnail = pipeline.render(source, 0, 600, FitMode.INSIDE, true, Deadline.none());

        // then: a JPEG of the full width, not a failure
        assertEquals(OutputFormat.JPEG, thumbnail.format());
        assertEquals(17_000, thumbnail.width());
        assertEquals(17_000, TestImages.decode(thumbnail.bytes()).getWidth());
    }

    @Test
    void encode_shouldKeepAlpha_whenRgba() throws IOException {
        byte[] pixels = new byte[64 * 64 * 4];
        for (int i = 0; i < 64 * 64; i++) {
            pixels[i * 4] = (byte) 200;
            pixels[i * 4 + 3] = (byte) (i % 64 < 32 ? 255 : 0);
        }
        byte[] webp = new WebpEncoder(80).encode(new RasterImage(64, 64, 4, pixels));

        assertEquals("VP8X", ascii(webp, 12, 4), "extended format");
        assertTrue((webp[20] & 0x10) != 0, "alpha flag set");
        BufferedImage decoded = TestImages.decodeWebp(webp);
        assertTrue((decoded.getRGB(10, 10) >>> 24) > 250, "opaque half stays opaque");
        assertTrue((decoded.getRGB(50, 10) >>> 24) < 5, "transparent half stays transparent");
        assertTrue((decoded.getRGB(10, 10) >> 16 & 0xFF) > 180);
    }

    @Test
    void encode_shouldWidenGrayToRgb_whenGrayOrGrayAlpha() throws IOException {
        byte[] gray = new byte[32 * 16];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) (i % 32 * 8);
        }
        BufferedImage decoded = TestImages.decodeWebp(new WebpEncoder(95).encode(new RasterImage(32, 16, 1, gray)));
        int rgb = decoded.getRGB(20, 5);
        assertEquals(32, decoded.getWidth());
        assertTrue(Math.abs((rgb >> 16 & 0xFF) - 160) < 12 && Math.abs((rgb & 0xFF) - 160) < 12, "gray kept: " + rgb);

        RasterImage grayAlpha = WebpEncoder.widenGray(new RasterImage(1, 1, 2, new byte[] {7, 9}));
        assertEquals(4, grayAlpha.bands());
        assertEquals(7, grayAlpha.sample(0, 0, 2));
        assertEquals(9, grayAlpha.sample(0, 0, 3));
    }

    @Test
    void encode_shouldShrinkWithQuality() {
        RasterImage image = rgb(TestImages.photoLike(400, 300, BufferedImage.TYPE_3BYTE_BGR));
        int high = new WebpEncoder(95).encode(image).length;
        int low = new WebpEncoder(30).encode(image).length;
        assertTrue(low < high * 0.7, "q30 " + low + " vs q95 " + high);
        assertThrows(IllegalArgumentException.class, () -> new WebpEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new WebpEncoder(101));
    }

    @Test
    void checkAvailable_shouldLoadTheNativeLibrary_onLinuxX8664() {
        assertDoesNotThrow(WebpEncoder::checkAvailable);
    }

    @Test
    void imageIo_shouldOfferNoWebpReader_soUntrustedWebpNeverReachesTheBundledLibwebp() {
        new WebpEncoder(80); // loads the class, which deregisters the reader
        assertFalse(ImageIO.getImageReadersByFormatName("webp").hasNext());
        assertFalse(ImageIO.getImageReadersByMIMEType("image/webp").hasNext());
        byte[] webp = new WebpEncoder(80).encode(rgb(TestImages.photoLike(40, 30, BufferedImage.TYPE_3BYTE_BGR)));
        ApiException refused = assertThrows(ApiException.class, () -> new ThumbnailPipeline(1_000_000, 80, false)
                .render(webp, 20, 20, FitMode.INSIDE, true, Deadline.none()));
        assertEquals(415, refused.kind().status());
    }

    private static RasterImage rgb(BufferedImage image) {
        byte[] pixels = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0, i = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                pixels[i++] = (byte) (rgb >> 16);
                pixels[i++] = (byte) (rgb >> 8);
                pixels[i++] = (byte) rgb;
            }
        }
        return new RasterImage(image.getWidth(), image.getHeight(), 3, pixels);
    }

    private static double meanAbsoluteError(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.US_ASCII);
    }

    private static int littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16
                | (b[offset + 3] & 0xFF) << 24;
    }
}
