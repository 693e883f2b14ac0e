package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Deadline;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The inflate stage of {@link PngDecoder}: a zlib (RFC 1950) / deflate (RFC 1951) decoder for the image data, read
 * out in batches of rows.
 *
 * <p>Why not {@link java.util.zip.Inflater}: the JDK's zlib copies matches a byte at a time. PNG rows repeat (flat
 * areas, drawings, "up"-filtered rows), so much of a PNG is long matches, which a Java {@code arraycopy} moves at
 * memory speed: on the corpus the 16-bit flag inflates in 0.3 ms instead of 7.5, the alpha drawing in 6 instead of
 * 14 (28 instead of 6 when its rows are filtered), and a literal-heavy photo at the same speed as zlib (measured
 * against {@code Inflater}, see the thumbnails README, "PNG inflate").
 *
 * <p>How: a 64-bit bit buffer refilled eight bytes at a time; Huffman codes resolved through a table indexed by
 * the next {@value #LIT_BITS} (lengths/literals) or {@value #DIST_BITS} (distances) bits, longer codes through a
 * second-level table; the output is kept in one array holding the last 32 KB (the largest distance deflate may
 * refer to) plus a batch, slid down when full. The stream is validated as zlib does: header, block types, code
 * lengths (over-subscribed or, but for a single distance code, incomplete codes), symbols and distances; any
 * violation, and running out of input, is a {@link CorruptImageException}. The Adler-32 trailer is not checked:
 * the decoder stops at the last row it needs, and each IDAT chunk's CRC already covers the bytes.
 */
final class PngInflater {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    static final int LIT_BITS = 10;
    static final int DIST_BITS = 8;
    private static final int WINDOW = 32 << 10;
    private static final int MAX_MATCH = 258;
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
        769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
        11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    // Table entries: bits 0-7 the code length (in this table level), bits 8-9 the kind, bit 15 ROOT_LITERAL,
    // bits 16-31 the value.
    // A zero entry is a code the table does not define.
    private static final int LITERAL = 0;
    private static final int LENGTH = 1 << 8;
    private static final int END = 2 << 8;
    private static final int SUBTABLE = 3 << 8; // value: subtable start; bits 10-13: subtable index bits
    private static final int KIND = 3 << 8;
    /**
     * Set on literal entries of a first level: the decode loop's one test for its commonest case (a zero entry, an
     * undefined code, has kind LITERAL too, so the kind alone would not do), where the general path tests the kind
     * for a second level, the length for an undefined code and the kind again.
     */
    private static final int ROOT_LITERAL = 1 << 15;

    /** What a table decodes (what its symbols mean, and which incomplete codes deflate allows). */
    static final int CODE_LENGTHS = 0;
    static final int LITERALS = 1;
    static final int DISTANCES = 2;

    private final byte[] in;
    private final int end;
    private int pos;
    private long bits;
    private int count;

    /** Output: [0, op) produced; [read, op) not yet handed out; everything before op within WINDOW is history. */
    private final byte[] out;
    private int op;
    private int read;

    private boolean lastBlock;
    private boolean inBlock;
    private boolean finished;
    private int storedLeft = -1; // >= 0: inside a stored block
    // Each symbol opens at most one second-level table, of at most 2^(15 - root bits) entries.
    private static final int LIT_TABLE = (1 << LIT_BITS) + 288 * (1 << (15 - LIT_BITS));
    private static final int DIST_TABLE = (1 << DIST_BITS) + 32 * (1 << (15 - DIST_BITS));
    private final int[] litTable = new int[LIT_TABLE];
    private final int[] distTable = new int[DIST_TABLE];
    private final int[] lengths = new int[288 + 32];
    /** The tables of the current block: the fixed ones (built once) or this instance's. */
    private int[] lit;
    private int[] dist;
    private final Deadline deadline;
    private int blocks;

    // Fixed Huffman blocks (RFC 1951 3.2.6) share one pair of tables: a stream of empty fixed blocks (10 bits each)
    // must not rebuild tables 800 000 times per megabyte.
    private static final int[] FIXED_LIT = new int[LIT_TABLE];
    private static final int[] FIXED_DIST = new int[DIST_TABLE];

    static {
        int[] fixed = new int[288 + 32];
        Arrays.fill(fixed, 0, 144, 8);
        Arrays.fill(fixed, 144, 256, 9);
        Arrays.fill(fixed, 256, 280, 7);
        Arrays.fill(fixed, 280, 288, 8);
        Arrays.fill(fixed, 288, 320, 5);
        build(fixed, 0, 288, FIXED_LIT, LIT_BITS, LITERALS);
        build(fixed, 288, 32, FIXED_DIST, DIST_BITS, DISTANCES);
    }

    /**
     * @param in       the zlib stream (all of it: IDAT payloads joined)
     * @param offset   where it starts
     * @param length   its length
     * @param batch    the most bytes one {@link #readFully} will ask for
     * @param deadline checked every 64 blocks: a stream of many tiny blocks costs time without output
     */
    PngInflater(byte[] in, int offset, int length, int batch, Deadline deadline) {
        this.deadline = deadline;
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.out = new byte[WINDOW + Math.max(batch, WINDOW) + MAX_MATCH];
        if (length < 2) {
            throw new CorruptImageException("PNG image data ends early");
        }
        int cmf = in[offset] & 0xFF;
        int flg = in[offset + 1] & 0xFF;
        if ((cmf & 0x0F) != 8 || (cmf >>> 4) > 7 || (cmf * 256 + flg) % 31 != 0) {
            throw new CorruptImageException("corrupt PNG image data: bad zlib header");
        }
        if ((flg & 0x20) != 0) {
            throw new CorruptImageException("PNG zlib stream needs a dictionary");
        }
        pos += 2;
    }

    /** Bytes of working memory one instance holds (for the decode budget). */
    static long workingBytes(int batch) {
        return WINDOW + Math.max(batch, WINDOW) + MAX_MATCH + 4L * (LIT_TABLE + DIST_TABLE);
    }

    /** Fills {@code dst[off, off + length)}; a stream that ends first is corrupt. */
    void readFully(byte[] dst, int off, int length) {
        while (length > 0) {
            if (read == op) {
                if (finished) {
                    throw new CorruptImageException("PNG image data ends early");
                }
                produce();
                continue;
            }
            int n = Math.min(length, op - read);
            System.arraycopy(out, read, dst, off, n);
            read += n;
            off += n;
            length -= n;
        }
    }

    /** Decodes until the output array is nearly full or the stream ends. */
    private void produce() {
        if (op > out.length - MAX_MATCH - WINDOW / 2) {
            // Keep the last 32 KB as history, everything handed out before it can go.
            int keep = Math.min(op, WINDOW);
            int shift = op - keep;
            System.arraycopy(out, shift, out, 0, keep);
            op -= shift;
            read -= shift;
        }
        int limit = out.length - MAX_MATCH;
        while (op < limit && !finished) {
            if (!inBlock) {
                if (lastBlock) {
                    finished = true;
                    break;
                }
                if ((++blocks & 63) == 0) {
                    deadline.check();
                }
                startBlock();
            } else if (storedLeft >= 0) {
                copyStored(limit);
            } else {
                decodeSymbols(limit);
            }
            // The bit buffer is padded with zero bytes past the end of the input; decoding any of those bits means
            // the stream was cut short (zero bits are valid codes: without this, up to 8 bytes of padding could
            // decode as output the input never held).
            if (pos > end && (long) (pos - end) * 8 > count) {
                throw new CorruptImageException("PNG image data ends early");
            }
        }
    }

    private void refill() {
        if (pos + 8 <= end) {
            bits |= ((long) LONG.get(in, pos)) << count;
            pos += (63 - count) >>> 3;
            count |= 56;
        } else {
            while (count <= 56) {
                if (pos >= end + 8) {
                    // Eight bytes of zero padding have been read past the end: the stream asks for more than it
                    // has.
                    throw new CorruptImageException("PNG image data ends early");
                }
                if (pos < end) {
                    bits |= (long) (in[pos] & 0xFF) << count;
                }
                pos++;
                count += 8;
            }
        }
    }

    private int take(int n) {
        if (count < n) {
            refill();
        }
        int v = (int) (bits & ((1L << n) - 1));
        bits >>>= n;
        count -= n;
        return v;
    }

    private void startBlock() {
        lastBlock = take(1) == 1;
        int type = take(2);
        switch (type) {
            case 0 -> {
                take(count & 7); // to a byte boundary
                // Bytes already in the bit buffer go back to the input.
                pos -= count >>> 3;
                bits = 0;
                count = 0;
                if (pos + 4 > end) {
                    throw new CorruptImageException("PNG image data ends early");
                }
                int len = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
                int nlen = (in[pos + 2] & 0xFF) | (in[pos + 3] & 0xFF) << 8;
                if (len != (~nlen & 0xFFFF)) {
                    throw new CorruptImageException("corrupt PNG image data: stored block length");
                }
                pos += 4;
                storedLeft = len;
            }
            case 1 -> {
                lit = FIXED_LIT;
                dist = FIXED_DIST;
            }
            case 2 -> {
                readDynamicTables();
                lit = litTable;
                dist = distTable;
            }
            default -> throw new CorruptImageException("corrupt PNG image data: block type 3");
        }
        inBlock = true;
    }

    private void readDynamicTables() {
        int nlit = take(5) + 257;
        int ndist = take(5) + 1;
        int ncode = take(4) + 4;
        if (nlit > 286 || ndist > 30) {
            throw new CorruptImageException("corrupt PNG image data: too many codes");
        }
        int[] codeLengths = new int[19];
        for (int i = 0; i < ncode; i++) {
            codeLengths[CODE_LENGTH_ORDER[i]] = take(3);
        }
        int[] codeTable = new int[1 << 7];
        build(codeLengths, 0, 19, codeTable, 7, CODE_LENGTHS);
        int[] lens = lengths;
        Arrays.fill(lens, 0);
        int total = nlit + ndist;
        for (int i = 0; i < total; ) {
            if (count < 16) {
                refill();
            }
            int symbol = next(codeTable, 7) >>> 16;
            if (symbol < 16) {
                lens[i < nlit ? i : 288 + i - nlit] = symbol;
                i++;
                continue;
            }
            int repeat;
            int value = 0;
            if (symbol == 16) {
                if (i == 0) {
                    throw new CorruptImageException("corrupt PNG image data: repeat with no length");
                }
                value = lens[i - 1 < nlit ? i - 1 : 288 + i - 1 - nlit];
                repeat = 3 + take(2);
            } else if (symbol == 17) {
                repeat = 3 + take(3);
            } else {
                repeat = 11 + take(7);
            }
            if (i + repeat > total) {
                throw new CorruptImageException("corrupt PNG image data: code lengths overflow");
            }
            while (repeat-- > 0) {
                lens[i < nlit ? i : 288 + i - nlit] = value;
                i++;
            }
        }
        if (lens[256] == 0) {
            throw new CorruptImageException("corrupt PNG image data: no end-of-block code");
        }
        build(lens, 0, nlit, litTable, LIT_BITS, LITERALS);
        build(lens, 288, ndist, distTable, DIST_BITS, DISTANCES);
    }

    private void copyStored(int limit) {
        int n = Math.min(storedLeft, limit - op);
        if (n > end - pos) {
            throw new CorruptImageException("PNG image data ends early");
        }
        System.arraycopy(in, pos, out, op, n);
        pos += n;
        op += n;
        storedLeft -= n;
        if (storedLeft == 0) {
            storedLeft = -1;
            inBlock = false;
        }
    }

    /** Huffman-coded symbols until the end of the block or until {@code op} reaches {@code limit}. */
    private void decodeSymbols(int limit) {
        int[] lit = this.lit;
        int[] dist = this.dist;
        byte[] o = out;
        int p = op;
        while (p < limit) {
            // A literal/length code (up to 15 bits) and a length's extra bits (up to 5): refilled only when fewer
            // are left, about every seventh literal of a photo instead of every second.
            if (count < 20) {
                refill();
            }
            int e = lit[(int) (bits & ((1 << LIT_BITS) - 1))];
            if ((e & (KIND | ROOT_LITERAL)) == ROOT_LITERAL) {
                int length = e & 0xFF;
                bits >>>= length;
                count -= length;
                o[p++] = (byte) (e >>> 16);
                continue;
            }
            e = next(lit, LIT_BITS);
            int kind = e & KIND;
            if (kind == LITERAL) {
                o[p++] = (byte) (e >>> 16);
                continue;
            }
            if (kind == END) {
                inBlock = false;
                break;
            }
            int li = e >>> 16;
            int extra = LENGTH_EXTRA[li];
            int matchLength = LENGTH_BASE[li] + (int) (bits & ((1 << extra) - 1));
            bits >>>= extra;
            count -= extra;
            if (count < 32) {
                refill();
            }
            int di = next(dist, DIST_BITS) >>> 16;
            int dExtra = DIST_EXTRA[di];
            int distance = DIST_BASE[di] + (int) (bits & ((1 << dExtra) - 1));
            bits >>>= dExtra;
            count -= dExtra;
            // Before the first slide p is all the output there is; after it p >= 32 KB, the largest distance.
            if (distance > p) {
                throw new CorruptImageException("corrupt PNG image data: distance too far back");
            }
            int from = p - distance;
            if (distance >= matchLength) {
                System.arraycopy(o, from, o, p, matchLength);
                p += matchLength;
            } else if (distance == 1) {
                Arrays.fill(o, p, p + matchLength, o[from]);
                p += matchLength;
            } else {
                // Overlapping: the copied run repeats with period `distance`; copy it in growing pieces.
                int stop = p + matchLength;
                while (p < stop) {
                    int n = Math.min(p - from, stop - p);
                    System.arraycopy(o, from, o, p, n);
                    p += n;
                }
            }
        }
        op = p;
    }

    /**
     * Decodes one Huffman code through {@code table} (first level of {@code rootBits}, then its second level if the
     * entry points to one) and consumes its bits; the caller has refilled enough bits for the longest code. Returns
     * the table entry (value in bits 16-31, kind in bits 8-9); a code the table does not define is corrupt.
     */
    private int next(int[] table, int rootBits) {
        int e = table[(int) (bits & ((1 << rootBits) - 1))];
        if ((e & KIND) == SUBTABLE) {
            bits >>>= rootBits;
            count -= rootBits;
            e = table[(e >>> 16) + (int) (bits & ((1 << ((e >>> 10) & 0xF)) - 1))];
        }
        int length = e & 0xFF;
        if (length == 0) {
            throw new CorruptImageException("corrupt PNG image data: undefined Huffman code");
        }
        bits >>>= length;
        count -= length;
        return e;
    }

    /**
     * Builds a decoding table for {@code n} code lengths at {@code lens[off]} (canonical Huffman codes, RFC 1951
     * 3.2.2): a first level of {@code 2^rootBits} entries indexed by the next bits (codes are stored bit-reversed
     * in the stream), codes longer than that through second-level tables appended after it. Over-subscribed
     * lengths are corrupt; incomplete ones only where deflate allows them (one distance code, or none).
     */
    static void build(int[] lens, int off, int n, int[] table, int rootBits, int what) {
        int[] perLength = new int[16];
        int max = 0;
        for (int i = 0; i < n; i++) {
            int l = lens[off + i];
            perLength[l]++;
            max = Math.max(max, l);
        }
        perLength[0] = 0;
        int left = 1;
        for (int l = 1; l < 16; l++) {
            left = (left << 1) - perLength[l];
            if (left < 0) {
                throw new CorruptImageException("corrupt PNG image data: over-subscribed code");
            }
        }
        // As zlib: an incomplete code is corrupt, except a literal/length or distance code of a single symbol (one
        // code of one bit) or none; using the codes it leaves undefined is caught when decoding.
        if (left > 0 && max > 0 && (what == CODE_LENGTHS || max != 1)) {
            throw new CorruptImageException("corrupt PNG image data: incomplete code");
        }
        int[] nextCode = new int[16];
        for (int l = 1, code = 0; l < 16; l++) {
            code = (code + perLength[l - 1]) << 1;
            nextCode[l] = code;
        }
        int root = 1 << rootBits;
        Arrays.fill(table, 0, root, 0);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            int l = lens[off + i];
            if (l != 0) {
                codes[i] = Integer.reverse(nextCode[l]++) >>> (32 - l);
            }
        }
        // Second-level sizes: for each root prefix, the longest code that starts with it.
        int[] subBits = new int[root];
        if (max > rootBits) {
            for (int i = 0; i < n; i++) {
                int l = lens[off + i];
                if (l > rootBits) {
                    int prefix = codes[i] & (root - 1);
                    subBits[prefix] = Math.max(subBits[prefix], l - rootBits);
                }
            }
        }
        int next = root;
        for (int i = 0; i < n; i++) {
            int l = lens[off + i];
            if (l == 0) {
                continue;
            }
            int kind;
            int value;
            if (what != LITERALS) {
                if (what == DISTANCES && i >= DIST_BASE.length) {
                    continue; // distance codes 30 and 31 take part in the code but may not occur
                }
                kind = LENGTH; // a distance, or a code length code: the value is the symbol
                value = i;
            } else if (i < 256) {
                kind = LITERAL;
                value = i;
            } else if (i == 256) {
                kind = END;
                value = 0;
            } else {
                kind = LENGTH;
                value = i - 257;
                if (value >= LENGTH_BASE.length) {
                    // Length symbols 286 and 287: likewise.
                    continue;
                }
            }
            int code = codes[i];
            if (l <= rootBits) {
                int entry = value << 16 | kind | l | (kind == LITERAL ? ROOT_LITERAL : 0);
                for (int j = code; j < root; j += 1 << l) {
                    table[j] = entry;
                }
            } else {
                int prefix = code & (root - 1);
                int sub = subBits[prefix];
                int start;
                if ((table[prefix] & KIND) == SUBTABLE) {
                    start = table[prefix] >>> 16;
                } else {
                    start = next;
                    table[prefix] = start << 16 | sub << 10 | SUBTABLE;
                    Arrays.fill(table, start, start + (1 << sub), 0);
                    next += 1 << sub;
                }
                int rest = code >>> rootBits;
                int restLength = l - rootBits;
                int entry = value << 16 | kind | restLength;
                for (int j = rest; j < 1 << sub; j += 1 << restLength) {
                    table[start + j] = entry;
                }
            }
        }
    }
}
