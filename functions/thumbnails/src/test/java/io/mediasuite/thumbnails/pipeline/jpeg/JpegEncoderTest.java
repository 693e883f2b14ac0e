package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.Reference;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JpegEncoder} against the JDK's libjpeg writer on real photo pixels: its files decode with libjpeg-turbo's
 * djpeg and with ImageIO, lose no more than the JDK's (PSNR) and weigh about the same, at every edge shape, grey,
 * and the extreme qualities. Needs djpeg (Debian {@code libjpeg-turbo-progs}), as {@link JpegCodingVariantsTest}.
 */
class JpegEncoderTest {

    @TempDir
    static Path dir;
    private static RasterImage photo;

    @BeforeAll
    static void decodePhoto() {
        JpegCodingVariantsTest.requireTool("djpeg");
        photo = new ThumbnailPipeline(100_000_000L, 80, false).pixels(TestImages.resource("small_480x369.jpg"), 480,
                369, FitMode.INSIDE, Deadline.none());
    }

    @Test
    void encode_shouldMatchTheJdkWritersPsnrAndSize_whenPhotoAtQuality80() throws Exception {
        for (RasterImage image : new RasterImage[] {photo, crop(photo, 390, 300, 3), crop(photo, 150, 113, 3)}) {
            String name = image.width() + "x" + image.height();
            byte[] ours = JpegEncoder.encode(image, 80);
            byte[] jdk = ImageIoJpegWriter.encode(image, 80, false);

            double ourPsnr = psnr(image, TestImages.decode(ours));
            double jdkPsnr = psnr(image, TestImages.decode(jdk));
            assertTrue(ourPsnr > jdkPsnr - 0.3, name + ": ImageIO PSNR " + ourPsnr + " vs JDK's file " + jdkPsnr);
            double ourDjpeg = psnr(image, djpeg(ours, name + "-ours"));
            double jdkDjpeg = psnr(image, djpeg(jdk, name + "-jdk"));
            assertTrue(ourDjpeg > jdkDjpeg - 0.3, name + ": djpeg PSNR " + ourDjpeg + " vs JDK's file " + jdkDjpeg);
            assertTrue(Math.abs(ours.length - jdk.length) < jdk.length * 0.03,
                    name + ": " + ours.length + " bytes vs JDK's " + jdk.length);
        }
    }

    @Test
    void encode_shouldDecodeToTheRightPixels_whenSidesAreOddOrNotMultiplesOf16() throws Exception {
        int[][] shapes = {{1, 1}, {7, 9}, {17, 33}, {33, 17}, {100, 1}, {1, 100}, {31, 31}, {250, 18}};
        for (int bands : new int[] {3, 1}) {
            for (int[] shape : shapes) {
                RasterImage image = crop(photo, shape[0], shape[1], bands);
                String name = shape[0] + "x" + shape[1] + "x" + bands;
                byte[] ours = JpegEncoder.encode(image, 95);
                byte[] jdk = ImageIoJpegWriter.encode(image, 95, false);
                BufferedImage viaDjpeg = djpeg(ours, name);
                assertEquals(shape[0], viaDjpeg.getWidth(), name);
                assertEquals(shape[1], viaDjpeg.getHeight(), name);
                double ourPsnr = psnr(image, viaDjpeg);
                double jdkPsnr = psnr(image, djpeg(jdk, name + "-jdk"));
                assertTrue(ourPsnr > jdkPsnr - 0.5, name + ": PSNR " + ourPsnr + " vs JDK's file " + jdkPsnr);
                // (ImageIO's grey images go through a gamma curve in getRGB: compare like with like)
                assertTrue(psnr(image, TestImages.decode(ours)) > psnr(image, TestImages.decode(jdk)) - 0.5,
                        name + " through ImageIO");
                assertEquals(bands, JpegHeader.read(ours).components.length, name);
            }
        }
    }

