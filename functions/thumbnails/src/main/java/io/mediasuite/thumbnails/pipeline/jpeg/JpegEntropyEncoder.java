package io.mediasuite.thumbnails.pipeline.jpeg;

import java.util.Arrays;

/**
 * The entropy stage of {@link JpegEncoder}: baseline Huffman coding with tables made for the image (libjpeg's
 * "optimize_coding", sharp's default), in two passes as optimisation needs.
 *
 * <p>Pass one ({@link #block}) turns each quantised block into its Huffman symbols (DC difference category; AC
 * run/size, ZRL, EOB) and their extra bits, counts the symbols per table and records them as one int each. Pass
 * two ({@link #emit}), once the tables are known, emits codes and extra bits from that record through a 64-bit
 * bit buffer with 0xFF byte stuffing. Recording symbols instead of coefficients costs 4 bytes per non-zero
 * coefficient (a fraction of a coefficient store at web qualities) and leaves pass two a flat loop. The record
 * is capped (noise at quality 100 would need up to 6 bytes per pixel): past the cap pass one only counts, and
 * pass two codes the blocks again, row by row, recording and emitting one MCU row at a time.
 *
 * <p>Tables: 0 luma DC, 1 luma AC, 2 chroma DC, 3 chroma AC.
 */
final class JpegEntropyEncoder {

    static final int TABLES = 4;

    /** Zigzag index of the coefficient at horizontal frequency u, vertical v, at {@code [u * 8 + v]}. */
    private static final int[] ZIGZAG_OF_TRANSPOSED = new int[64];
    /** For zigzag index k: its horizontal and vertical frequency. */
    private static final int[] HORIZONTAL = new int[64];
    private static final int[] VERTICAL = new int[64];

    static {
        for (int k = 0; k < 64; k++) {
            int natural = JpegDecoder.NATURAL[k];
            HORIZONTAL[k] = natural & 7;
            VERTICAL[k] = natural >> 3;
            ZIGZAG_OF_TRANSPOSED[HORIZONTAL[k] * 8 + VERTICAL[k]] = k;
        }
    }

    /** Symbol counts, 256 per table. */
    final int[] frequency = new int[TABLES * 256];
    /** One int per symbol: table << 24 | symbol << 16 | extra bits (the symbol's low nibble says how many). */
    private int[] record;
    private int recorded;
    private final int maxRecord;
    private boolean overflowed;
    private final int[] lastDc = new int[3];
    /** Pass two: code (shifted over its extra bits) and total length of each table's symbols. */
    private final int[] codes = new int[TABLES * 256];
    private final int[] lengths = new int[TABLES * 256];
    /** Pass two: bits not yet written (the low {@code pendingBits} of {@code pending}). */
    private long pending;
    private int pendingBits;

    /**
     * @param expectedBlocks how many blocks will come (sizes the first record buffer)
     * @param maxRecord how many symbols pass one may keep (4 bytes each) before it gives up its record
     */
    JpegEntropyEncoder(int expectedBlocks, int maxRecord) {
        this.maxRecord = maxRecord;
        this.record = new int[(int) Math.min(Math.max(256L, expectedBlocks * 8L), maxRecord + 1024L)];
    }

    /**
     * Records one block of component {@code component} (0 Y, 1 Cb, 2 Cr) whose quantised coefficients are laid
     * out as {@link JpegForwardDct} leaves them: horizontal frequency u, vertical v at
     * {@code rows[first + u][base + v]}.
     */
    void block(int[][] rows, int first, int base, int component) {
        if (recorded + 80 > record.length) {
            record = Arrays.copyOf(record, record.length * 2);
        }
        // which coefficients are non-zero, as bits in zigzag order: the symbol loop visits only those, and a
        // frequency row that quantised to zeros (most of the high ones) costs one test
        long nonZero = 0;
        for (int u = 0; u < 8; u++) {
            int[] row = rows[first + u];
            int any = 0;
            for (int v = 0; v < 8; v++) {
                any |= row[base + v];
            }
            if (any != 0) {
                for (int v = 0; v < 8; v++) {
                    int value = row[base + v];
                    nonZero |= (long) ((value | -value) >>> 31) << ZIGZAG_OF_TRANSPOSED[u * 8 + v];
                }
            }
        }
        int[] out = record;
        int n = recorded;
        int[] counts = frequency;
        int dcTable = component == 0 ? 0 : 2;
        int dc = rows[first][base];
        int diff = dc - lastDc[component];
        lastDc[component] = dc;
        int size = bitLength(diff);
        out[n++] = dcTable << 24 | size << 16 | extraBits(diff, size);
        counts[dcTable * 256 + size]++;

        int acTable = dcTable + 1;
        int acHead = acTable << 24;
        int acCounts = acTable * 256;
        long ac = nonZero & ~1L;
        int previous = 0;
        while (ac != 0) {
            int k = Long.numberOfTrailingZeros(ac);
            ac &= ac - 1;
            int run = k - previous - 1;
            previous = k;
            while (run >= 16) {
                out[n++] = acHead | 0xF0 << 16;
                counts[acCounts + 0xF0]++;
                run -= 16;
            }
            int v = rows[first + HORIZONTAL[k]][base + VERTICAL[k]];
            size = bitLength(v);
            int symbol = run << 4 | size;
            out[n++] = acHead | symbol << 16 | extraBits(v, size);
            counts[acCounts + symbol]++;
        }
        if (previous < 63) {
            out[n++] = acHead; // EOB
            counts[acCounts]++;
        }
        recorded = n;
    }

