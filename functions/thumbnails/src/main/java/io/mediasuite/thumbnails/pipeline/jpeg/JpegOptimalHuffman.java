package io.mediasuite.thumbnails.pipeline.jpeg;

/**
 * An optimal Huffman table for {@link JpegEncoder} from symbol counts, by the procedure of ITU T.81 Annex K.2 (the
 * one libjpeg's {@code jpeg_gen_optimal_table} follows): merge the two least frequent nodes until one is left,
 * read off each symbol's code length, then move codes longer than 16 bits up the tree (JPEG's limit), and give
 * up the all-ones code of the longest length (a reserved pseudo-symbol with count 1 takes it during the merge,
 * since a code of all ones could be confused with fill bits). The result is the DHT form ({@link #counts},
 * {@link #symbols}) and the canonical codes of each symbol.
 */
final class JpegOptimalHuffman {

    private static final int RESERVED = 256;

    /** counts[n]: how many codes have n bits, n = 1..16. */
    final int[] counts = new int[17];
    /** The symbols in order of code length, then value. */
    final int[] symbols;
    /** Code and its length in bits, by symbol value (length 0: symbol never used). */
    final int[] code = new int[256];
    final int[] length = new int[256];

    /** @param frequency counts of symbols 0-255 at {@code frequency[offset + s]} (not modified) */
    JpegOptimalHuffman(int[] frequency, int offset) {
        long[] weight = new long[257];
        int[] codeSize = new int[257];
        int[] next = new int[257];
        int[] live = new int[257];
        int liveCount = 0;
        for (int s = 0; s < 256; s++) {
            weight[s] = frequency[offset + s];
            next[s] = -1;
            if (weight[s] > 0) {
                live[liveCount++] = s;
            }
        }
        weight[RESERVED] = 1;
        next[RESERVED] = -1;
        live[liveCount++] = RESERVED;
        while (liveCount > 1) {
            // the two least weights; on a tie the larger symbol, as libjpeg (any choice is optimal)
            int first = -1;
            int second = -1;
            for (int i = 0; i < liveCount; i++) {
                int s = live[i];
                if (first < 0 || weight[s] < weight[live[first]]
                        || weight[s] == weight[live[first]] && s > live[first]) {
                    second = first;
                    first = i;
                } else if (second < 0 || weight[s] < weight[live[second]]
                        || weight[s] == weight[live[second]] && s > live[second]) {
                    second = i;
                }
            }
            int a = live[first];
            int b = live[second];
            weight[a] += weight[b];
            live[second] = live[--liveCount];
            // every symbol under both merged nodes goes one level deeper; b's chain hangs off a's
            int s = a;
            while (true) {
                codeSize[s]++;
                if (next[s] < 0) {
                    break;
                }
                s = next[s];
            }
            next[s] = b;
            for (s = b; s >= 0; s = next[s]) {
                codeSize[s]++;
            }
        }
        int[] bits = new int[258];
        for (int s = 0; s <= RESERVED; s++) {
            if (codeSize[s] > 0) {
                bits[codeSize[s]]++;
            }
        }
        limitTo16Bits(bits);
        System.arraycopy(bits, 0, counts, 0, 17);
        int total = 0;
        for (int n = 1; n <= 16; n++) {
            total += counts[n];
        }
        symbols = new int[total];
        int k = 0;
        for (int n = 1; n <= 256 && k < total; n++) {
            for (int s = 0; s < 256; s++) {
                if (codeSize[s] == n) {
                    symbols[k++] = s;
                }
            }
        }
        int value = 0;
        k = 0;
        for (int n = 1; n <= 16; n++) {
            for (int i = 0; i < counts[n]; i++, k++) {
                code[symbols[k]] = value++;
                length[symbols[k]] = n;
            }
            value <<= 1;
        }
    }

    /**
     * Annex K.3: while a length over 16 has codes, take two of them (siblings), put one a level up and turn a
     * shorter code into a pair one level down; then drop the reserved code (the last one of the longest length).
     */
    private static void limitTo16Bits(int[] bits) {
        for (int n = bits.length - 1; n > 16; n--) {
            while (bits[n] > 0) {
                int j = n - 2;
                while (bits[j] == 0) {
                    j--;
                }
                bits[n] -= 2;
                bits[n - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }
        int n = 16;
        while (bits[n] == 0) {
            n--;
        }
        bits[n]--;
    }
}