    @Test
    void encode_shouldMatchTheJdkWriter_whenImageIsGrey() throws Exception {
        RasterImage grey = crop(photo, 470, 350, 1);
        byte[] ours = JpegEncoder.encode(grey, 80);
        byte[] jdk = ImageIoJpegWriter.encode(grey, 80, false);
        assertEquals(1, JpegHeader.read(ours).components.length);
        double ourPsnr = psnr(grey, djpeg(ours, "grey"));
        double jdkPsnr = psnr(grey, djpeg(jdk, "grey-jdk"));
        assertTrue(ourPsnr > jdkPsnr - 0.3, ourPsnr + " vs " + jdkPsnr);
        assertTrue(Math.abs(ours.length - jdk.length) < jdk.length * 0.03, ours.length + " vs " + jdk.length);
    }

    @Test
    void encode_shouldWriteLibjpegsQuantisationTables_atEveryQuality() {
        for (int quality : new int[] {1, 10, 49, 50, 51, 80, 99, 100}) {
            RasterImage image = crop(photo, 32, 32, 3);
            assertArrayEquals(segment(ImageIoJpegWriter.encode(image, quality, false), 0xDB),
                    segment(JpegEncoder.encode(image, quality), 0xDB), "DQT at quality " + quality);
        }
    }

    @Test
    void encode_shouldStayDecodableAndSized_whenQualityIs1Or100() throws Exception {
        RasterImage image = crop(photo, 300, 200, 3);
        byte[] low = JpegEncoder.encode(image, 1);
        byte[] high = JpegEncoder.encode(image, 100);
        double lowPsnr = psnr(image, djpeg(low, "q1"));
        double highPsnr = psnr(image, djpeg(high, "q100"));
        assertTrue(lowPsnr > psnr(image, djpeg(ImageIoJpegWriter.encode(image, 1, false), "q1-jdk")) - 0.3);
        assertTrue(highPsnr > psnr(image, djpeg(ImageIoJpegWriter.encode(image, 100, false), "q100-jdk")) - 0.3);
        assertTrue(highPsnr > lowPsnr + 15, highPsnr + " vs " + lowPsnr);
        int jdkHigh = ImageIoJpegWriter.encode(image, 100, false).length;
        assertTrue(Math.abs(high.length - jdkHigh) < jdkHigh * 0.03, high.length + " vs " + jdkHigh);
    }

    @Test
    void encode_shouldStuffEveryFfByteAndLimitCodes_whenNoiseAtQuality100() throws Exception {
        // noise at quality 100: every symbol in use, long codes, many 0xFF bytes in the entropy-coded data
        byte[] pixels = new byte[257 * 129 * 3];
        new Random(5).nextBytes(pixels);
        RasterImage noise = new RasterImage(257, 129, 3, pixels);
        byte[] ours = JpegEncoder.encode(noise, 100);
        byte[] jdk = ImageIoJpegWriter.encode(noise, 100, false);
        double ourPsnr = psnr(noise, djpeg(ours, "noise"));
        assertTrue(ourPsnr > psnr(noise, djpeg(jdk, "noise-jdk")) - 0.3);
        assertEquals(Reference.rgb(djpeg(ours, "noise-again")).length, 257 * 129);
        assertTrue(Math.abs(ours.length - jdk.length) < jdk.length * 0.03, ours.length + " vs " + jdk.length);
    }

    @Test
    void encode_shouldWriteTheSameFile_whenTheSymbolRecordIsCappedAndBlocksAreCodedTwice() {
        byte[] pixels = new byte[97 * 61 * 3];
        new Random(9).nextBytes(pixels);
        for (RasterImage image : new RasterImage[] {photo, crop(photo, 200, 150, 1), new RasterImage(97, 61, 3,
                pixels)}) {
            for (int quality : new int[] {80, 100}) {
                byte[] recorded = JpegEncoder.encode(image, quality, Integer.MAX_VALUE);
                assertArrayEquals(recorded, JpegEncoder.encode(image, quality, 0), "no record at all");
                assertArrayEquals(recorded, JpegEncoder.encode(image, quality, 5000), "record given up midway");
                assertArrayEquals(recorded, JpegEncoder.encode(image, quality));
            }
        }
    }

