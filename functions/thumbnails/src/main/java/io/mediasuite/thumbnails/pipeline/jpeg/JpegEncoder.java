package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.RasterImage;
import java.util.Arrays;

/**
 * Baseline JPEG encoder for thumbnails: JFIF, YCbCr 4:2:0 (or grey), the quality-scaled Annex K quantisation
 * tables, Huffman tables optimised for the image. The same file libjpeg writes with {@code optimize_coding}
 * (the JDK's ImageIO writer, sharp's defaults), several times faster than the JDK's writer and without its
 * BufferedImage: pure Java, int arithmetic, loops the JIT vectorises.
 *
 * <p>Stages, as libjpeg splits them: {@link JpegColourSampler} (colour conversion, 2x2 chroma averaging, edge
 * padding), {@link JpegForwardDct} (integer DCT and quantisation, a block row at a time),
 * {@link JpegEntropyEncoder} (symbols and their statistics, then the bit stream), {@link JpegOptimalHuffman}
 * (the tables). Memory: a few rows of ints per component, the symbol record (about 4 bytes per non-zero
 * coefficient, at most 2 bytes per pixel: past that the blocks are coded a second time instead), the output.
 */
public final class JpegEncoder {

    private static final int MAX_SIDE = 65_535;

    /**
     * @param image 1 (grey) or 3 (sRGB) bands; alpha has to be flattened first
     * @param quality 1-100, libjpeg's scale
     */
    public static byte[] encode(RasterImage image, int quality) {
        // the symbol record may take up to 2 bytes per pixel; beyond that the blocks are coded twice
        return encode(image, quality, image.width() * image.height() / 2);
    }

    /**
     * Encodes planes that already are what a 4:2:0 JPEG stores: Y ({@code width x height}) and Cb, Cr halved
     * both ways ({@code ceil(width / 2) x ceil(height / 2)}), JFIF full-range. A JPEG thumbnail of a JPEG can
     * come this way straight from the decoder's planes, skipping the conversion to RGB and back and the 2x2
     * averaging.
     */
    public static byte[] encodeYcc(int width, int height, byte[] y, byte[] cb, byte[] cr, int quality) {
        check(width, height);
        long chroma = (long) ((width + 1) / 2) * ((height + 1) / 2);
        if (y.length < (long) width * height || cb.length < chroma || cr.length < chroma) {
            throw new IllegalArgumentException("planes smaller than " + width + "x" + height + " at 4:2:0");
        }
        JpegEncoder encoder = new JpegEncoder(width, height, true,
                JpegColourSampler.planar(y, cb, cr, width, height, paddedWidth(width, true)),
                JpegQuantTables.luma(quality), JpegQuantTables.chroma(quality), width * height / 2, true);
        return encoder.write();
    }

    /**
     * Encodes R, G and B planes ({@code width x height} each), as {@link #encode(RasterImage, int)} would their
     * interleaved pixels: the decoder's planes go in without being interleaved and spread apart again.
     */
    public static byte[] encodeRgb(int width, int height, byte[] r, byte[] g, byte[] b, int quality) {
        check(width, height);
        long count = (long) width * height;
        if (r.length < count || g.length < count || b.length < count) {
            throw new IllegalArgumentException("planes smaller than " + width + "x" + height);
        }
        JpegEncoder encoder = new JpegEncoder(width, height, true,
                JpegColourSampler.rgbPlanes(r, g, b, width, height, paddedWidth(width, true)),
                JpegQuantTables.luma(quality), JpegQuantTables.chroma(quality), width * height / 2, false);
        return encoder.write();
    }

