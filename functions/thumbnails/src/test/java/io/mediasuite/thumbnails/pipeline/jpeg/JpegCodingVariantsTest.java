package io.mediasuite.thumbnails.pipeline.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.Reference;
import io.mediasuite.thumbnails.pipeline.ResizePlan;
import io.mediasuite.thumbnails.pipeline.colour.ColourConverter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: every way libjpeg-turbo can entropy-code the same picture decodes to the same thumbnail, and that
 * thumbnail matches libjpeg-turbo's own decode. The files are made at test time by {@code cjpeg} (Debian package
 * {@code libjpeg-turbo-progs}, installed by {@code .ci/run}) for every combination of
 * {baseline, progressive} x {no restarts, every block, every MCU row, every 3 rows} x {4:4:4, 4:2:2, 4:2:0, 4:4:0,
 * grey} x {Huffman, arithmetic}. cjpeg quantizes identically whatever the entropy coding, so within one sampling
 * every variant carries the same coefficients: the decoded thumbnails must be byte-identical at every DCT scale,
 * and close to djpeg's full decode reduced by exact area averaging.
 */
public class JpegCodingVariantsTest {

    /** Odd sizes: partial MCUs on both edges, for every sampling. */
    private static final int WIDTH = 261;
    private static final int HEIGHT = 197;
    /** Boxes for DCT scales 1/1, 1/2, 1/4 and 1/8. */
    private static final int[] BOXES = {WIDTH, 130, 65, 32};

    private static final String[][] SAMPLINGS = {
        {"444", "-sample", "1x1"}, {"422", "-sample", "2x1"}, {"420", "-sample", "2x2"}, {"440", "-sample", "1x2"},
        {"grey", "-grayscale"}};
    private static final String[][] RESTARTS = {{"none"}, {"block", "-restart", "1B"}, {"row", "-restart", "1"},
        {"3rows", "-restart", "3"}};

    @TempDir
    static Path dir;
    private static Path source;

    @BeforeAll
    static void writeSource() throws IOException {
        requireTool("cjpeg");
        requireTool("djpeg");
        source = dir.resolve("source.ppm");
        Files.write(source, ppm(TestImages.photoLike(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR)));
    }

