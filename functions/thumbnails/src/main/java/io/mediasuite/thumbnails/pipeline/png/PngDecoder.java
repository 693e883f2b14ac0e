package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.Exif;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.ResizePlan;
import io.mediasuite.thumbnails.pipeline.UnsupportedImageException;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A streaming PNG decoder that feeds each unfiltered row straight into a {@link PlaneReducer}, so a 6 MP PNG is
 * thumbnailed holding a 256 KB batch of its rows, not a 24 MB raster (ImageIO's reader allocates the full image and
 * then converts it pixel by pixel); an image already inside the box skips the reducer. Handles every non-interlaced
 * colour type and bit depth: 16-bit samples are rounded to 8 bits, palettes and low bit depths are expanded,
 * {@code tRNS} becomes alpha, and colour planes are premultiplied by alpha before averaging so transparent pixels do
 * not bleed their (arbitrary) colour into the edges. Interlaced (Adam7) files throw
 * {@link UnsupportedImageException} and go to ImageIO.
 *
 * <p>Critical chunks are CRC-checked and a missing row is an error: truncated and corrupt files are rejected.
 */
public final class PngDecoder {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504C5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;
    private static final int TRNS = 0x74524E53;
    private static final int ICCP = 0x69434350;
    private static final int EXIF = 0x65584966;
    private static final int MAX_ICC_BYTES = 4 << 20;
    /** Inflated bytes per batch of rows (at least one row). */
    private static final int INFLATE_BATCH_BYTES = 256 << 10;

    /** IHDR and the ancillary chunks before the image data. */
    public static final class Header {
        int width;
        int height;
        int bitDepth;
        int colourType;
        int interlace;
        byte[] palette;
        byte[] transparency;
        byte[] icc;
        int orientation = 1;
        int firstChunk;
        /** IDAT chunks and their payload bytes in all (the decoder joins them when there are several). */
        int idatChunks;
        long idatBytes;

        // Read-only views for the guard and the budget in the parent package; the decoder uses the fields.

        /** Image width in pixels. */
        public int width() {
            return width;
        }

        /** Image height in pixels. */
        public int height() {
            return height;
        }

        /** Bits per sample (1, 2, 4, 8 or 16). */
        public int bitDepth() {
            return bitDepth;
        }

        /** Adam7 interlacing (such files go to ImageIO). */
        public boolean interlaced() {
            return interlace != 0;
        }

        /** EXIF orientation (eXIf chunk), 1 (as stored) when absent. */
        public int orientation() {
            return orientation;
        }

        boolean hasAlpha() {
            return colourType == 4 || colourType == 6 || transparency != null;
        }

        /** Samples per pixel as stored: 1 gray or palette index, 2 gray + alpha, 3 RGB, 4 RGBA. */
        public int channelsIn() {
            return switch (colourType) {
                case 0, 3 -> 1;
                case 2 -> 3;
                case 4 -> 2;
                default -> 4;
            };
        }

        /**
         * Bytes the decoder holds besides the reducer: a batch of rows it inflates into, {@link PngUnfilter}'s
         * rows or bands ({@link PngUnfilter#bufferBytes}), {@link PngInflater}'s window and tables, and the IDAT
         * payloads joined when there are several chunks.
         */
        public long rowBufferBytes() {
            long stride = ((long) width * channelsIn() * bitDepth + 7) / 8 + 1;
            long batch = Math.max(1, Math.min(height, INFLATE_BATCH_BYTES / stride)) * stride;
            long batchRows = batch / stride;
            return batch + PngUnfilter.bufferBytes(stride - 1, bytesPerPixel(), batchRows)
                    + PngInflater.workingBytes((int) Math.min(batch, Integer.MAX_VALUE))
                    + (idatChunks > 1 ? idatBytes : 0);
        }

        /** PNG's "bpp" for the row filters: bytes per complete pixel, 1 for bit depths under 8. */
        int bytesPerPixel() {
            return Math.max(1, channelsIn() * bitDepth / 8);
        }

