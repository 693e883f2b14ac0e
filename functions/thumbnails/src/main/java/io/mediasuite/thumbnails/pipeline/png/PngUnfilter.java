package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.resample.VectorApi;

/**
 * The row-filter stage of {@link PngDecoder}: undoes PNG's five filters (none, sub, up, average, Paeth) one row at a
 * time. One instance per image; it keeps the previous unfiltered row.
 *
 * <p>Why rows are copied out of the inflate batch first: each filter reads the row above, and with both rows in one
 * array at different offsets C2 must assume the two ranges may overlap, so it does not vectorise even "up" (one
 * add per byte). With the current row and the row above in two arrays of their own, at the same index, "up" becomes
 * a SIMD add: 3.2 MB of a 16-bit "up"-filtered image went from ~10 ms to well under 1. Sub, average and Paeth
 * depend on the pixel to the left, so they stay scalar, with the left pixel of RGB and RGBA rows kept in locals
 * (see {@link #sub}; PNGs written by libpng-based tools with adaptive filtering are mostly Paeth rows).
 *
 * <p>That is the row-at-a-time path ({@link #next}). With the Vector API, {@link #batch} undoes a batch's rows in
 * bands instead, one row per lane ({@link VectorUnfilter}): rows do not wait on each other the way a row's bytes
 * do, and the Paeth-filtered photo's unfiltering drops from ~55 ms to 16. Both give the same bytes.
 */
final class PngUnfilter {

    /** The most rows a {@link VectorUnfilter} band takes (32: 512-bit vectors of 16-bit lanes). */
    static final int MAX_BAND_ROWS = 32;

    private final int rowBytes;
    private final int bpp;
    private byte[] current;
    private byte[] above;
    /** Whether batches go in bands ({@link VectorUnfilter}) where they have chained rows. */
    private final boolean banded;
    /** The band pass, made at the first band that needs it (~1 MB at most: not for images without such rows). */
    private VectorUnfilter bands;

    /**
     * @param rowBytes filtered bytes per row, without the filter-type byte
     * @param bpp      bytes per complete pixel, at least 1 (PNG's "bpp" for bit depths under 8)
     */
    PngUnfilter(int rowBytes, int bpp) {
        this(rowBytes, bpp, false);
    }

    private PngUnfilter(int rowBytes, int bpp, boolean banded) {
        this.rowBytes = rowBytes;
        this.bpp = bpp;
        this.current = new byte[rowBytes];
        this.above = new byte[rowBytes]; // the row above the first row is all zeros
        this.banded = banded;
    }

    /**
     * The unfilter for batches of {@code batchRows} rows ({@link #batch}): in bands of rows with the Vector API
     * ({@link VectorUnfilter}) when it is there, a batch fills at least a quarter of a band (with fewer rows the
     * band's per-step work outweighs the scalar chains, and its skewed array would grow past a few batches of wide
     * rows) and rows are at least a band's lanes of pixels wide (a band costs {@code bpp * (lanes + 1)} steps more
     * than its width: a 1-pixel-wide 16-bit RGBA image unfiltered 2.7x slower in bands), else a row at a time.
     */
    static PngUnfilter forBatches(int rowBytes, int bpp, int batchRows) {
        boolean banded = VectorApi.AVAILABLE && VectorUnfilter.USABLE && batchRows * 4 >= VectorUnfilter.LANES
                && rowBytes >= (long) bpp * VectorUnfilter.LANES;
        return new PngUnfilter(rowBytes, bpp, banded);
    }

    /**
     * Bytes {@link #forBatches} may hold for these rows: the band pass's arrays, counted for the widest band
     * whenever a band could be used (the budget does not depend on the JVM's flags), plus the two scalar rows.
     */
    static long bufferBytes(long rowBytes, int bpp, long batchRows) {
        long bandBytes = batchRows * 4 >= 8 ? bandBytes(rowBytes, bpp, MAX_BAND_ROWS) : 0;
        return bandBytes + 2 * rowBytes;
    }