    /**
     * Records a block that lies wholly outside the image (the right or bottom of a 4:2:0 MCU): no AC, and the DC
     * of the block before, so it costs two of the shortest codes. libjpeg pads with the same dummy blocks;
     * decoders crop them away.
     */
    void emptyBlock(int component) {
        if (recorded + 2 > record.length) {
            record = Arrays.copyOf(record, record.length * 2);
        }
        int dcTable = component == 0 ? 0 : 2;
        record[recorded++] = dcTable << 24;
        record[recorded++] = (dcTable + 1) << 24;
        frequency[dcTable * 256]++;
        frequency[(dcTable + 1) * 256]++;
    }

    /** Bits needed for |v| (JPEG's magnitude category). */
    private static int bitLength(int v) {
        return 32 - Integer.numberOfLeadingZeros(v < 0 ? -v : v);
    }

    /** The value's low {@code size} bits, negatives as one's complement (v - 1), per T.81 F.1.2.1. */
    private static int extraBits(int v, int size) {
        return (v + (v >> 31)) & ((1 << size) - 1);
    }

    /**
     * End of an MCU row in pass one. Past {@code maxRecord} entries the record is given up: from then on each row's
     * symbols are only counted, and the caller codes the image again in pass two, writing each row as it goes.
     */
    void endRow() {
        if (recorded > maxRecord) {
            overflowed = true;
        }
        if (overflowed) {
            recorded = 0;
        }
    }

    /** Whether pass one gave up its record (see {@link #endRow}): pass two must code the blocks again. */
    boolean overflowed() {
        return overflowed;
    }

    /** Before coding the blocks again: the DC predictions start over, as at the start of the scan. */
    void restart() {
        Arrays.fill(lastDc, 0);
        recorded = 0;
    }

    /**
     * Sets the codes for pass two and makes room in {@code output} for the whole scan: its exact bit count is
     * known from the symbol counts (stuffing adds a byte per 0xFF, rare in compressed data).
     */
    void useTables(JpegOptimalHuffman[] tables, Output output) {
        long totalBits = 0;
        for (int t = 0; t < TABLES; t++) {
            if (tables[t] == null) {
                continue;
            }
            for (int s = 0; s < 256; s++) {
                // code and extra bits go out together: the code shifted over the extra bits' room
                codes[t * 256 + s] = tables[t].code[s] << (s & 15);
                lengths[t * 256 + s] = tables[t].length[s] + (s & 15);
                totalBits += (long) frequency[t * 256 + s] * lengths[t * 256 + s];
            }
        }
        output.ensure(totalBits / 8 + totalBits / 512 + 64);
    }

    /** Pass two: appends the recorded symbols' codes and extra bits to {@code output}, and empties the record. */
    void emit(Output output) {
        byte[] buffer = output.bytes;
        int position = output.length;
        long bits = pending;
        int count = pendingBits;
        int[] entries = record;
        int[] codeOf = codes;
        int[] lengthOf = lengths;
        for (int i = 0, n = recorded; i < n; i++) {
            int entry = entries[i];
            int key = entry >>> 16;
            int length = lengthOf[key];
            bits = bits << length | codeOf[key] | entry & 0xFFFF;
            count += length;
            if (count >= 32) {
                if (position + 8 > buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length + (buffer.length >> 1) + 16);
                }
                count -= 32;
                position = flush(buffer, position, (int) (bits >>> count));
            }
        }
        pending = bits;
        pendingBits = count;
        recorded = 0;
        output.bytes = buffer;
        output.length = position;
    }

    /** The last bits, padded with one bits to a whole byte. */
    void finish(Output output) {
        int count = pendingBits;
        int pad = (8 - (count & 7)) & 7;
        long bits = pending << pad | (1L << pad) - 1;
        count += pad;
        while (count > 0) {
            count -= 8;
            int b = (int) (bits >>> count) & 0xFF;
            output.put(b);
            if (b == 0xFF) {
                output.put(0);
            }
        }
        pendingBits = 0;
    }

    /** Four bytes, each 0xFF followed by a stuffed zero (T.81 F.1.2.3). */
    private static int flush(byte[] buffer, int position, int word) {
        // a byte of word is 0xFF exactly when that byte of ~word is zero: the usual zero-byte test on ~word
        if (((~word - 0x01010101) & word & 0x80808080) == 0) {
            buffer[position] = (byte) (word >>> 24);
            buffer[position + 1] = (byte) (word >>> 16);
            buffer[position + 2] = (byte) (word >>> 8);
            buffer[position + 3] = (byte) word;
            return position + 4;
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = word >>> shift & 0xFF;
            buffer[position++] = (byte) b;
            if (b == 0xFF) {
                buffer[position++] = 0;
            }
        }
        return position;
    }

    /** A growable byte array: the file being written. */
    static final class Output {

        byte[] bytes;
        int length;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        /** Room for {@code more} bytes past the end. */
        void ensure(long more) {
            long needed = length + more;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("JPEG output over 2 GB");
            }
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16L,
                        bytes.length * 3L / 2)));
            }
        }

        void put(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        void putShort(int v) {
            put(v >> 8);
            put(v);
        }
    }
}
