package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.Reference;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baseline entropy decoder's edge paths: restart markers (the bit window is handed to the slow path and
 * reset mid-row), byte stuffing in noisy data (0xFF00 falls out of the 8-byte refill), single-component scans,
 * at every DCT scale. Fixtures are made here with the JDK's JPEG writer, which can add a DRI segment.
 */
class JpegEntropyDecodingTest {

    private static final int WIDTH = 803;
    private static final int HEIGHT = 601;

    private final ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 95, false);

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY})
    void render_shouldGiveTheSameThumbnail_whenTheSameScanHasRestartMarkers(int type) throws IOException {
        // given: the same coefficients coded without and with a restart every 3 MCUs
        BufferedImage image = noisyPicture(type);
        byte[] plain = jpeg(image, 0);
        byte[] restarts = jpeg(image, 3);
        assertTrue(restarts.length > plain.length, "the restart version carries RST markers");

        for (int box : new int[] {WIDTH, 400, 200, 100}) {
            // when: full size (8x8 IDCT), 1/2 (4x4), 1/4 (2x2) and 1/8 (DC only)
            Thumbnail a = pipeline.render(plain, box, box, FitMode.INSIDE, Deadline.none());
            Thumbnail b = pipeline.render(restarts, box, box, FitMode.INSIDE, Deadline.none());

            // then
            assertArrayEquals(a.bytes(), b.bytes(), "box " + box);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY})
    void render_shouldMatchImageIo_whenDataIsNoisyAndHasRestarts(int type) throws IOException {
        // given: full size, so the 8x8 path decodes every coefficient and no filter differs from ImageIO's decode.
        // (The scaled paths are pinned to this one by the test above and to reference downscales of real photos
        // by ThumbnailPipelineCorpusTest; on pure noise a DCT-domain downscale and a box filter differ by design.)
        byte[] source = jpeg(noisyPicture(type), 5);
        BufferedImage full = ImageIO.read(new java.io.ByteArrayInputStream(source));

        // when
        Thumbnail thumbnail = pipeline.render(source, WIDTH, WIDTH, FitMode.INSIDE, Deadline.none());

        // then: what is left is the q95 re-encoding of the thumbnail
        BufferedImage decoded = TestImages.decode(thumbnail.bytes());
        double psnr = Reference.psnr(Reference.rgb(decoded), Reference.rgb(full));
        assertTrue(psnr >= 32, "PSNR " + psnr);
    }

    /** Smooth shapes plus strong noise: large AC magnitudes, long codes and plenty of 0xFF bytes to stuff. */
    private static BufferedImage noisyPicture(int type) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, type);
        Random random = new Random(42);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int r = (x * 255 / WIDTH + random.nextInt(60)) & 0xFF;
                int g = (y * 255 / HEIGHT + random.nextInt(60)) & 0xFF;
                int b = ((x + y) % 97 < 48 ? 230 : 20) + random.nextInt(20);
                image.setRGB(x, y, (r << 16) | (g << 8) | Math.min(255, b));
            }
        }
        return image;
    }

    /** JPEG at quality 0.92, with a DRI segment of {@code restartInterval} MCUs when positive. */
    private static byte[] jpeg(BufferedImage image, int restartInterval) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.92f);
        IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        if (restartInterval > 0) {
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            IIOMetadataNode dri = new IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(restartInterval));
            markers.insertBefore(dri, markers.getFirstChild());
            metadata.setFromTree(format, root);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
