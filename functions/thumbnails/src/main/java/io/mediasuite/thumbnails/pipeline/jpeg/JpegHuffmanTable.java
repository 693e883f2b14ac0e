package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;

/**
 * One DHT table of {@link JpegDecoder}'s Huffman stage, with an 11-bit lookahead: covers most codes, and most
 * code + magnitude pairs of the fast AC and skip tables, also in high-quality (large-coefficient) files; 2048
 * entries per table stay in L1. The decoder's hot loop reads these arrays directly.
 */
final class JpegHuffmanTable {
    static final int LOOKUP_BITS = 11;
    final short[] lookup = new short[1 << LOOKUP_BITS];
    final int[] maxCode = new int[17];
    final int[] valueOffset = new int[17];
    final byte[] values;
    /**
     * AC symbol plus magnitude bits in one lookup, when both fit in the lookahead window:
     * {@code value << 16 | run << 8 | totalBits} (the end of block too, see {@link #END_OF_BLOCK}); 0 when the slow
     * path is needed.
     */
    final int[] fastAc = new int[1 << LOOKUP_BITS];
    /**
     * The run of {@link #fastAc}'s end-of-block entry (value 0): it takes the coefficient index past 63, where the
     * decoder, which checks that anyway, ends the block instead of failing.
     */
    static final int END_OF_BLOCK = 0x80;
    /** For walking past AC coefficients without their values: {@code advance << 8 | totalBits}, 0 = slow. */
    final int[] skipAc = new int[1 << LOOKUP_BITS];
    /**
     * Like {@link #skipAc}, but for as many whole (code, magnitude) pairs as the window holds, up to and
     * including an end-of-block: {@code ENDS_BLOCK | advance << 8 | totalBits}, advance not counting the
     * end-of-block. Usable only when its coefficients fall within the block ({@code k + advance <= 64}, and
     * {@code < 64} before an end-of-block, which a block already complete at 64 does not have); otherwise the
     * bits after the block's last coefficient would be taken from the next block.
     */
    final int[] skipMany = new int[1 << LOOKUP_BITS];
    static final int ENDS_BLOCK = 1 << 16;

    /** Greedy decode of the (code, magnitude) pairs entirely inside the window {@code look}; see skipMany. */
    private int skipSequence(int look) {
        int used = 0;
        int advance = 0;
        while (used < LOOKUP_BITS) {
            int entry = lookup[(look << used) & ((1 << LOOKUP_BITS) - 1)];
            int length = entry >> 8;
            if (entry == 0 || length > LOOKUP_BITS - used) {
                break; // the next code is not wholly inside the window
            }
            int run = (entry & 0xFF) >> 4;
            int size = entry & 15;
            if (size == 0) {
                if (run == 0) {
                    return ENDS_BLOCK | (advance << 8) | (used + length);
                }
                if (run != 15) {
                    break; // invalid symbol: left to the slow path, which rejects it
                }
                used += length;
                advance += 16;
                continue;
            }
            if (length + size > LOOKUP_BITS - used) {
                break;
            }
            used += length + size;
            advance += run + 1;
        }
        return used == 0 ? 0 : (advance << 8) | used;
    }

    JpegHuffmanTable(int[] counts, byte[] values) {
        this.values = values;
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++) {
            valueOffset[length] = k - code;
            if (code + counts[length] > (1 << length)) {
                // More codes of this length than the tree has room for (an over-full table): checked before
                // the lookup entries are written, which would otherwise run past the table.
                throw new CorruptImageException("over-subscribed Huffman table");
            }
            for (int i = 0; i < counts[length]; i++) {
                if (length <= LOOKUP_BITS) {
                    int shift = LOOKUP_BITS - length;
                    int first = code << shift;
                    for (int j = 0; j < (1 << shift); j++) {
                        lookup[first + j] = (short) ((length << 8) | (values[k] & 0xFF));
                    }
                }
                code++;
                k++;
            }
            maxCode[length] = counts[length] > 0 ? code - 1 : -1;
            code <<= 1;
        }
        for (int look = 0; look < (1 << LOOKUP_BITS); look++) {
            int entry = lookup[look];
            if (entry == 0) {
                continue;
            }
            int length = entry >> 8;
            int rs = entry & 0xFF;
            int run = rs >> 4;
            int size = rs & 15;
            if (size == 0) {
                // EOB ends the block (advance past 63); ZRL skips 16 zeros. Other runs with size 0 are invalid.
                if (run == 0) {
                    skipAc[look] = (64 << 8) | length;
                    fastAc[look] = (END_OF_BLOCK << 8) | length;
                } else if (run == 15) {
                    skipAc[look] = (16 << 8) | length;
                }
                continue;
            }
            if (length + size > LOOKUP_BITS) {
                continue;
            }
            skipAc[look] = ((run + 1) << 8) | (length + size);
            int magnitude = (look >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
            int value = extend(magnitude, size);
            fastAc[look] = (value << 16) | (run << 8) | (length + size);
        }
        for (int look = 0; look < (1 << LOOKUP_BITS); look++) {
            skipMany[look] = skipSequence(look);
        }
    }

    /** A magnitude category's bits as the signed value they code (T.81 F.2.2.1, EXTEND). */
    static int extend(int v, int count) {
        return v < (1 << (count - 1)) ? v - (1 << count) + 1 : v;
    }
}
