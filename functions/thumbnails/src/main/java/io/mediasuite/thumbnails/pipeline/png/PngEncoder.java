package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer for thumbnails: 8-bit gray, gray + alpha, RGB or RGBA, non-interlaced, no ancillary
 * chunks, zlib level 1, one row filter for the whole image. Which filter ("up" or none) and whether deflate looks
 * for repeated strings at all (Huffman coding only) is settled by a trial on a sample of the image.
 *
 * <p>Why not sharp's settings (unfiltered rows, zlib level 6): the JDK's zlib at level 6 is 1.5-3x slower than the
 * zlib-ng inside sharp's libvips, and on thumbnails level 6 buys 0-11 % over level 1. "Up" (each byte minus the
 * one above) costs one vectorised subtraction per byte and shrinks a photo by 30 % at level 1 (1470x1200 photo:
 * 2.50 MB against 3.58 MB unfiltered; sharp 3.85 MB) while deflating faster. A filtered photo has almost no
 * repeated strings, so Huffman coding alone is 9 % larger again (2.73 MB) in 40 % less time: it is kept when the
 * sample says at most 15 % larger. Drawings with flat areas and hard edges need the string matching and compress
 * better unfiltered. Measured with {@code bench/png-speed.sh} (README): the corpus photo comes out 21-27 % smaller
 * than sharp's, the alpha drawing 10-16 % larger (level 6 would take it to sharp's size for 3x the deflate time).
 *
 * <p>Why not the JDK's PNG writer: it tries every filter on every row in Java, computes chunk CRCs in Java and
 * goes through an ImageOutputStream; for a 400x300 thumbnail that was 11-16 ms, a quarter of a PNG thumbnail's
 * time. Here the filtered rows are deflated in one call (native zlib) straight into the output array and the CRCs
 * use the JDK's intrinsic CRC32.
 */