    /**
     * Bytes a {@link VectorUnfilter} of {@code lanes} rows holds: its skewed array (a byte per lane and step) and
     * the row above (a byte per step). Here, not there, so that the budget can be computed without the Vector API.
     */
    static long bandBytes(long rowBytes, int bpp, int lanes) {
        long steps = 2L * bpp + rowBytes + (long) bpp * (lanes - 1);
        return steps * lanes + steps;
    }

    /**
     * Unfilters rows 0 to {@code rows - 1} of {@code batch} in place: row {@code r}'s filter type at {@code r *
     * stride}, its bytes after it, where they stay, unfiltered. The row above the first is the last of the batch
     * before.
     */
    void batch(byte[] batch, int rows, int stride) {
        int band = banded ? VectorUnfilter.LANES : rows;
        for (int first = 0; first < rows; first += band) {
            int n = Math.min(band, rows - first);
            if (banded && chained(batch, first, n, stride)) {
                if (bands == null) {
                    bands = new VectorUnfilter(rowBytes, bpp);
                }
                // The row above is in `current` (the row-at-a-time path's previous row); so is the band's last.
                bands.band(batch, first, n, stride, current);
                System.arraycopy(batch, (first + n - 1) * stride + 1, current, 0, rowBytes);
            } else {
                for (int r = first, at = first * stride; r < first + n; r++, at += stride) {
                    byte[] row = next(batch, at);
                    if (batch[at] != 0) { // a row filtered with none is already itself in the batch
                        System.arraycopy(row, 0, batch, at + 1, rowBytes);
                    }
                }
            }
        }
    }

