package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.ResizePlan;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming PNG decoder against the JDK's (independent) PNG reader: every colour type at every bit depth it
 * allows, with every row filter (and all five mixed row by row), random samples, odd widths so low bit depths end
 * mid-byte. The image is decoded at its own size, so the decoder's planes must hold exactly ImageIO's samples
 * rounded to 8 bits, expanded from the palette, and premultiplied by alpha where there is alpha.
 */
class PngDecoderTest {

    /** Filter 5 here means "all five, row by row" (not a PNG filter type). */
    private static final int MIXED = 5;

    static Stream<Arguments> kinds() {
        int[][] depths = {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2}, {3, 4}, {3, 8},
            {4, 8}, {4, 16}, {6, 8}, {6, 16}};
        List<Arguments> all = new ArrayList<>();
        for (int[] kind : depths) {
            for (int filter = 0; filter <= MIXED; filter++) {
                all.add(Arguments.of(kind[0], kind[1], filter));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "colour type {0}, {1} bits, filter {2}")
    @MethodSource("kinds")
    void decode_shouldMatchImageIo_forEveryColourTypeBitDepthAndFilter(int colourType, int depth, int filter)
            throws Exception {
        // given
        int width = 29;
        int height = 11;
        byte[] png = randomPng(width, height, colourType, depth, filter, new Random(colourType * 100 + depth * 10
                + filter));

        // when
        ReducedImage decoded = decodeAtFullSize(png);

        // then
        assertMatchesImageIo(png, decoded, colourType, depth);
    }

    @Test
    void decode_shouldMatchImageIo_whenTheStreamIsSplitIntoChunksOfEverySize() throws Exception {
        // given: 360 KB of rows (more than one inflate batch) in IDAT chunks of 1 byte, 0 bytes, a few bytes, more
        // than the decoder's input window (handed over in place), then small ones
        int[] pieces = new int[40];
        pieces[0] = 1;
        pieces[1] = 0;
        pieces[2] = 7;
        pieces[3] = 300_000;
        Arrays.fill(pieces, 4, pieces.length, 1_000);
        byte[] png = randomPng(400, 300, 2, 8, MIXED, new Random(3), pieces);

        // when
        ReducedImage decoded = decodeAtFullSize(png);

        // then
        assertMatchesImageIo(png, decoded, 2, 8);
    }

    @Test
    void decode_shouldRefuse_whenTheLastIdatChunkIsMissing() throws Exception {
        // given: the stream in two chunks, the second dropped (CRCs intact: only the row count can tell)
        byte[] png = randomPng(200, 100, 6, 8, 0, new Random(4), new int[] {20_000});
        int secondIdat = 8 + 25 + 12 + 20_000;
        int secondLength = PngDecoder.i32(png, secondIdat);
        byte[] cut = new byte[png.length - 12 - secondLength];
        System.arraycopy(png, 0, cut, 0, secondIdat);
        System.arraycopy(png, secondIdat + 12 + secondLength, cut, secondIdat, cut.length - secondIdat);

        // when / then
        CorruptImageException error = assertThrows(CorruptImageException.class, () -> decodeAtFullSize(cut));
        assertEquals("PNG image data ends early", error.getMessage());
    }

    private static void assertMatchesImageIo(byte[] png, ReducedImage decoded, int colourType, int depth)
            throws IOException {
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(png));
        byte[][] expected = expectedPlanes(reference, colourType, depth);
        int colourPlanes = decoded.planes().length;
        for (int c = 0; c < colourPlanes; c++) {
            assertArrayEquals(expected[c], decoded.planes()[c], "plane " + c);
        }
        if (expected.length > colourPlanes) {
            assertArrayEquals(expected[colourPlanes], decoded.alpha(), "alpha");
        } else {
            assertNull(decoded.alpha());
        }
    }