    private static void check(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("JPEG sides are 1-65535 pixels: " + width + "x" + height);
        }
    }

    private static int paddedWidth(int width, boolean colour) {
        int mcu = colour ? 16 : 8;
        return (width + mcu - 1) / mcu * mcu;
    }

    /** As {@link #encode(RasterImage, int)}, keeping at most {@code maxRecord} symbols between the passes. */
    static byte[] encode(RasterImage image, int quality, int maxRecord) {
        int width = image.width();
        int height = image.height();
        int bands = image.bands();
        if (bands != 1 && bands != 3) {
            throw new IllegalArgumentException("JPEG takes grey or RGB pixels, not " + bands + " bands");
        }
        check(width, height);
        if (image.pixels().length < (long) width * height * bands) {
            throw new IllegalArgumentException("fewer pixels than " + width + "x" + height + "x" + bands);
        }
        boolean colour = bands == 3;
        JpegEncoder encoder = new JpegEncoder(width, height, colour,
                new JpegColourSampler(image.pixels(), width, height, bands, paddedWidth(width, colour)),
                JpegQuantTables.luma(quality), JpegQuantTables.chroma(quality), maxRecord, false);
        return encoder.write();
    }

    /** Both passes: statistics and tables, then the file. */
    private byte[] write() {
        JpegEncoder encoder = this;
        JpegEntropyEncoder entropy = encoder.entropy;
        for (int row = 0; row < encoder.mcuRows; row++) {
            encoder.codeRow(row);
            entropy.endRow();
        }

        JpegOptimalHuffman[] tables = new JpegOptimalHuffman[JpegEntropyEncoder.TABLES];
        for (int t = 0; t < (colour ? 4 : 2); t++) {
            tables[t] = new JpegOptimalHuffman(entropy.frequency, t * 256);
        }
        JpegEntropyEncoder.Output out = new JpegEntropyEncoder.Output(1024);
        writeHeaders(out, width, height, colour, lumaTable, chromaTable, tables);
        entropy.useTables(tables, out);
        if (entropy.overflowed()) {
            entropy.restart();
            for (int row = 0; row < encoder.mcuRows; row++) {
                encoder.codeRow(row);
                entropy.emit(out);
            }
        } else {
            entropy.emit(out);
        }
        entropy.finish(out);
        out.putShort(0xFFD9); // EOI
        return Arrays.copyOf(out.bytes, out.length);
    }

    private final boolean colour;
    private final int mcuColumns;
    private final int mcuRows;
    /** Luma blocks holding at least one image pixel; the others of an MCU are padding. */
    private final int lumaBlocksWide;
    private final int lumaBlocksHigh;
    private final JpegColourSampler sampler;
    private final JpegForwardDct lumaDct;
    private final JpegForwardDct chromaDct;
    private final int[][] luma;
    private final int[][] cb;
    private final int[][] cr;
    private final JpegEntropyEncoder entropy;

    private final int width;
    private final int height;
    /** The quantisation tables the DCT stage uses, written into the header too. */
    private final int[] lumaTable;
    private final int[] chromaTable;
    /** The sampler reads planes already at 4:2:0 ({@link #encodeYcc}). */
    private final boolean planar;

    private JpegEncoder(int width, int height, boolean colour, JpegColourSampler sampler, int[] lumaTable,
                        int[] chromaTable, int maxRecord, boolean planar) {
        this.lumaTable = lumaTable;
        this.chromaTable = chromaTable;
        this.width = width;
        this.height = height;
        this.colour = colour;
        this.planar = planar;
        int mcu = colour ? 16 : 8;
        mcuColumns = (width + mcu - 1) / mcu;
        mcuRows = (height + mcu - 1) / mcu;
        lumaBlocksWide = (width + 7) / 8;
        lumaBlocksHigh = (height + 7) / 8;
        int lumaWidth = mcuColumns * mcu;
        this.sampler = sampler;
        lumaDct = new JpegForwardDct(lumaWidth, lumaTable);
        luma = new int[mcu][lumaWidth];
        chromaDct = colour ? new JpegForwardDct(lumaWidth / 2, chromaTable) : null;
        cb = colour ? new int[8][lumaWidth / 2] : null;
        cr = colour ? new int[8][lumaWidth / 2] : null;
        entropy = new JpegEntropyEncoder(mcuColumns * mcuRows * (colour ? 6 : 1), maxRecord);
    }

    /** Samples, transforms and hands to the entropy coder one row of MCUs. */
    private void codeRow(int row) {
        if (!colour) {
            sampler.grey(row * 8, luma);
            lumaDct.transform(luma, 0);
            for (int column = 0; column < mcuColumns; column++) {
                entropy.block(luma, 0, column * 8, 0);
            }
            return;
        }
        if (planar) {
            sampler.planes(row * 16, luma, cb, cr);
        } else {
            sampler.colour(row * 16, luma, cb, cr);
        }
        lumaDct.transform(luma, 0);
        lumaDct.transform(luma, 8);
        chromaDct.transform(cb, 0);
        chromaDct.transform(cr, 0);
        for (int column = 0; column < mcuColumns; column++) {
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    if (2 * column + dx < lumaBlocksWide && 2 * row + dy < lumaBlocksHigh) {
                        entropy.block(luma, 8 * dy, 16 * column + 8 * dx, 0);
                    } else {
                        entropy.emptyBlock(0);
                    }
                }
            }
            // chroma blocks are never outside: the chroma plane is as many blocks as there are MCUs
            entropy.block(cb, 0, column * 8, 1);
            entropy.block(cr, 0, column * 8, 2);
        }
    }

    private static void writeHeaders(JpegEntropyEncoder.Output out, int width, int height, boolean colour,
                                     int[] lumaTable, int[] chromaTable, JpegOptimalHuffman[] tables) {
        out.putShort(0xFFD8); // SOI
        // APP0 JFIF 1.01, no density unit, aspect 1:1, no embedded thumbnail
        out.putShort(0xFFE0);
        out.putShort(16);
        for (byte b : new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}) {
            out.put(b);
        }
        int components = colour ? 3 : 1;
        out.putShort(0xFFDB); // DQT, zigzag order
        out.putShort(2 + 65 * (colour ? 2 : 1));
        quantTable(out, 0, lumaTable);
        if (colour) {
            quantTable(out, 1, chromaTable);
        }
        out.putShort(0xFFC0); // SOF0
        out.putShort(8 + 3 * components);
        out.put(8);
        out.putShort(height);
        out.putShort(width);
        out.put(components);
        for (int c = 0; c < components; c++) {
            out.put(c + 1);
            out.put(colour && c == 0 ? 0x22 : 0x11);
            out.put(c == 0 ? 0 : 1);
        }
        out.putShort(0xFFC4); // DHT, all tables in one segment
        int length = 2;
        for (JpegOptimalHuffman table : tables) {
            if (table != null) {
                length += 17 + table.symbols.length;
            }
        }
        out.putShort(length);
        for (int t = 0; t < tables.length; t++) {
            if (tables[t] != null) {
                out.put((t & 1) << 4 | t >> 1); // class (0 DC, 1 AC) and table id (0 luma, 1 chroma)
                for (int n = 1; n <= 16; n++) {
                    out.put(tables[t].counts[n]);
                }
                for (int symbol : tables[t].symbols) {
                    out.put(symbol);
                }
            }
        }
        out.putShort(0xFFDA); // SOS
        out.putShort(6 + 2 * components);
        out.put(components);
        for (int c = 0; c < components; c++) {
            out.put(c + 1);
            out.put(c == 0 ? 0x00 : 0x11);
        }
        out.put(0);
        out.put(63);
        out.put(0);
    }

    private static void quantTable(JpegEntropyEncoder.Output out, int id, int[] table) {
        out.put(id);
        for (int k = 0; k < 64; k++) {
            out.put(table[JpegDecoder.NATURAL[k]]);
        }
    }
}