    @Test
    void decode_shouldGiveIdenticalPixelsMatchingDjpeg_whenAnyEntropyCodingOfTheSameCoefficients() throws Exception {
        int checked = 0;
        for (String[] sampling : SAMPLINGS) {
            // given: the plain baseline Huffman file of this sampling, checked against djpeg
            Path plain = cjpeg(sampling, new String[] {"none"}, false, false);
            BufferedImage djpegPlain = djpeg(plain);
            List<RasterImage> expected = new ArrayList<>();
            for (int box : BOXES) {
                RasterImage raster = decode(Files.readAllBytes(plain), box);
                double psnr = Reference.psnr(packed(raster),
                        Reference.areaAverage(djpegPlain, raster.width(), raster.height()));
                assertTrue(psnr >= 30, sampling[0] + " box " + box + ": PSNR vs djpeg " + psnr);
                expected.add(raster);
            }
            for (boolean progressive : new boolean[] {false, true}) {
                for (String[] restart : RESTARTS) {
                    for (boolean arithmetic : new boolean[] {false, true}) {
                        // when
                        Path file = cjpeg(sampling, restart, progressive, arithmetic);
                        String name = file.getFileName().toString();
                        byte[] bytes = Files.readAllBytes(file);
                        assertEquals(progressive, JpegHeader.read(bytes).progressive(), name);
                        // then: libjpeg-turbo decodes it to the plain file's pixels (the coefficients are equal)...
                        assertArrayEquals(rgb(djpegPlain), rgb(djpeg(file)), name + ": djpeg pixels differ");
                        // ...and so do we, at every scale
                        for (int i = 0; i < BOXES.length; i++) {
                            RasterImage raster = decode(bytes, BOXES[i]);
                            assertArrayEquals(expected.get(i).pixels(), raster.pixels(), name + " box " + BOXES[i]);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(SAMPLINGS.length * 2 * RESTARTS.length * 2, checked);
    }

    @Test
    void decode_shouldGiveDjpegPixels_whenFullSizeYcbcrIsUpsampledAndConvertedFirst() throws Exception {
        for (String[] sampling : SAMPLINGS) {
            if (sampling[0].equals("grey")) {
                continue;
            }
            // given: a YCbCr file of this sampling, and libjpeg-turbo's decode of it
            Path file = cjpeg(sampling, new String[] {"none"}, false, false);
            int[] expected = rgb(djpeg(file));
            // when: decoded at its own size (no resampling: the colour stage's pixels as they are)
            int[] actual = packed(decode(Files.readAllBytes(file), WIDTH));
            // then: libjpeg's fancy upsampling and integer conversion, to within our float IDCT's rounding
            int exact = 0;
            int worst = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = Math.abs(((expected[i] >> shift) & 0xFF) - ((actual[i] >> shift) & 0xFF));
                    exact += d == 0 ? 1 : 0;
                    worst = Math.max(worst, d);
                }
            }
            double exactShare = exact / (3.0 * expected.length);
            assertTrue(worst <= 3 && exactShare >= 0.95,
                    sampling[0] + ": worst difference " + worst + ", exact " + exactShare);
        }
    }

    @Test
    void decode_shouldGiveDjpegPixels_whenChromaIsAtMostTwoSamplesWide() throws Exception {
        // given: images 1-5 pixels wide, red left and blue right, subsampled across: libjpeg replicates chroma
        // under 3 samples instead of its fancy upsampling
        for (int width = 1; width <= 5; width++) {
            for (String sample : new String[] {"2x2", "2x1"}) {
                BufferedImage image = new BufferedImage(width, 8, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < width; x++) {
                        image.setRGB(x, y, x < width / 2 ? 0xFF0000 : 0x0000FF);
                    }
                }
                Path ppm = dir.resolve("narrow.ppm");
                Files.write(ppm, ppm(image));
                Path file = dir.resolve("narrow-" + width + "-" + sample + ".jpg");
                run(List.of("cjpeg", "-quality", "95", "-sample", sample, "-outfile", file.toString(),
                        ppm.toString()));
                int[] expected = rgb(djpeg(file));

                // when
                int[] actual = packed(decode(Files.readAllBytes(file), 8));

                // then
                for (int i = 0; i < expected.length; i++) {
                    for (int shift = 0; shift < 24; shift += 8) {
                        int d = Math.abs(((expected[i] >> shift) & 0xFF) - ((actual[i] >> shift) & 0xFF));
                        assertTrue(d <= 3, width + " wide, " + sample + ": pixel " + i + " off by " + d);
                    }
                }
            }
        }
    }

    @Test
    void decode_shouldTrackTheReducedFullDecode_whenSaturatedColourEdgesAreSubsampled() throws Exception {
        // given: saturated strokes on dark and light ground, 4:2:0: chroma bleeds across every edge and libjpeg's
        // per-pixel clamp moves many decoded pixels (the case where resampling Y, Cb and Cr before converting
        // scored 1.5-2 dB under sharp on the corpus)
        Path ppm = dir.resolve("saturated.ppm");
        Files.write(ppm, ppm(saturatedEdges(480, 320)));
        Path file = dir.resolve("saturated.jpg");
        run(List.of("cjpeg", "-quality", "92", "-sample", "2x2", "-outfile", file.toString(), ppm.toString()));
        BufferedImage full = djpeg(file);
        byte[] jpeg = Files.readAllBytes(file);
        // Full scale with 2.4 and 2 left, and 1/2 scale with 2.4 left (chroma at the full IDCT size). Resampling
        // Y, Cb and Cr and converting after scored 35.5, 34.5 and 32.0 dB here.
        int[] boxes = {200, 240, 100};
        double[] atLeast = {50, 50, 33.5};
        for (int k = 0; k < boxes.length; k++) {
            int box = boxes[k];
            // when
            RasterImage raster = decode(jpeg, box);
            // then: close to a Lanczos3 reduction of libjpeg's full decode
            double psnr = Reference.psnr(packed(raster), Reference.lanczos3(full, raster.width(), raster.height()));
            assertTrue(psnr >= atLeast[k], "box " + box + ": " + psnr + " dB");
        }
    }

    /** Saturated primaries and secondaries in 1-4 pixel strokes, half on near-black, half on near-white. */
    private static BufferedImage saturatedEdges(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFF00FF, 0x00FFFF, 0xFFFF00};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int ground = x < width / 2 ? 0x101010 : 0xF0F0F0;
                int stripe = (x / 7 + y / 9) % 5;
                boolean stroke = (x % 7) < 1 + stripe % 4 && (y / 3) % 3 != 0;
                image.setRGB(x, y, stroke ? colours[(x / 7 + y / 5) % colours.length] : ground);
            }
        }
        return image;
    }

    /** The fast path alone (no ImageIO fallback): header, plan, DCT-domain decode, colour. */
    static RasterImage decode(byte[] jpeg, int box) {
        JpegHeader header = JpegHeader.read(jpeg);
        ResizePlan plan = ResizePlan.of(header.width, header.height, 1, box, box, FitMode.INSIDE);
        return ColourConverter.toSrgb(JpegDecoder.decode(jpeg, header, plan, Deadline.none()));
    }

    private static Path cjpeg(String[] sampling, String[] restart, boolean progressive, boolean arithmetic)
            throws Exception {
        String name = sampling[0] + "-" + restart[0] + (progressive ? "-prog" : "-base")
                + (arithmetic ? "-arith" : "-huff") + ".jpg";
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("cjpeg", "-quality", "90"));
        command.addAll(List.of(sampling).subList(1, sampling.length));
        command.addAll(List.of(restart).subList(1, restart.length));
        if (progressive) {
            command.add("-progressive");
        }
        if (arithmetic) {
            command.add("-arithmetic");
        }
        command.addAll(List.of("-outfile", out.toString(), source.toString()));
        run(command);
        return out;
    }

    /** libjpeg-turbo's full-size decode (default settings: accurate integer IDCT, fancy upsampling). */
    static BufferedImage djpeg(Path jpeg) throws Exception {
        Path out = Path.of(jpeg + ".pnm");
        run(List.of("djpeg", "-pnm", "-outfile", out.toString(), jpeg.toString()));
        return readPnm(Files.readAllBytes(out));
    }

    public static void requireTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            fail(tool + " not found: install libjpeg-turbo's tools (Debian: apt-get install libjpeg-turbo-progs); "
                    + ".ci/run does");
        }
    }

    /**
     * Runs {@code commands} in a scratch folder that holds {@code jpeg} as {@code in.jpg} ("{dir}" in an argument
     * names the folder) and returns the {@code out.jpg} they leave there; the folder is deleted after.
     */
    public static byte[] transcode(byte[] jpeg, List<List<String>> commands) throws Exception {
        Path dir = Files.createTempDirectory("transcode");
        try {
            Files.write(dir.resolve("in.jpg"), jpeg);
            for (List<String> command : commands) {
                run(command.stream().map(argument -> argument.replace("{dir}", dir.toString())).toList());
            }
            return Files.readAllBytes(dir.resolve("out.jpg"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    public static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + ": " + output);
    }

    static byte[] ppm(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] head = ("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + w * h * 3];
        System.arraycopy(head, 0, out, 0, head.length);
        int p = head.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                out[p++] = (byte) (rgb >> 16);
                out[p++] = (byte) (rgb >> 8);
                out[p++] = (byte) rgb;
            }
        }
        return out;
    }

    /** Binary PGM (P5) or PPM (P6) with maxval 255, as djpeg writes them. */
    public static BufferedImage readPnm(byte[] d) {
        int[] fields = new int[3];
        int p = 2;
        for (int f = 0; f < 3; f++) {
            while (Character.isWhitespace(d[p])) {
                p++;
            }
            int v = 0;
            while (Character.isDigit(d[p])) {
                v = v * 10 + (d[p++] - '0');
            }
            fields[f] = v;
        }
        p++;
        boolean colour = d[1] == '6';
        if (fields[2] != 255 || (!colour && d[1] != '5')) {
            throw new UncheckedIOException(new IOException("unexpected PNM header"));
        }
        BufferedImage image = new BufferedImage(fields[0], fields[1], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < fields[1]; y++) {
            for (int x = 0; x < fields[0]; x++) {
                int r = d[p++] & 0xFF;
                int g = colour ? d[p++] & 0xFF : r;
                int b = colour ? d[p++] & 0xFF : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int[] rgb(BufferedImage image) {
        return Reference.rgb(image);
    }

    /** A raster as packed RGB (grey replicated), for {@link Reference#psnr}. */
    public static int[] packed(RasterImage raster) {
        int[] out = new int[raster.width() * raster.height()];
        byte[] px = raster.pixels();
        int bands = raster.bands();
        for (int i = 0; i < out.length; i++) {
            int r = px[i * bands] & 0xFF;
            int g = bands >= 3 ? px[i * bands + 1] & 0xFF : r;
            int b = bands >= 3 ? px[i * bands + 2] & 0xFF : r;
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }
}