    /**
     * Whether any of these rows is filtered with sub, average or Paeth, the filters that chain along a row. Rows of
     * none and up only go a row at a time: up is a SIMD add there, none a copy, both cheaper than a band's two
     * skewed copies (which made the unfiltered photo's decode 15-20 ms slower).
     */
    private static boolean chained(byte[] batch, int first, int rows, int stride) {
        for (int r = first, at = first * stride; r < first + rows; r++, at += stride) {
            int type = batch[at];
            if (type == 1 || type == 3 || type == 4) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #batch} works in bands of rows ({@link VectorUnfilter}) where rows chain. */
    boolean usesBands() {
        return banded;
    }

    /** Bytes the band pass holds now (0 before the first band that needs it). */
    long bandBytesHeld() {
        return bands == null ? 0 : bands.heldBytes();
    }

    /**
     * Unfilters the next row: {@code src[at]} is its filter type, the filtered bytes follow. Returns the unfiltered
     * row at index 0, valid until the next call ({@code src} is left as it was).
     */
    byte[] next(byte[] src, int at) {
        byte[] row = above; // the row two above is no longer needed: reuse its array
        above = current;
        current = row;
        System.arraycopy(src, at + 1, row, 0, rowBytes);
        unfilter(src[at], row, above, rowBytes, bpp);
        return row;
    }

    /** Undoes filter {@code type} on {@code row} in place, {@code prior} being the unfiltered row above. */
    static void unfilter(int type, byte[] row, byte[] prior, int n, int bpp) {
        switch (type) {
            case 0 -> {
            }
            case 1 -> sub(row, n, bpp);
            case 2 -> up(row, prior, n);
            case 3 -> average(row, prior, n, bpp);
            case 4 -> paeth(row, prior, n, bpp);
            default -> throw new CorruptImageException("bad PNG filter type " + type);
        }
    }

    /**
     * Sub: each byte plus the byte a pixel to its left. For 3- and 4-byte pixels the left pixel is kept in locals:
     * reading back a byte stored a few iterations earlier stalls on every byte (5 ns per byte against 0.5 measured
     * on RGBA rows). The same holds for {@link #average} and {@link #paeth}.
     */
    private static void sub(byte[] row, int n, int bpp) {
        if (bpp == 3 && n % 3 == 0) {
            int a0 = row[0];
            int a1 = row[1];
            int a2 = row[2];
            for (int i = 3; i < n; i += 3) {
                a0 += row[i];
                a1 += row[i + 1];
                a2 += row[i + 2];
                row[i] = (byte) a0;
                row[i + 1] = (byte) a1;
                row[i + 2] = (byte) a2;
            }
        } else if (bpp == 4 && n % 4 == 0) {
            int a0 = row[0];
            int a1 = row[1];
            int a2 = row[2];
            int a3 = row[3];
            for (int i = 4; i < n; i += 4) {
                a0 += row[i];
                a1 += row[i + 1];
                a2 += row[i + 2];
                a3 += row[i + 3];
                row[i] = (byte) a0;
                row[i + 1] = (byte) a1;
                row[i + 2] = (byte) a2;
                row[i + 3] = (byte) a3;
            }
        } else {
            for (int i = bpp; i < n; i++) {
                row[i] += row[i - bpp];
            }
        }
    }

    /** Same index on both sides: the form C2 turns into SIMD adds. */
    private static void up(byte[] row, byte[] prior, int n) {
        for (int i = 0; i < n; i++) {
            row[i] += prior[i];
        }
    }

    private static void average(byte[] row, byte[] prior, int n, int bpp) {
        int first = Math.min(n, bpp);
        for (int i = 0; i < first; i++) {
            row[i] += (byte) ((prior[i] & 0xFF) >> 1);
        }
        if (bpp == 3 && n % 3 == 0) {
            int a0 = row[0] & 0xFF;
            int a1 = row[1] & 0xFF;
            int a2 = row[2] & 0xFF;
            for (int i = 3; i < n; i += 3) {
                a0 = (row[i] + ((a0 + (prior[i] & 0xFF)) >> 1)) & 0xFF;
                a1 = (row[i + 1] + ((a1 + (prior[i + 1] & 0xFF)) >> 1)) & 0xFF;
                a2 = (row[i + 2] + ((a2 + (prior[i + 2] & 0xFF)) >> 1)) & 0xFF;
                row[i] = (byte) a0;
                row[i + 1] = (byte) a1;
                row[i + 2] = (byte) a2;
            }
        } else if (bpp == 4 && n % 4 == 0) {
            int a0 = row[0] & 0xFF;
            int a1 = row[1] & 0xFF;
            int a2 = row[2] & 0xFF;
            int a3 = row[3] & 0xFF;
            for (int i = 4; i < n; i += 4) {
                a0 = (row[i] + ((a0 + (prior[i] & 0xFF)) >> 1)) & 0xFF;
                a1 = (row[i + 1] + ((a1 + (prior[i + 1] & 0xFF)) >> 1)) & 0xFF;
                a2 = (row[i + 2] + ((a2 + (prior[i + 2] & 0xFF)) >> 1)) & 0xFF;
                a3 = (row[i + 3] + ((a3 + (prior[i + 3] & 0xFF)) >> 1)) & 0xFF;
                row[i] = (byte) a0;
                row[i + 1] = (byte) a1;
                row[i + 2] = (byte) a2;
                row[i + 3] = (byte) a3;
            }
        } else {
            for (int i = first; i < n; i++) {
                row[i] += (byte) (((row[i - bpp] & 0xFF) + (prior[i] & 0xFF)) >> 1);
            }
        }
    }

    /**
     * Paeth: a (left), b (above), c (above left); the predictor is whichever is closest to a + b - c, ties going to
     * a, then b. With p = a + b - c the distances are |b - c|, |a - c| and |a + b - 2c|.
     *
     * <p>Each byte depends on the one a pixel to its left, so the row is a chain per channel. For 3- and 4-byte
     * pixels (RGB, RGBA: nearly every Paeth-filtered file) the channels are unrolled and the left pixel stays in
     * locals, so the chains run side by side without a store and reload between bytes.
     */
    private static void paeth(byte[] row, byte[] prior, int n, int bpp) {
        int first = Math.min(n, bpp);
        for (int i = 0; i < first; i++) {
            row[i] += prior[i]; // a = c = 0: the predictor is b
        }
        if (bpp == 3 && n % 3 == 0) {
            paeth3(row, prior, n);
        } else if (bpp == 4 && n % 4 == 0) {
            paeth4(row, prior, n);
        } else {
            for (int i = first; i < n; i++) {
                row[i] += (byte) predictor(row[i - bpp] & 0xFF, prior[i] & 0xFF, prior[i - bpp] & 0xFF);
            }
        }
    }

    private static void paeth3(byte[] row, byte[] prior, int n) {
        int a0 = row[0] & 0xFF;
        int a1 = row[1] & 0xFF;
        int a2 = row[2] & 0xFF;
        int c0 = prior[0] & 0xFF;
        int c1 = prior[1] & 0xFF;
        int c2 = prior[2] & 0xFF;
        for (int i = 3; i < n; i += 3) {
            int b0 = prior[i] & 0xFF;
            int b1 = prior[i + 1] & 0xFF;
            int b2 = prior[i + 2] & 0xFF;
            a0 = (row[i] + predictor(a0, b0, c0)) & 0xFF;
            a1 = (row[i + 1] + predictor(a1, b1, c1)) & 0xFF;
            a2 = (row[i + 2] + predictor(a2, b2, c2)) & 0xFF;
            row[i] = (byte) a0;
            row[i + 1] = (byte) a1;
            row[i + 2] = (byte) a2;
            c0 = b0;
            c1 = b1;
            c2 = b2;
        }
    }

    private static void paeth4(byte[] row, byte[] prior, int n) {
        int a0 = row[0] & 0xFF;
        int a1 = row[1] & 0xFF;
        int a2 = row[2] & 0xFF;
        int a3 = row[3] & 0xFF;
        int c0 = prior[0] & 0xFF;
        int c1 = prior[1] & 0xFF;
        int c2 = prior[2] & 0xFF;
        int c3 = prior[3] & 0xFF;
        for (int i = 4; i < n; i += 4) {
            int b0 = prior[i] & 0xFF;
            int b1 = prior[i + 1] & 0xFF;
            int b2 = prior[i + 2] & 0xFF;
            int b3 = prior[i + 3] & 0xFF;
            a0 = (row[i] + predictor(a0, b0, c0)) & 0xFF;
            a1 = (row[i + 1] + predictor(a1, b1, c1)) & 0xFF;
            a2 = (row[i + 2] + predictor(a2, b2, c2)) & 0xFF;
            a3 = (row[i + 3] + predictor(a3, b3, c3)) & 0xFF;
            row[i] = (byte) a0;
            row[i + 1] = (byte) a1;
            row[i + 2] = (byte) a2;
            row[i + 3] = (byte) a3;
            c0 = b0;
            c1 = b1;
            c2 = b2;
            c3 = b3;
        }
    }

    /**
     * The Paeth predictor: of a, b and c, the one nearest to {@code p = a + b - c}, ties to a, then b (the
     * specification's order; checked against its form for every triple in PngUnfilterTest). Each candidate becomes
     * a key, distance above priority above value, and the smallest key wins: two {@code Math.min}. Photos make
     * the choice unpredictable, so it must not become a branch; the loop is bound by its instruction count (three
     * channels' chains run side by side), and this form takes fewer than sign masks. Measured on random photo-like
     * rows (micro-benchmark, 6 MP): 60-68 ms against the masks' 66, and after warming up on flat rows first (the
     * profile that made C2 compile {@code ?:} selects to branches: 30 % slower in a full sweep) 52-64 ms against
     * the masks' 132-140 and the selects' 156-172. The distance is squared, not taken absolute: the same order
     * (and ties), one multiply where {@code Math.abs} is three instructions, and it still fits the key (510^2 <
     * 2^18): 2-6 % less CPU on the adaptive-filter photo's renders by {@code ab.sh}.
     *
     * @return the winning key: its low 8 bits are the prediction (callers add and keep 8 bits anyway, so the
     *         key is not masked here: 3 % less on that photo)
     */
    private static int predictor(int a, int b, int c) {
        int pMinusA = b - c; // p = a + b - c
        int pMinusB = a - c;
        int pMinusC = pMinusA + pMinusB;
        int keyA = pMinusA * pMinusA << 10 | a;
        int keyB = pMinusB * pMinusB << 10 | 1 << 8 | b;
        int keyC = pMinusC * pMinusC << 10 | 2 << 8 | c;
        return Math.min(Math.min(keyA, keyB), keyC);
    }
}
