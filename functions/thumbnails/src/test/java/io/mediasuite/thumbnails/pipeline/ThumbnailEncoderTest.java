package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/** The encode step and the ImageIO traps around it. */
class ThumbnailEncoderTest {

    @Test
    void imageIoWrite_returnsFalseAndWritesNothing_forAlphaAsJpeg_whichIsTheTrapTheEncoderAvoids() throws Exception {
        // given: the trap
        BufferedImage argb = TestImages.photoLike(64, 64, BufferedImage.TYPE_INT_ARGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(ImageIO.write(argb, "jpeg", out));
        assertEquals(0, out.size());

        // when: our encoder is handed an RGBA raster for JPEG
        byte[] pixels = new byte[64 * 64 * 4];
        for (int i = 0; i < 64 * 64; i++) {
            pixels[i * 4] = (byte) 200;
            pixels[i * 4 + 3] = (byte) (i % 64 < 32 ? 255 : 0);
        }
        byte[] jpeg = new ThumbnailEncoder(80, false).encode(new RasterImage(64, 64, 4, pixels), OutputFormat.JPEG);

        // then: a real JPEG, alpha composited over white
        BufferedImage decoded = TestImages.decode(jpeg);
        assertEquals(64, decoded.getWidth());
        assertTrue((decoded.getRGB(10, 10) >> 16 & 0xFF) > 180 && (decoded.getRGB(10, 10) & 0xFF) < 40);
        assertTrue((decoded.getRGB(50, 10) & 0xFF) > 230, "transparent half is white");
    }

    @Test
    void encode_shouldWriteGreyJpegOverWhite_whenImageIsGreyWithAlpha() {
        // left half opaque grey 60, right half fully transparent
        byte[] pixels = new byte[48 * 32 * 2];
        for (int i = 0; i < 48 * 32; i++) {
            pixels[i * 2] = 60;
            pixels[i * 2 + 1] = (byte) (i % 48 < 24 ? 255 : 0);
        }
        byte[] jpeg = new ThumbnailEncoder(80, false).encode(new RasterImage(48, 32, 2, pixels), OutputFormat.JPEG);

        assertEquals(1, JpegHeader.read(jpeg).components().size());
        // the raster's own samples: getRGB would pass ImageIO's grey through a gamma curve
        Raster decoded = TestImages.decode(jpeg).getRaster();
        assertEquals(1, decoded.getNumBands());
        assertTrue(Math.abs(decoded.getSample(8, 16, 0) - 60) <= 3, "opaque half keeps its grey");
        assertTrue(decoded.getSample(40, 16, 0) >= 250, "transparent half is white");
    }

    @Test
    void render_shouldProduceProgressiveJpeg_whenConfigured() {
        byte[] source = TestImages.encode(TestImages.photoLike(300, 200, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        Thumbnail thumbnail = new ThumbnailPipeline(1_000_000, 80, true)
                .render(source, 150, 150, FitMode.INSIDE, Deadline.none());
        assertTrue(JpegHeader.read(thumbnail.bytes()).progressive());
        Thumbnail baseline = new ThumbnailPipeline(1_000_000, 80, false)
                .render(source, 150, 150, FitMode.INSIDE, Deadline.none());
        assertFalse(JpegHeader.read(baseline.bytes()).progressive());
    }

    @Test
    void render_shouldLowerSizeWithQuality() {
        byte[] source = TestImages.encode(TestImages.photoLike(600, 400, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        int high = new ThumbnailPipeline(1_000_000, 95, false).render(source, 400, 300, FitMode.INSIDE,
                Deadline.none()).bytes().length;
        int low = new ThumbnailPipeline(1_000_000, 40, false).render(source, 400, 300, FitMode.INSIDE,
                Deadline.none()).bytes().length;
        assertTrue(low < high * 0.7, low + " vs " + high);
    }

    @Test
    void render_shouldTurnGifIntoPngOfItsFirstFrame_andKeepPngAsPng() {
        byte[] gif = TestImages.encode(TestImages.quadrants(200, 100), "gif");
        Thumbnail fromGif = new ThumbnailPipeline(1_000_000, 80, false)
                .render(gif, 100, 100, FitMode.INSIDE, Deadline.none());
        assertEquals(OutputFormat.PNG, fromGif.format());
        assertEquals(100, fromGif.width());
        assertEquals(50, fromGif.height());
        assertEquals(0xFF0000, TestImages.decode(fromGif.bytes()).getRGB(10, 10) & 0xFFFFFF);

        byte[] png = TestImages.encode(TestImages.photoLike(200, 100, BufferedImage.TYPE_INT_ARGB), "png");
        Thumbnail fromPng = new ThumbnailPipeline(1_000_000, 80, false)
                .render(png, 100, 100, FitMode.INSIDE, Deadline.none());
        assertEquals(OutputFormat.PNG, fromPng.format());
        assertTrue(TestImages.decode(fromPng.bytes()).getColorModel().hasAlpha());
    }

    @Test
    void render_shouldWriteNoExifOrIcc_evenWhenTheSourceHadThem() {
        // given: a JPEG with EXIF orientation 6 and (in the corpus copy) an ICC profile
        byte[] source = TestImages.withOrientation(TestImages.resource("small_480x369.jpg"), 6);
        assertTrue(JpegHeader.read(source).icc() != null);

        // when
        byte[] out = new ThumbnailPipeline(1_000_000, 80, false)
                .render(source, 400, 300, FitMode.INSIDE, Deadline.none()).bytes();

        // then
        JpegHeader header = JpegHeader.read(out);
        assertEquals(1, header.orientation());
        assertEquals(null, header.icc());
        assertTrue(indexOf(out, "Exif") < 0);
    }

    @Test
    void pipeline_shouldSwitchImageIoDiskCacheOff() {
        new ThumbnailPipeline(1, 80, false);
        assertFalse(ImageIO.getUseCache(), "ImageIO's disk cache slows reads 10-110 % and writes to /tmp");
    }

    private static int indexOf(byte[] data, String text) {
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A progressive JPEG written by the JDK's encoder (libjpeg's default progression script). */
    static byte[] progressiveJpeg(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