    @Test
    void optimalHuffman_shouldLimitCodesTo16BitsAndStayComplete_whenCountsAreFibonacci() {
        // Fibonacci counts give the most skewed tree: 30 symbols would need codes of up to 29 bits
        int[] counts = new int[256];
        int a = 1;
        int b = 1;
        for (int s = 0; s < 30; s++) {
            counts[s] = a;
            int next = a + b;
            a = b;
            b = next;
        }
        JpegOptimalHuffman table = new JpegOptimalHuffman(counts, 0);
        double kraft = 0;
        for (int s = 0; s < 30; s++) {
            assertTrue(table.length[s] >= 1 && table.length[s] <= 16, "symbol " + s + ": " + table.length[s]);
            kraft += Math.pow(2, -table.length[s]);
        }
        assertTrue(kraft < 1.0, "one code of the longest length stays unused (no all-ones code): " + kraft);
        assertEquals(30, table.symbols.length);
        for (int s = 1; s < 29; s++) { // (symbols 0 and 1 are equally rare)
            assertTrue(table.length[s] >= table.length[s + 1], "rarer symbols get longer codes");
        }
        // prefix-free: no code is the start of another
        for (int s = 0; s < 30; s++) {
            for (int t = 0; t < 30; t++) {
                if (s != t && table.length[s] <= table.length[t]) {
                    assertTrue(table.code[t] >>> (table.length[t] - table.length[s]) != table.code[s], s + "/" + t);
                }
            }
        }
    }

    @Test
    void reciprocal_shouldDivideExactly_forEveryQuantiserAndNumerator() {
        for (int q = 1; q <= 255; q++) {
            int reciprocal = JpegForwardDct.reciprocal(q);
            for (int n = 0; n < 2048; n++) {
                assertEquals(n / q, n * reciprocal >>> JpegForwardDct.RECIPROCAL_BITS, n + " / " + q);
            }
        }
    }

    @Test
    void encodeRgb_shouldWriteTheSameFileAsInterleavedPixels_whenPlanesHoldTheSameImage() {
        for (int[] size : new int[][] {{1, 1}, {7, 9}, {33, 17}, {400, 300}, {401, 299}}) {
            // given: random R, G and B planes, and the same pixels interleaved
            int w = size[0];
            int h = size[1];
            Random random = new Random(w * 17L + h);
            byte[][] planes = new byte[3][w * h];
            byte[] rgb = new byte[w * h * 3];
            for (int i = 0; i < w * h; i++) {
                for (int c = 0; c < 3; c++) {
                    planes[c][i] = (byte) ((i % w) * 200 / Math.max(1, w) + c * 20 + random.nextInt(30));
                    rgb[3 * i + c] = planes[c][i];
                }
            }

            // when
            byte[] fromPlanes = JpegEncoder.encodeRgb(w, h, planes[0], planes[1], planes[2], 85);
            byte[] fromPixels = JpegEncoder.encode(new RasterImage(w, h, 3, rgb), 85);

            // then: the very same file
            assertArrayEquals(fromPixels, fromPlanes, w + "x" + h);
        }
    }

