package io.mediasuite.thumbnails.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The guard step: formats by signature, limits from headers, bombs refused without allocating their pixels. */
class SourceGuardTest {

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000L, 80, false);

    @Test
    void render_shouldRefuseWith413WithoutAllocating_whenPngDeclares100000x100000() {
        // given: a valid 100 000 x 100 000 PNG header with a small zlib stream of zero rows (a classic bomb)
        byte[] bomb = png(100_000, 100_000, 1 << 20);
        assertTrue(bomb.length < 10_000, "bomb is " + bomb.length + " bytes");

        // when
        long allocated = allocatedBy(() -> assertStatus(413, () -> pipeline.render(bomb, 400, 300, FitMode.INSIDE,
                Deadline.none())));

        // then: refused from the header; nothing near the 40 GB the pixels would need was allocated
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void render_shouldRefuseWith413_whenJpegDeclares280Megapixels() {
        // given: a real small JPEG whose SOF claims 20000 x 14000 (the "1 MB JPEG, 734 MB decode" trap)
        byte[] jpeg = TestImages.resource("small_480x369.jpg").clone();
        int sof = indexOfMarker(jpeg, 0xC0);
        jpeg[sof + 5] = (byte) (14000 >> 8);
        jpeg[sof + 6] = (byte) (14000 & 0xFF);
        jpeg[sof + 7] = (byte) (20000 >> 8);
        jpeg[sof + 8] = (byte) (20000 & 0xFF);

        // when / then
        long allocated = allocatedBy(() -> assertStatus(413, () -> pipeline.render(jpeg, 400, 300, FitMode.INSIDE,
                Deadline.none())));
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void inspect_shouldReadDimensionsAndOrientation_fromHeadersOnly() {
        SourceInfo jpeg = pipeline.inspect(TestImages.withOrientation(TestImages.resource("small_480x369.jpg"), 6));
        assertEquals(ImageFormat.JPEG, jpeg.format());
        assertEquals(480, jpeg.width());
        assertEquals(369, jpeg.height());
        SourceInfo png = pipeline.inspect(TestImages.resource("16bit_900x600.png"));
        assertEquals(900, png.width());
        assertEquals(600, png.height());
    }

    @Test
    void render_shouldRefuseWith415_whenWebpTiffOrText() {
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 0000000000000000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] text = "<html>not an image</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] data : new byte[][] {webp, tiff, text, new byte[0]}) {
            assertStatus(415, () -> pipeline.render(data, 400, 300, FitMode.INSIDE, Deadline.none()));
        }
    }

    @Test
    void render_shouldRefuseGifWhoseFirstFrameExceedsTheLimit_evenWithATinyScreen() {
        // given: logical screen 1x1, first frame declared 60000 x 60000
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0,
            0x2C, 0, 0, 0, 0, (byte) 0x60, (byte) 0xEA, (byte) 0x60, (byte) 0xEA, 0, 2, 2, 0x4C, 1, 0, 0x3B};

        // when / then
        assertStatus(413, () -> pipeline.render(gif, 400, 300, FitMode.INSIDE, Deadline.none()));
    }

    static void assertStatus(int status, Runnable work) {
        ApiException e = assertThrows(ApiException.class, work::run);
        assertEquals(status, e.kind().status(), e.getMessage());
    }

    static long allocatedBy(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    /** Offset of the first marker segment of type {@code marker}, walking segment by segment from SOI. */
    static int indexOfMarker(byte[] jpeg, int marker) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int m = jpeg[i + 1] & 0xFF;
            if (m == marker) {
                return i;
            }
            i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
        }
        throw new IllegalArgumentException("no marker " + Integer.toHexString(marker));
    }

    /** A gray 8-bit PNG of the given size whose IDAT holds {@code zeroBytes} of zeros, deflated. */
    static byte[] png(int width, int height, int zeroBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HostileImages.PNG_SIGNATURE);
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[zeroBytes]);
        deflater.finish();
        byte[] buffer = new byte[zeroBytes / 100 + 1024];
        int n = deflater.deflate(buffer);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(8).putInt(data.length).put(typeBytes);
        out.writeBytes(header.array());
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