        /** Channels of the 8-bit rows handed to the reducers: gray/RGB plus alpha when there is any. */
        public int channelsOut() {
            boolean colour = colourType == 2 || colourType == 3 || colourType == 6;
            return (colour ? 3 : 1) + (hasAlpha() ? 1 : 0);
        }
    }

    private PngDecoder() {
    }

    /** Whether {@code data} starts with the PNG signature. */
    public static boolean isPng(byte[] data) {
        if (data.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (data[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads IHDR and the chunks up to the first IDAT. */
    public static Header readHeader(byte[] data) {
        if (!isPng(data) || data.length < 33) {
            throw new CorruptImageException("not a PNG stream");
        }
        Header h = new Header();
        int pos = 8;
        int length = i32(data, pos);
        if (length != 13 || i32(data, pos + 4) != IHDR) {
            throw new CorruptImageException("PNG without IHDR");
        }
        checkCrc(data, pos, length);
        h.width = i32(data, pos + 8);
        h.height = i32(data, pos + 12);
        h.bitDepth = data[pos + 16] & 0xFF;
        h.colourType = data[pos + 17] & 0xFF;
        int compression = data[pos + 18] & 0xFF;
        int filter = data[pos + 19] & 0xFF;
        h.interlace = data[pos + 20] & 0xFF;
        if (h.width <= 0 || h.height <= 0 || compression != 0 || filter != 0 || h.interlace > 1
                || !validDepth(h.colourType, h.bitDepth)) {
            throw new CorruptImageException("invalid IHDR");
        }
        pos += 12 + length;
        h.firstChunk = pos;
        while (pos + 8 <= data.length) {
            int len = i32(data, pos);
            int type = i32(data, pos + 4);
            if (len < 0 || pos + 12L + len > data.length) {
                throw new CorruptImageException("truncated PNG chunk");
            }
            int start = pos + 8;
            if (type == IDAT || type == IEND) {
                break;
            }
            if (type == PLTE) {
                checkCrc(data, pos, len);
                if (len % 3 != 0 || len == 0 || len > 768) {
                    throw new CorruptImageException("bad PLTE");
                }
                h.palette = java.util.Arrays.copyOfRange(data, start, start + len);
            } else if (type == TRNS && crcMatches(data, pos, len)) {
                h.transparency = java.util.Arrays.copyOfRange(data, start, start + len);
            } else if (type == ICCP && crcMatches(data, pos, len)) {
                h.icc = inflateProfile(data, start, len);
            } else if (type == EXIF && crcMatches(data, pos, len)) {
                h.orientation = Exif.orientation(data, start, len);
            }
            pos += 12 + len;
        }
        for (int at = pos; at + 8 <= data.length; ) {
            int len = i32(data, at);
            int type = i32(data, at + 4);
            if (len < 0 || at + 12L + len > data.length || type == IEND) {
                break;
            }
            if (type == IDAT) {
                h.idatChunks++;
                h.idatBytes += len;
            }
            at += 12 + len;
        }
        if (h.colourType == 3 && h.palette == null) {
            throw new CorruptImageException("palette PNG without PLTE");
        }
        if (h.transparency != null && h.colourType != 0 && h.colourType != 2 && h.colourType != 3) {
            h.transparency = null; // tRNS is not allowed with an alpha channel; ignore it as libpng does
        }
        return h;
    }

    private static boolean validDepth(int type, int depth) {
        return switch (type) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    /** Decodes and reduces to {@code plan}. */
    public static ReducedImage decode(byte[] data, Header h, ResizePlan plan, Deadline deadline) {
        if (h.interlace != 0) {
            throw new UnsupportedImageException("interlaced PNG");
        }
        int channels = h.channelsOut();
        boolean alpha = h.hasAlpha();
        int colourPlanes = alpha ? channels - 1 : channels;
        // An image already inside the box is only re-encoded: its rows go straight into the planes, no reducer
        // (which would copy every sample through its int accumulators to multiply it by one).
        boolean identity = plan.outWidth() == h.width && plan.outHeight() == h.height && plan.regionX() == 0
                && plan.regionY() == 0 && plan.regionWidth() == h.width && plan.regionHeight() == h.height;
        // Otherwise one reducer for all channels: it reads the interleaved row in a single contiguous pass.
        PlaneReducer reducer = identity ? null : new PlaneReducer(h.width, h.height, channels, 1, 1, plan.regionX(),
                plan.regionY(), plan.regionWidth(), plan.regionHeight(), plan.outWidth(), plan.outHeight());
        byte[][] full = identity ? new byte[channels][h.width * h.height] : null;
        int bitsPerPixel = h.channelsIn() * h.bitDepth;
        int bpp = h.bytesPerPixel();
        long rowBytesLong = ((long) h.width * bitsPerPixel + 7) / 8;
        if (rowBytesLong > Integer.MAX_VALUE - 16) {
            throw new UnsupportedImageException("PNG row too wide");
        }
        int rowBytes = (int) rowBytesLong;
        int stride = rowBytes + 1;
        boolean direct = h.bitDepth == 8 && h.colourType != 3 && !alpha;
        byte[] out = direct ? null : new byte[h.width * channels];
        int firstRow = identity ? 0 : reducer.firstRow();
        int endRow = identity ? h.height : reducer.endRow();
        // Rows are inflated a batch at a time (PngInflater slides its window once per batch, not per row). Rows
        // below endRow cannot change the output and are never inflated.
        int batchRows = (int) Math.max(1, Math.min(endRow, INFLATE_BATCH_BYTES / stride)); // see rowBufferBytes
        byte[] batch = new byte[batchRows * stride];
        PngUnfilter unfilter = PngUnfilter.forBatches(rowBytes, bpp, batchRows);

        PngInflater inflater = joinIdat(data, h.firstChunk, batch.length, deadline);
        int y = 0;
        while (y < endRow) {
            int rows = Math.min(batchRows, endRow - y);
            inflater.readFully(batch, 0, rows * stride);
            unfilter.batch(batch, rows, stride);
            // Rows above a crop are inflated and unfiltered too: they count against the deadline.
            deadline.check();
            for (int r = 0, at = 1; r < rows; r++, at += stride, y++) {
                if (y < firstRow) {
                    continue;
                }
                byte[] row = batch;
                int from = at;
                if (!direct) {
                    convert(h, batch, at, out, channels);
                    if (alpha) {
                        premultiply(out, h.width, channels);
                    }
                    row = out;
                    from = 0;
                }
                if (identity) {
                    scatter(row, from, channels, h.width, full, y * h.width);
                } else {
                    reducer.row(y, row, from, channels);
                }
            }
        }
        byte[][] planes = new byte[colourPlanes][];
        for (int c = 0; c < colourPlanes; c++) {
            planes[c] = identity ? full[c] : reducer.result(c);
        }
        byte[] alphaPlane = !alpha ? null : identity ? full[channels - 1] : reducer.result(channels - 1);
        ColourKind kind = colourPlanes == 1 ? ColourKind.GRAY : ColourKind.RGB;
        return new ReducedImage(plan.outWidth(), plan.outHeight(), kind, planes, alphaPlane, h.icc);
    }

    /** Expands one unfiltered row (samples from {@code raw[base]}) to 8-bit samples, {@code channels} per pixel. */
    static void convert(Header h, byte[] raw, int base, byte[] out, int channels) {
        int width = h.width;
        byte[] trns = h.transparency;
        if (h.bitDepth == 16 && trns == null) {
            // Gray, gray + alpha, RGB, RGBA: as many channels out as in, each sample rounded to 8 bits, one loop.
            for (int i = 0, p = base, samples = width * channels; i < samples; i++, p += 2) {
                out[i] = (byte) to8(((raw[p] & 0xFF) << 8) | (raw[p + 1] & 0xFF));
            }
            return;
        }
        switch (h.colourType) {
            case 3 -> {
                byte[] palette = h.palette;
                int entries = palette.length / 3;
                for (int x = 0; x < width; x++) {
                    int index = sample(raw, base, x, h.bitDepth);
                    int o = x * channels;
                    if (index < entries) {
                        out[o] = palette[index * 3];
                        out[o + 1] = palette[index * 3 + 1];
                        out[o + 2] = palette[index * 3 + 2];
                    } else {
                        out[o] = 0;
                        out[o + 1] = 0;
                        out[o + 2] = 0;
                    }
                    if (channels == 4) {
                        out[o + 3] = trns != null && index < trns.length ? trns[index] : (byte) 255;
                    }
                }
            }
            case 0 -> {
                int key = trns != null && trns.length >= 2 ? ((trns[0] & 0xFF) << 8) | (trns[1] & 0xFF) : -1;
                int max = (1 << h.bitDepth) - 1;
                for (int x = 0; x < width; x++) {
                    int v = h.bitDepth == 16 ? ((raw[base + 2 * x] & 0xFF) << 8) | (raw[base + 1 + 2 * x] & 0xFF)
                            : sample(raw, base, x, h.bitDepth);
                    int o = x * channels;
                    out[o] = (byte) (h.bitDepth == 16 ? to8(v) : v * 255 / max);
                    if (channels == 2) {
                        out[o + 1] = v == key ? 0 : (byte) 255;
                    }
                }
            }
            case 2 -> {
                int r0 = -1;
                int g0 = -1;
                int b0 = -1;
                if (trns != null && trns.length >= 6) {
                    r0 = ((trns[0] & 0xFF) << 8) | (trns[1] & 0xFF);
                    g0 = ((trns[2] & 0xFF) << 8) | (trns[3] & 0xFF);
                    b0 = ((trns[4] & 0xFF) << 8) | (trns[5] & 0xFF);
                }
                boolean wide = h.bitDepth == 16;
                for (int x = 0; x < width; x++) {
                    int r;
                    int g;
                    int b;
                    if (wide) {
                        int p = base + 6 * x;
                        r = ((raw[p] & 0xFF) << 8) | (raw[p + 1] & 0xFF);
                        g = ((raw[p + 2] & 0xFF) << 8) | (raw[p + 3] & 0xFF);
                        b = ((raw[p + 4] & 0xFF) << 8) | (raw[p + 5] & 0xFF);
                    } else {
                        int p = base + 3 * x;
                        r = raw[p] & 0xFF;
                        g = raw[p + 1] & 0xFF;
                        b = raw[p + 2] & 0xFF;
                    }
                    int o = x * channels;
                    out[o] = (byte) (wide ? to8(r) : r);
                    out[o + 1] = (byte) (wide ? to8(g) : g);
                    out[o + 2] = (byte) (wide ? to8(b) : b);
                    if (channels == 4) {
                        out[o + 3] = r == r0 && g == g0 && b == b0 ? 0 : (byte) 255;
                    }
                }
            }
            default -> {
                // 4 (gray + alpha) and 6 (RGBA) at 8 bits (16 bits went through the loop at the top): same channel
                // count in and out.
                System.arraycopy(raw, base, out, 0, width * channels);
            }
        }
    }

    private static int sample(byte[] raw, int base, int x, int depth) {
        return switch (depth) {
            case 8 -> raw[base + x] & 0xFF;
            case 4 -> ((raw[base + (x >> 1)] & 0xFF) >> (4 - ((x & 1) << 2))) & 0xF;
            case 2 -> ((raw[base + (x >> 2)] & 0xFF) >> (6 - ((x & 3) << 1))) & 0x3;
            default -> ((raw[base + (x >> 3)] & 0xFF) >> (7 - (x & 7))) & 0x1;
        };
    }

    /**
     * 16-bit to 8-bit with rounding: round(v * 255 / 65535), which equals {@code (v * 255 + 32895) >> 16} for every
     * 16-bit v (checked exhaustively by the tests): no division, so the loops above vectorise.
     */
    static int to8(int v) {
        return (v * 255 + 32895) >> 16;
    }

    /** Sample {@code x} of channel {@code c} of the interleaved row into {@code planes[c][at + x]}. */
    private static void scatter(byte[] row, int offset, int channels, int width, byte[][] planes, int at) {
        if (channels == 1) {
            System.arraycopy(row, offset, planes[0], at, width);
            return;
        }
        for (int c = 0; c < channels; c++) {
            byte[] plane = planes[c];
            for (int x = 0, p = offset + c; x < width; x++, p += channels) {
                plane[at + x] = row[p];
            }
        }
    }

    /**
     * Colour samples times alpha / 255, rounded: {@code (t + (t >> 8)) >> 8} with {@code t = v * alpha + 128} is
     * exact for every 8-bit product, so the loop needs no division. Opaque and fully transparent RGBA pixels are
     * settled without it: they are most pixels of real images (88 % of the corpus drawing is transparent), and
     * skipping them halves the loop's time there.
     */
    static void premultiply(byte[] row, int width, int channels) {
        if (channels == 4) {
            for (int o = 0, end = width * 4; o < end; o += 4) {
                int alpha = row[o + 3] & 0xFF;
                if (alpha == 255) {
                    continue;
                }
                if (alpha == 0) {
                    row[o] = 0;
                    row[o + 1] = 0;
                    row[o + 2] = 0;
                    continue;
                }
                int r = (row[o] & 0xFF) * alpha + 128;
                int g = (row[o + 1] & 0xFF) * alpha + 128;
                int b = (row[o + 2] & 0xFF) * alpha + 128;
                row[o] = (byte) ((r + (r >> 8)) >> 8);
                row[o + 1] = (byte) ((g + (g >> 8)) >> 8);
                row[o + 2] = (byte) ((b + (b >> 8)) >> 8);
            }
            return;
        }
        for (int o = 0, end = width * 2; o < end; o += 2) {
            int t = (row[o] & 0xFF) * (row[o + 1] & 0xFF) + 128;
            row[o] = (byte) ((t + (t >> 8)) >> 8);
        }
    }

    /**
     * The inflater over the zlib stream the IDAT chunks carry, from {@code from} on (each chunk's CRC checked): in
     * place when one chunk holds it all, else the payloads joined into one array (libpng writes 8 KB chunks), which
     * {@link Header#rowBufferBytes} counts.
     */
    private static PngInflater joinIdat(byte[] data, int from, int batch, Deadline deadline) {
        int chunks = 0;
        int first = -1;
        long total = 0;
        for (int pos = from; pos + 8 <= data.length; ) {
            int len = i32(data, pos);
            int type = i32(data, pos + 4);
            if (len < 0 || pos + 12L + len > data.length) {
                throw new CorruptImageException("truncated PNG chunk");
            }
            if (type == IEND) {
                break;
            }
            if (type == IDAT && len > 0) {
                checkCrc(data, pos, len);
                chunks++;
                total += len;
                if (first < 0) {
                    first = pos + 8;
                }
            }
            pos += 12 + len;
        }
        if (chunks == 0) {
            throw new CorruptImageException("PNG image data ends early");
        }
        if (chunks == 1) {
            return new PngInflater(data, first, (int) total, batch, deadline);
        }
        byte[] joined = new byte[Math.toIntExact(total)];
        int at = 0;
        for (int pos = from; at < joined.length; ) {
            int len = i32(data, pos);
            if (i32(data, pos + 4) == IDAT) {
                System.arraycopy(data, pos + 8, joined, at, len);
                at += len;
            }
            pos += 12 + len;
        }
        return new PngInflater(joined, 0, joined.length, batch, deadline);
    }

    private static byte[] inflateProfile(byte[] data, int start, int length) {
        int end = start + length;
        int p = start;
        while (p < end && data[p] != 0) {
            p++;
        }
        if (p + 2 > end || data[p + 1] != 0) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, p + 2, end - p - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int got = inflater.inflate(buffer);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, got);
                if (out.size() > MAX_ICC_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static void checkCrc(byte[] data, int chunk, int length) {
        if (!crcMatches(data, chunk, length)) {
            throw new CorruptImageException("PNG chunk CRC mismatch");
        }
    }

    private static boolean crcMatches(byte[] data, int chunk, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, chunk + 4, length + 4);
        return (int) crc.getValue() == i32(data, chunk + 8 + length);
    }

    static int i32(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }
}