    @Test
    void encodeYcc_shouldMatchTheRgbEncode_whenPlanesHoldTheSameImage() {
        for (int[] size : new int[][] {{1, 1}, {7, 9}, {33, 17}, {400, 300}, {401, 299}}) {
            // given: Y at full size, Cb and Cr at 4:2:0 size, and the same image as RGB (chroma repeated 2x2, so
            // the RGB encoder's own 2x2 averaging gives the planes back)
            int w = size[0];
            int h = size[1];
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            Random random = new Random(w * 31L + h);
            byte[] y = new byte[w * h];
            byte[] cb = new byte[cw * ch];
            byte[] cr = new byte[cw * ch];
            for (int i = 0; i < y.length; i++) {
                y[i] = (byte) (60 + (i % w) * 120 / Math.max(1, w) + random.nextInt(8));
            }
            for (int i = 0; i < cb.length; i++) {
                cb[i] = (byte) (110 + (i % cw) * 30 / cw + random.nextInt(4));
                cr[i] = (byte) (140 - (i / cw) * 30 / ch + random.nextInt(4));
            }
            byte[] rgb = new byte[w * h * 3];
            for (int i = 0; i < w * h; i++) {
                int c = (i / w / 2) * cw + (i % w) / 2;
                double yy = y[i] & 0xFF;
                double u = (cb[c] & 0xFF) - 128;
                double v = (cr[c] & 0xFF) - 128;
                rgb[3 * i] = clamp(yy + 1.402 * v);
                rgb[3 * i + 1] = clamp(yy - 0.344136 * u - 0.714136 * v);
                rgb[3 * i + 2] = clamp(yy + 1.772 * u);
            }

            // when
            byte[] planar = JpegEncoder.encodeYcc(w, h, y, cb, cr, 90);
            byte[] interleaved = JpegEncoder.encode(new RasterImage(w, h, 3, rgb), 90);

            // then: both decode to the same picture, up to the RGB round trip's rounding
            BufferedImage a = TestImages.decode(planar);
            BufferedImage b = TestImages.decode(interleaved);
            assertEquals(w, a.getWidth());
            assertEquals(h, a.getHeight());
            double psnr = Reference.psnr(Reference.rgb(a), Reference.rgb(b));
            assertTrue(psnr > 40, w + "x" + h + ": PSNR " + psnr);
        }
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    @Test
    void encode_shouldRefuseAlphaAndBadQuality_whenCalledWrongly() {
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(new RasterImage(2, 2, 4,
                new byte[16]), 80));
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(crop(photo, 8, 8, 3), 0));
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(crop(photo, 8, 8, 3), 101));
    }

    /** A {@code w x h} piece of the photo from about (40, 30), as RGB or as its BT.601 luma. */
    private static RasterImage crop(RasterImage source, int w, int h, int bands) {
        int left = Math.min(40, source.width() - w);
        int top = Math.min(30, source.height() - h);
        byte[] out = new byte[w * h * bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = left + x;
                int sy = top + y;
                int r = source.sample(sx, sy, 0);
                int g = source.sample(sx, sy, 1);
                int b = source.sample(sx, sy, 2);
                if (bands == 1) {
                    out[y * w + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    int i = (y * w + x) * 3;
                    out[i] = (byte) r;
                    out[i + 1] = (byte) g;
                    out[i + 2] = (byte) b;
                }
            }
        }
        return new RasterImage(w, h, bands, out);
    }

    private static BufferedImage djpeg(byte[] jpeg, String name) throws Exception {
        Path file = dir.resolve(name + ".jpg");
        Files.write(file, jpeg);
        return JpegCodingVariantsTest.djpeg(file);
    }

    private static double psnr(RasterImage reference, BufferedImage decoded) {
        assertEquals(reference.width(), decoded.getWidth());
        assertEquals(reference.height(), decoded.getHeight());
        return Reference.psnr(JpegCodingVariantsTest.packed(reference), Reference.rgb(decoded));
    }

    /** The bodies of every marker segment of one kind, concatenated (the JDK writes one DQT per table). */
    private static byte[] segment(byte[] jpeg, int marker) {
        byte[] out = new byte[0];
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p + 1] & 0xFF) != 0xDA) {
            int length = (jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF;
            if ((jpeg[p + 1] & 0xFF) == marker) {
                byte[] body = Arrays.copyOfRange(jpeg, p + 4, p + 2 + length);
                byte[] joined = Arrays.copyOf(out, out.length + body.length);
                System.arraycopy(body, 0, joined, out.length, body.length);
                out = joined;
            }
            p += 2 + length;
        }
        return out;
    }
}