    @Test
    void decode_shouldGiveTheReducersResult_whenTheImageIsAlreadyInsideTheBox() throws Exception {
        // given: an RGBA image decoded at its own size, which skips the reducer
        int width = 31;
        int height = 17;
        byte[] png = randomPng(width, height, 6, 8, MIXED, new Random(9));
        ReducedImage decoded = decodeAtFullSize(png);

        // when: the same premultiplied rows through a reducer at 1:1
        PngDecoder.Header header = PngDecoder.readHeader(png);
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(png));
        byte[][] planes = expectedPlanes(reference, 6, 8);
        PlaneReducer reducer = new PlaneReducer(width, height, 4, 1, 1, 0, 0, width, height, width, height);
        byte[] row = new byte[width * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 4; c++) {
                    row[x * 4 + c] = planes[c][y * width + x];
                }
            }
            reducer.row(y, row, 0, 4);
        }

        // then
        assertEquals(width, header.width());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(reducer.result(c), decoded.planes()[c]);
        }
        assertArrayEquals(reducer.result(3), decoded.alpha());
    }

    @Test
    void decode_shouldStopAtTheDeadline_whenOnlyRowsAboveACropHaveBeenRead() throws IOException {
        // given: a tall PNG cropped to its middle band, rows 130-169 (every row above the band is inflated and
        // unfiltered but never reaches the reducer; the decoder checks the clock after unfiltering each inflate
        // batch, before its rows go on, and this image is one batch), and a deadline that has already passed
        byte[] png = randomPng(40, 300, 2, 8, MIXED, new Random(11));
        PngDecoder.Header header = PngDecoder.readHeader(png);
        ResizePlan plan = ResizePlan.of(40, 300, 1, 40, 40, FitMode.COVER);
        assertEquals(130, plan.regionY());
        Deadline expired = Deadline.inMillis(0);

        // when / then: the skipped rows count against the deadline too
        ApiException e = assertThrows(ApiException.class, () -> PngDecoder.decode(png, header, plan, expired));
        assertEquals(ApiException.Kind.SERVICE_UNAVAILABLE, e.kind());
    }

    @Test
    void to8_shouldRoundLikeTheExactFormula_forEverySixteenBitValue() {
        for (int v = 0; v <= 0xFFFF; v++) {
            assertEquals(Math.round(v * 255.0 / 65535.0), PngDecoder.to8(v), "value " + v);
        }
    }

    private static ReducedImage decodeAtFullSize(byte[] png) {
        PngDecoder.Header header = PngDecoder.readHeader(png);
        ResizePlan plan = ResizePlan.of(header.width(), header.height(), 1, header.width(), header.height(),
                FitMode.INSIDE);
        return PngDecoder.decode(png, header, plan, Deadline.none());
    }

    /** ImageIO's samples as the decoder's 8-bit planes: colour channels (premultiplied when there is alpha), alpha. */
    private static byte[][] expectedPlanes(BufferedImage image, int colourType, int depth) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        boolean palette = colourType == 3;
        int colour = colourType == 0 || colourType == 4 ? 1 : 3;
        boolean alpha = colourType == 4 || colourType == 6 || palette;
        byte[][] planes = new byte[colour + (alpha ? 1 : 0)][width * height];
        int max = (1 << depth) - 1;
        int[] pixel = new int[raster.getNumBands()];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, pixel);
                int[] eight = new int[colour + 1];
                if (palette) {
                    IndexColorModel model = (IndexColorModel) image.getColorModel();
                    eight[0] = model.getRed(pixel[0]);
                    eight[1] = model.getGreen(pixel[0]);
                    eight[2] = model.getBlue(pixel[0]);
                    eight[3] = model.getAlpha(pixel[0]);
                } else {
                    for (int c = 0; c < pixel.length; c++) {
                        eight[c] = (int) Math.round(pixel[c] * 255.0 / max);
                    }
                }
                int i = y * width + x;
                for (int c = 0; c < colour; c++) {
                    int v = alpha ? (int) Math.round(eight[c] * eight[colour] / 255.0) : eight[c];
                    planes[c][i] = (byte) v;
                }
                if (alpha) {
                    planes[colour][i] = (byte) eight[colour];
                }
            }
        }
        return planes;
    }

    /**
     * A PNG of random samples with each row filtered by {@code filter} (0-4, or {@link #MIXED}: row y uses filter
     * y mod 5). Palette images get a full 2^depth-entry palette and a tRNS chunk shorter than it, so some indexes
     * take their alpha from tRNS and the rest are opaque.
     */
    private static byte[] randomPng(int width, int height, int colourType, int depth, int filter, Random random)
            throws IOException {
        return randomPng(width, height, colourType, depth, filter, random, new int[0]);
    }

    /** As above, with the zlib stream cut into IDAT chunks of the {@code pieces} sizes, then one with the rest. */
    private static byte[] randomPng(int width, int height, int colourType, int depth, int filter, Random random,
                                    int[] pieces) throws IOException {
        int channels = switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            default -> 4;
        };
        int bpp = Math.max(1, channels * depth / 8);
        int rowBytes = (width * channels * depth + 7) / 8;
        byte[] prior = new byte[rowBytes];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(idat)) {
            for (int y = 0; y < height; y++) {
                byte[] row = new byte[rowBytes];
                random.nextBytes(row);
                int unused = rowBytes * 8 - width * channels * depth;
                row[rowBytes - 1] &= (byte) (0xFF << unused); // padding bits zero, as the format asks
                int type = filter == MIXED ? y % 5 : filter;
                zlib.write(type);
                zlib.write(filterRow(row, prior, bpp, type));
                prior = row;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngDecoder.SIGNATURE);
        byte[] ihdr = {0, 0, 0, 0, 0, 0, 0, 0, (byte) depth, (byte) colourType, 0, 0, 0};
        java.nio.ByteBuffer.wrap(ihdr).putInt(width).putInt(height);
        writeChunk(out, "IHDR", ihdr);
        if (colourType == 3) {
            byte[] plte = new byte[3 << depth];
            random.nextBytes(plte);
            writeChunk(out, "PLTE", plte);
            byte[] trns = new byte[Math.max(1, (1 << depth) / 2)];
            random.nextBytes(trns);
            writeChunk(out, "tRNS", trns);
        }
        byte[] stream = idat.toByteArray();
        int at = 0;
        for (int piece : pieces) {
            writeChunk(out, "IDAT", Arrays.copyOfRange(stream, at, at + piece));
            at += piece;
        }
        writeChunk(out, "IDAT", Arrays.copyOfRange(stream, at, stream.length));
        writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** PNG filtering (the encoder's side of what the decoder undoes), written from the specification. */
    static byte[] filterRow(byte[] row, byte[] prior, int bpp, int type) {
        byte[] out = new byte[row.length];
        for (int i = 0; i < row.length; i++) {
            int a = i >= bpp ? row[i - bpp] & 0xFF : 0;
            int b = prior[i] & 0xFF;
            int c = i >= bpp ? prior[i - bpp] & 0xFF : 0;
            int predictor = switch (type) {
                case 0 -> 0;
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) / 2;
                default -> {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
            };
            out[i] = (byte) (row[i] - predictor);
        }
        return out;
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream chunk = new DataOutputStream(out);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        chunk.writeInt(data.length);
        chunk.write(name);
        chunk.write(data);
        chunk.writeInt((int) crc.getValue());
        chunk.flush();
    }
}