public final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static final int LEVEL = 1;
    static final int FILTER_NONE = 0;
    static final int FILTER_UP = 2;
    /** Huffman coding alone is kept when its sample is at most this much larger than string matching's. */
    private static final double HUFFMAN_SLACK = 1.15;
    /** Bands of rows sampled for the filter trial, spread over the height. */
    private static final int SAMPLE_BANDS = 4;
    /** Rows per sampled band at most: enough for deflate to see the row-to-row repetition of a drawing. */
    private static final int SAMPLE_ROWS = 8;
    private static final int IHDR_END = 8 + 12 + 13;
    /** IDAT length and type. */
    private static final int IDAT_DATA = IHDR_END + 8;
    private static final int IEND_LENGTH = 12;

    private PngEncoder() {
    }

    /** A row filter for every row ({@link #FILTER_NONE} or {@link #FILTER_UP}) and a {@link Deflater} strategy. */
    record Coding(int filter, int strategy) {
    }

    public static byte[] encode(RasterImage image) {
        int stride = image.width() * image.bands();
        return encode(image, choose(image.pixels(), stride, image.height()));
    }

    static byte[] encode(RasterImage image, Coding coding) {
        int stride = image.width() * image.bands();
        byte[] raw = new byte[image.height() * (stride + 1)];
        filterRows(image.pixels(), stride, 0, image.height(), coding.filter(), raw, 0);
        return encodeFiltered(image.width(), image.height(), image.bands(), raw, coding.strategy());
    }

    /**
     * A PNG of 8-bit rows that already carry their filter-type bytes ({@code raw}: {@code height} rows of a type
     * byte and {@code width * bands} filtered samples), deflated at the encoder's level with zlib's default
     * strategy: for callers that filter their own rows (the SnapStart priming's Paeth-filtered PNG).
     */
    public static byte[] encodeFiltered(int width, int height, int bands, byte[] raw) {
        return encodeFiltered(width, height, bands, raw, Deflater.DEFAULT_STRATEGY);
    }

    private static byte[] encodeFiltered(int width, int height, int bands, byte[] raw, int strategy) {
        int colourType = switch (bands) {
            case 1 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            case 4 -> 6;
            default -> throw new IllegalArgumentException("bands " + bands);
        };

        // The file is assembled in one array: the deflater writes the IDAT data in place, no stream copies.
        byte[] out = new byte[IDAT_DATA + deflateBound(raw.length) + 4 + IEND_LENGTH];
        System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
        putInt(out, 8, 13);
        putType(out, 12, "IHDR");
        putInt(out, 16, width);
        putInt(out, 20, height);
        out[24] = 8;
        out[25] = (byte) colourType;
        // compression 0, filter method 0, no interlace
        putCrc(out, 12, 4 + 13);
        int length;
        Deflater deflater = new Deflater(LEVEL);
        try {
            deflater.setStrategy(strategy);
            deflater.setInput(raw);
            deflater.finish();
            length = 0;
            while (!deflater.finished()) {
                int room = out.length - IEND_LENGTH - 4 - IDAT_DATA - length;
                if (room == 0) {
                    // Never with zlib's bound; kept so a different zlib cannot truncate the image.
                    out = Arrays.copyOf(out, out.length + raw.length / 8 + 1024);
                    continue;
                }
                length += deflater.deflate(out, IDAT_DATA + length, room);
            }
        } finally {
            deflater.end();
        }
        putInt(out, IHDR_END, length);
        putType(out, IHDR_END + 4, "IDAT");
        putCrc(out, IHDR_END + 4, 4 + length);
        int iend = IDAT_DATA + length + 4;
        putInt(out, iend, 0);
        putType(out, iend + 4, "IEND");
        putCrc(out, iend + 4, 4);
        return Arrays.copyOf(out, iend + IEND_LENGTH);
    }

    /**
     * Deflates a few bands of rows three ways at the encoder's level: unfiltered, "up", and "up" with Huffman coding
     * only. The smaller of the first two wins, unless the third, much faster, is within {@link #HUFFMAN_SLACK} of
     * it. Rows are a bet on what deflate finds; trying it on ~3 % of the image (32 rows at most) costs a few percent
     * of the encode and is right where a fixed rule (libpng: no filter for palette images, else adaptive) is not.
     */
    static Coding choose(byte[] pixels, int stride, int height) {
        if (height < 2) {
            return new Coding(FILTER_NONE, Deflater.DEFAULT_STRATEGY);
        }
        int rows = Math.clamp(height / (SAMPLE_BANDS * 8), 1, SAMPLE_ROWS);
        int bands = Math.min(SAMPLE_BANDS, height / rows);
        byte[] none = new byte[bands * rows * (stride + 1)];
        byte[] up = new byte[none.length];
        for (int b = 0; b < bands; b++) {
            // Band b starts at (2b + 1) / (2 * bands) of the height: centred in its share of the image.
            int first = Math.min(height - rows, (int) ((2L * b + 1) * height / (2L * bands)));
            int at = b * rows * (stride + 1);
            filterRows(pixels, stride, first, rows, FILTER_NONE, none, at);
            filterRows(pixels, stride, first, rows, FILTER_UP, up, at);
        }
        Deflater deflater = new Deflater(LEVEL);
        try {
            byte[] sink = new byte[deflateBound(none.length)];
            int noneBytes = deflatedSize(deflater, none, sink);
            deflater.reset();
            int upBytes = deflatedSize(deflater, up, sink);
            deflater.reset();
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            int huffmanBytes = deflatedSize(deflater, up, sink);
            int best = Math.min(noneBytes, upBytes);
            if (huffmanBytes <= best * HUFFMAN_SLACK) {
                return new Coding(FILTER_UP, Deflater.HUFFMAN_ONLY);
            }
            return new Coding(upBytes < noneBytes ? FILTER_UP : FILTER_NONE, Deflater.DEFAULT_STRATEGY);
        } finally {
            deflater.end();
        }
    }

    private static int deflatedSize(Deflater deflater, byte[] input, byte[] sink) {
        deflater.setInput(input);
        deflater.finish();
        int total = 0;
        while (!deflater.finished()) {
            total += deflater.deflate(sink);
        }
        return total;
    }

    /** Rows {@code [first, first + count)} of {@code pixels}, each as its filter byte then the filtered samples. */
    static void filterRows(byte[] pixels, int stride, int first, int count, int filter, byte[] raw, int at) {
        for (int y = first, o = at; y < first + count; y++, o += stride + 1) {
            raw[o] = (byte) filter;
            int s = y * stride;
            if (filter == FILTER_NONE || y == 0) {
                // "Up" on the first row subtracts zeros: the same bytes.
                System.arraycopy(pixels, s, raw, o + 1, stride);
            } else {
                int p = s - stride;
                int d = o + 1;
                for (int i = 0; i < stride; i++) {
                    raw[d + i] = (byte) (pixels[s + i] - pixels[p + i]);
                }
            }
        }
    }

    /** zlib's compressBound: the most a zlib stream of {@code n} bytes can take, at any level. */
    private static int deflateBound(int n) {
        return n + (n >> 12) + (n >> 14) + (n >> 25) + 13;
    }

    private static void putCrc(byte[] out, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(out, from, length);
        putInt(out, from + length, (int) crc.getValue());
    }

    private static void putType(byte[] b, int p, String type) {
        for (int i = 0; i < 4; i++) {
            b[p + i] = (byte) type.charAt(i);
        }
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
