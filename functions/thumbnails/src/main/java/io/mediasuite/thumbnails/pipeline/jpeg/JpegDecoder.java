package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.DecodeBudget;
import io.mediasuite.thumbnails.pipeline.Orientation;
import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.ReducedImage;
import io.mediasuite.thumbnails.pipeline.ResizePlan;
import io.mediasuite.thumbnails.pipeline.UnsupportedImageException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JPEG decoder built for thumbnails: it decodes straight to a reduced size and never holds the full image.
 *
 * <p>Why not ImageIO: its reader runs the full 8x8 inverse DCT, chroma upsampling and colour conversion for every
 * source pixel even when asked to subsample, and then allocates a full-size raster. Here the inverse DCT is
 * computed at 1/1, 1/2, 1/4 or 1/8 scale from the low-frequency coefficients alone (at 1/8 only the DC term:
 * the block mean), the way libjpeg's scaled IDCTs and libvips' shrink-on-load work.
 *
 * <p>YCbCr files with chroma subsampled by 1 or 2 go through {@link JpegColourUpsampler} first, as libjpeg
 * decodes them: chroma at luma resolution (fancy upsampling, or at 1/2-1/8 scale a 4:2:0 file's chroma decoded at
 * twice the luma's IDCT size, as libjpeg does), each pixel converted to RGB and clamped, and R, G and B reduced;
 * the result is an RGB {@link ReducedImage}. CMYK and YCCK files whose components share one sampling (up to
 * {@link #INK_FIRST_MAX_PIXELS} decoded) go through {@link JpegInkConverter}: each decoded row converted to sRGB
 * through the ink conversion and the press profile, then reduced (a press profile bends ink too far from linearly
 * to convert reduced ink instead). Both are {@link JpegColourStage}s, fed whole MCU rows. Other files hand each
 * component plane row by row to a {@link PlaneReducer} at its own resolution, and colour is converted for output
 * pixels only. Baseline files stream MCU row by MCU row (a few KB of state). Progressive files keep coefficients,
 * but only the ones the chosen scale uses plus a 64-bit "non-zero" mask per block, and scans that cannot affect
 * those coefficients are skipped without entropy decoding (at 1/8 that is every AC scan).
 *
 * <p>Scope: 8-bit baseline, extended sequential and progressive frames, JpegHuffmanTable or arithmetic coded (the
 * arithmetic stage is {@link JpegArithmeticDecoder}; those files always take the coefficient-store path), 1, 3
 * or 4 components.
 * Anything else throws {@link UnsupportedImageException} and the pipeline falls back to ImageIO. Malformed data
 * throws {@link CorruptImageException}; running out of entropy-coded data before the last block is corruption,
 * never a silently grey-filled image.
 */
public final class JpegDecoder {

    /** Zigzag index to natural (row-major) index within an 8x8 block. */
    static final int[] NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
        14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
        53, 60, 61, 54, 47, 55, 62, 63};

    /** Bytes, at most, the IDCT of a plane decoded with 4x4 or 8x8 blocks allocates for its queues (budget). */
    public static final int IDCT_QUEUE_BYTES = JpegIdct.QUEUE_BYTES;

    /**
     * For each queued IDCT size n (4, 8) and zigzag coefficient k: its place in {@link JpegIdct#coefficientQueue()}
     * relative to the block's lane, or -1 when the scale does not use it.
     */
    private static final int[][] QUEUE_SLOTS = new int[9][];

    /** For each n, the slot of zigzag coefficient k in an n x n block, or -1 when the scale does not use it. */
    private static final int[][] KEEP = new int[9][];

    static {
        for (int n : new int[] {1, 2, 4, 8}) {
            int[] keep = new int[64];
            for (int k = 0; k < 64; k++) {
                int row = NATURAL[k] >> 3;
                int col = NATURAL[k] & 7;
                keep[k] = row < n && col < n ? row * n + col : -1;
            }
            KEEP[n] = keep;
        }
        for (int n : new int[] {4, 8}) {
            int[] slots = new int[64];
            for (int k = 0; k < 64; k++) {
                slots[k] = KEEP[n][k] < 0 ? -1 : KEEP[n][k] << JpegIdct.LANE_BITS;
            }
            QUEUE_SLOTS[n] = slots;
        }
    }

    private final byte[] data;
    private final JpegHeader header;
    private final int n;
    private final Deadline deadline;

    private DecodeBudget budget;
    private ResizePlan plan;

    private final int[][] quant = new int[4][];
    private final JpegHuffmanTable[] dcTables = new JpegHuffmanTable[4];
    private final JpegHuffmanTable[] acTables = new JpegHuffmanTable[4];
    private int restartInterval;
    /** The arithmetic entropy stage, for SOF9/SOF10 files; null for Huffman-coded ones. */
    private final JpegArithmeticDecoder arithmetic;

    private final Plane[] planes;
    private final int mcusX;
    private final int mcusY;

    // Entropy decoder state: a left-aligned 64-bit window over the scan's bytes.
    private long bits;
    private int bitCount;
    private int pos;
    private boolean markerReached;
    private int padding;
    private int eobrun;

    private static final int[] UNIT_QUANT = filled(64, 1);

    /** Eight scan bytes at once, big-endian: the bit window's fast refill. */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int[] block = new int[64];
    /** Converting colour first: the stage the strips go to (null otherwise). */
    private final JpegColourStage colourStage;


    /** One component: its geometry, its reducer and, for multi-scan files, its kept coefficients. */
    private static final class Plane {
        final JpegHeader.Component component;
        final int blocksPerLine;
        final int blocksPerColumn;
        final int blocksWide;
        final int blocksHigh;
        final PlaneReducer reducer;
        final int firstBlockColumn;
        final int endBlockColumn;
        /** This component's IDCT size: the decoder's scale, or twice it for chroma converted first. */
        final int n;
        /** For each zigzag index, the coefficient's slot in an n x n block, or -1. */
        final int[] keep;
        final JpegIdct idct;
        /** Zigzag index of the last coefficient this plane keeps. */
        final int lastKept;
        int dcTable;
        int acTable;
        int predictor;
        short[] coefficients;
        long[] nonZero;
        byte[] strip;
        int stripWidth;

        Plane(JpegHeader.Component component, int blocksPerLine, int blocksPerColumn, int blocksWide, int blocksHigh,
              PlaneReducer reducer, int n) {
            this(component, blocksPerLine, blocksPerColumn, blocksWide, blocksHigh, reducer, n,
                    reducer.firstColumn() / n, Math.min(blocksWide, (reducer.endColumn() + n - 1) / n));
        }

        /** A plane decoded for the colour stage only (no reducer of its own), block columns as given. */
        Plane(JpegHeader.Component component, int blocksPerLine, int blocksPerColumn, int blocksWide, int blocksHigh,
              PlaneReducer reducer, int n, int firstBlockColumn, int endBlockColumn) {
            this.component = component;
            this.blocksPerLine = blocksPerLine;
            this.blocksPerColumn = blocksPerColumn;
            this.blocksWide = blocksWide;
            this.blocksHigh = blocksHigh;
            this.reducer = reducer;
            this.n = n;
            this.keep = KEEP[n];
            this.idct = new JpegIdct(n);
            int last = 0;
            for (int k = 0; k < 64; k++) {
                if (keep[k] >= 0) {
                    last = k;
                }
            }
            this.lastKept = last;
            this.firstBlockColumn = firstBlockColumn;
            this.endBlockColumn = endBlockColumn;
        }
    }

    private JpegDecoder(byte[] data, JpegHeader header, int shrink, ResizePlan plan, Deadline deadline,
                        boolean halfChroma) {
        this.data = data;
        this.header = header;
        this.n = 8 / shrink;
        this.deadline = deadline;
        this.arithmetic = header.arithmetic() ? new JpegArithmeticDecoder(data) : null;
        int hMax = header.hMax;
        int vMax = header.vMax;
        this.mcusX = ceilDiv(header.width, 8 * hMax);
        this.mcusY = ceilDiv(header.height, 8 * vMax);
        this.planes = new Plane[header.components.length];
        boolean colourFirst = convertsColourFirst(header, shrink);
        boolean inkFirst = convertsInkFirst(header, shrink);
        // Converting YCbCr first: the R, G and B reducers; converting ink first: one for interleaved R, G, B.
        PlaneReducer[] rgbReducers = new PlaneReducer[3];
        PlaneReducer ink = null;
        for (int i = 0; i < planes.length; i++) {
            JpegHeader.Component c = header.components[i];
            int compWidth = ceilDiv(header.width * c.h(), hMax);
            int compHeight = ceilDiv(header.height * c.v(), vMax);
            if (inkFirst) {
                // Every component has the same geometry: one RGB reducer (the ink stage's) stands in for each
                // plane's, for the rows and columns to decode.
                if (ink == null) {
                    ink = new PlaneReducer(ceilDiv(compWidth * n, 8), ceilDiv(compHeight * n, 8), 3, 8.0 / n,
                            8.0 / n, plan.regionX(), plan.regionY(), plan.regionWidth(), plan.regionHeight(),
                            plan.outWidth(), plan.outHeight());
                }
                planes[i] = new Plane(c, ceilDiv(compWidth, 8), ceilDiv(compHeight, 8), mcusX * c.h(),
                        mcusY * c.v(), ink, n);
                continue;
            }
            int nc = colourFirst && i > 0 ? chromaScale(header, n) : n;
            if (colourFirst && i > 0) {
                // Chroma feeds the colour stage, not a reducer: the columns under the luma's are decoded, with a
                // sample more each side for the fancy upsampling.
                Plane luma = planes[0];
                int sx = hMax * n / (c.h() * nc);
                int from = Math.max(0, (luma.firstBlockColumn * n / sx - 1) / nc);
                int to = Math.min(mcusX * c.h(), ceilDiv(ceilDiv(luma.endBlockColumn * n, sx) + 1, nc));
                planes[i] = new Plane(c, ceilDiv(compWidth, 8), ceilDiv(compHeight, 8), mcusX * c.h(),
                        mcusY * c.v(), null, nc, from, to);
                continue;
            }
            int planeWidth = ceilDiv(compWidth * nc, 8);
            int planeHeight = ceilDiv(compHeight * nc, 8);
            double sampleW = (double) hMax / c.h() * 8 / nc;
            double sampleH = (double) vMax / c.v() * 8 / nc;
            // At full scale, chroma subsampled by 2 is resampled as libjpeg shows it (fancy upsampling). Scaled
            // decodes keep it at the plane's own resolution: libjpeg would decode such chroma at twice the scale.
            // Half-size chroma (for a 4:2:0 output) is its own grid: sample i covers output pixels 2i and 2i + 1,
            // so with an odd side the last one reaches a pixel past the region, as the encoder pads it. Where the
            // EXIF orientation will reverse that side, the overhang goes at the start instead (sample i covers
            // pixels 2i - 1 and 2i), so that after the flip it is at the end again.
            boolean half = halfChroma && i > 0;
            int outW = half ? (plan.outWidth() + 1) / 2 : plan.outWidth();
            int outH = half ? (plan.outHeight() + 1) / 2 : plan.outHeight();
            double regionW = half ? plan.regionWidth() * 2 * outW / plan.outWidth() : plan.regionWidth();
            double regionH = half ? plan.regionHeight() * 2 * outH / plan.outHeight() : plan.regionHeight();
            int orientation = header.orientation();
            double regionX = half && plan.outWidth() % 2 == 1 && Orientation.flipsStoredX(orientation)
                    ? plan.regionX() - plan.regionWidth() / plan.outWidth() : plan.regionX();
            double regionY = half && plan.outHeight() % 2 == 1 && Orientation.flipsStoredY(orientation)
                    ? plan.regionY() - plan.regionHeight() / plan.outHeight() : plan.regionY();
            // Converting colour first, R, G and B are reduced at the luma plane's geometry; R's reducer stands in
            // for the luma plane's.
            if (colourFirst) {
                for (int k = 0; k < 3; k++) {
                    rgbReducers[k] = new PlaneReducer(planeWidth, planeHeight, sampleW, sampleH, plan.regionX(),
                            plan.regionY(), plan.regionWidth(), plan.regionHeight(), plan.outWidth(),
                            plan.outHeight());
                }
            }
            PlaneReducer reducer = colourFirst ? rgbReducers[0]
                    : new PlaneReducer(planeWidth, planeHeight, 1, sampleW, sampleH, regionX, regionY, regionW,
                            regionH, outW, outH, !half && n == 8 && hMax == 2 * c.h(),
                            !half && n == 8 && vMax == 2 * c.v());
            planes[i] = new Plane(c, ceilDiv(compWidth, 8), ceilDiv(compHeight, 8), mcusX * c.h(), mcusY * c.v(),
                    reducer, nc);
        }
        if (colourFirst) {
            Plane luma = planes[0];
            Plane cb = planes[1];
            Plane cr = planes[2];
            // Luma samples per chroma sample: 1 where chroma is decoded at twice the scale.
            int sx = hMax * n / (cb.component.h() * cb.n);
            int sy = vMax * n / (cb.component.v() * cb.n);
            colourStage = new JpegColourUpsampler(rgbReducers, sx, sy, mcusX * hMax * n, vMax * n,
                    ceilDiv(header.width * n, 8), ceilDiv(header.height * n, 8),
                    Math.max(cb.firstBlockColumn, cr.firstBlockColumn) * cb.n,
                    Math.min(cb.endBlockColumn, cr.endBlockColumn) * cb.n);
        } else if (inkFirst) {
            colourStage = new JpegInkConverter(ink, header.colourKind(), header.icc, mcusX * hMax * n, vMax * n,
                    ceilDiv(header.height * n, 8));
        } else {
            colourStage = null;
        }
    }

    /**
     * Whether a decode at DCT scale 1 / {@code shrink} converts YCbCr to RGB before resampling (see
     * {@link JpegColourUpsampler}): full-scale decodes of YCbCr files with 1x or 2x chroma subsampling. The
     * result is then an RGB {@link ReducedImage}, whatever was asked.
     */
    public static boolean convertsColourFirst(JpegHeader header, int shrink) {
        if (!header.fastPathSupported() || !JpegColourUpsampler.applies(header)) {
            return false;
        }
        // Below full scale only where chroma can be decoded at luma resolution (libjpeg's choice): 4:4:4, or
        // 4:2:0 at twice the luma's IDCT size.
        JpegHeader.Component cb = header.components[1];
        return shrink == 1 || header.hMax == cb.h() && header.vMax == cb.v()
                || header.hMax == 2 * cb.h() && header.vMax == 2 * cb.v();
    }

    /**
     * Decoded pixels (at the DCT scale) above which ink is converted for output pixels instead of before
     * resampling: the profile's table costs about 12 ns a pixel, so 16 MP add about 0.2 s warm (twice that in a
     * cold JVM). Reached only by a CMYK file over 16 MP decoded at full size, for a box over a third of its size;
     * the 2 s answer stays within reach for every file under the pixel limit.
     */
    static final long INK_FIRST_MAX_PIXELS = 16_000_000L;

    /**
     * Whether a decode at DCT scale 1 / {@code shrink} converts CMYK or YCCK to sRGB before resampling ({@link
     * JpegInkConverter}): four components with one sampling (what Photoshop and libjpeg write), at most {@link
     * #INK_FIRST_MAX_PIXELS} at that scale. The result is then an RGB {@link ReducedImage} with its profile
     * applied. Mixed samplings, and larger decodes, keep converting output pixels.
     */
    public static boolean convertsInkFirst(JpegHeader header, int shrink) {
        if (!header.fastPathSupported() || header.components.length != 4 || !header.colourKind().ink()) {
            return false;
        }
        for (JpegHeader.Component c : header.components) {
            if (c.h() != header.hMax || c.v() != header.vMax) {
                return false;
            }
        }
        int n = 8 / shrink;
        return (long) ceilDiv(header.width * n, 8) * ceilDiv(header.height * n, 8) <= INK_FIRST_MAX_PIXELS;
    }

    /** The chroma IDCT size of a colour-first decode with luma at {@code n}. */
    private static int chromaScale(JpegHeader header, int n) {
        JpegHeader.Component cb = header.components[1];
        return n < 8 && header.hMax == 2 * cb.h() && header.vMax == 2 * cb.v() ? 2 * n : n;
    }

    /**
     * Decodes {@code data} (whose header was read into {@code header}) reduced to {@code plan}, at the DCT scale
     * {@code plan.jpegShrink()}.
     */
    static ReducedImage decode(byte[] data, JpegHeader header, ResizePlan plan, Deadline deadline) {
        return decode(data, header, plan, new DecodeBudget(DecodeBudget.DEFAULT_MAX_BYTES), deadline);
    }

    /**
     * As above, checking against {@code budget} the coefficient store a sequential file turns out to need when
     * its components come in separate scans (the header cannot tell).
     */
    public static ReducedImage decode(byte[] data, JpegHeader header, ResizePlan plan, DecodeBudget budget,
                                      Deadline deadline) {
        return decode(data, header, plan, budget, deadline, false);
    }

    /**
     * As above; with {@code halfChroma} (a YCbCr file) planes 1 and 2 come out at half the output size both
     * ways, {@code ceil(w / 2) x ceil(h / 2)}: what a 4:2:0 JPEG thumbnail stores, resampled once instead of
     * to full size and averaged down again by the encoder. Ignored where colour is converted first
     * ({@link #convertsColourFirst}): the result is RGB and says so ({@code halfChroma()} false).
     */
    public static ReducedImage decode(byte[] data, JpegHeader header, ResizePlan plan, DecodeBudget budget,
                                      Deadline deadline, boolean halfChroma) {
        if (!header.fastPathSupported()) {
            throw new UnsupportedImageException("JPEG coding process or colour model not handled by the fast path");
        }
        JpegDecoder decoder = new JpegDecoder(data, header, plan.jpegShrink(), plan, deadline, halfChroma);
        decoder.budget = budget;
        decoder.plan = plan;
        decoder.run();
        if (decoder.colourStage != null) {
            return decoder.colourStage.result(plan.outWidth(), plan.outHeight(), header.icc);
        }
        byte[][] out = new byte[decoder.planes.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = decoder.planes[i].reducer.result();
        }
        return new ReducedImage(plan.outWidth(), plan.outHeight(), header.colourKind(), out, null, header.icc,
                halfChroma && out.length == 3);
    }

    // ------------------------------------------------------------------------------------------------------
    // Marker walk
    // ------------------------------------------------------------------------------------------------------

    private record Scan(int[] components, int ss, int se, int ah, int al) {
    }

    private void run() {
        pos = 2;
        // Arithmetic-coded files are rare: they share the coefficient-store path instead of a streaming one.
        boolean multiScan = header.progressive() || arithmetic != null;
        List<Scan> scans = null;
        boolean[] needed = null;
        int scanIndex = 0;
        while (true) {
            int marker = nextMarker();
            if (marker == 0xD9) {
                break;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue;
            }
            int length = segmentLength();
            int start = pos;
            int end = pos + length;
            switch (marker) {
                case 0xDB -> readQuantTables(start, end);
                case 0xC4 -> readHuffmanTables(start, end);
                case 0xCC -> {
                    if (arithmetic == null) {
                        throw new CorruptImageException("DAC in a Huffman-coded JPEG");
                    }
                    arithmetic.readConditioning(start, end);
                }
                case 0xDD -> {
                    if (length < 2) {
                        throw new CorruptImageException("short DRI");
                    }
                    restartInterval = u16(start);
                }
                case 0xDA -> {
                    Scan scan = readScanHeader(start, end);
                    pos = end;
                    if (!multiScan && scanIndex == 0 && scan.components.length == planes.length) {
                        decodeBaseline(scan);
                        // Every block is decoded from real data; a missing EOI after it loses nothing.
                        checkNotOverrun();
                        return;
                    }
                    if (scans == null) {
                        multiScan = true;
                        scans = prescan(start - 4);
                        needed = neededScans(scans);
                        allocateCoefficients(needed, scans);
                    }
                    if (scanIndex >= scans.size()) {
                        throw new CorruptImageException("scan list changed");
                    }
                    if (needed[scanIndex] && arithmetic != null) {
                        arithmetic.start(pos);
                        decodeScan(scan);
                        pos = arithmetic.end();
                    } else if (needed[scanIndex]) {
                        decodeScan(scan);
                        afterScan();
                    } else {
                        pos = skipEntropyData(pos);
                    }
                    scanIndex++;
                    deadline.check();
                    continue;
                }
                default -> {
                    if (JpegHeader.isSof(marker) && marker != header.sofMarker) {
                        throw new UnsupportedImageException("second frame header");
                    }
                }
            }
            pos = end;
        }
        if (scans == null) {
            throw new CorruptImageException("JPEG without scan data");
        }
        emitStoredCoefficients();
    }

    private int nextMarker() {
        while (pos < data.length && (data[pos] & 0xFF) != 0xFF) {
            pos++;
        }
        while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= data.length) {
            throw new CorruptImageException("JPEG ends without EOI (truncated)");
        }
        return data[pos++] & 0xFF;
    }

    private int segmentLength() {
        if (pos + 2 > data.length) {
            throw new CorruptImageException("truncated JPEG segment");
        }
        int length = u16(pos);
        if (length < 2 || pos + length > data.length) {
            throw new CorruptImageException("truncated JPEG segment");
        }
        pos += 2;
        return length - 2;
    }

    private int u16(int p) {
        return ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
    }

    private void readQuantTables(int start, int end) {
        int p = start;
        while (p < end) {
            int pq = (data[p] & 0xFF) >> 4;
            int tq = data[p] & 15;
            p++;
            if (tq > 3 || pq > 1 || p + 64 * (pq + 1) > end) {
                throw new CorruptImageException("bad DQT");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[k] = pq == 0 ? data[p++] & 0xFF : u16((p += 2) - 2);
            }
            quant[tq] = table;
        }
    }

    private void readHuffmanTables(int start, int end) {
        int p = start;
        while (p < end) {
            int tc = (data[p] & 0xFF) >> 4;
            int th = data[p] & 15;
            p++;
            if (tc > 1 || th > 3 || p + 16 > end) {
                throw new CorruptImageException("bad DHT");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = data[p++] & 0xFF;
                total += counts[l];
            }
            if (total > 256 || p + total > end) {
                throw new CorruptImageException("bad DHT");
            }
            byte[] values = Arrays.copyOfRange(data, p, p + total);
            p += total;
            JpegHuffmanTable table = new JpegHuffmanTable(counts, values);
            if (tc == 0) {
                dcTables[th] = table;
            } else {
                acTables[th] = table;
            }
        }
    }

    private Scan readScanHeader(int start, int end) {
        int count = data[start] & 0xFF;
        if (count < 1 || count > 4 || end - start < 1 + 2 * count + 3) {
            throw new CorruptImageException("bad SOS");
        }
        int[] components = new int[count];
        for (int i = 0; i < count; i++) {
            int id = data[start + 1 + 2 * i] & 0xFF;
            int tables = data[start + 2 + 2 * i] & 0xFF;
            int index = -1;
            for (int c = 0; c < planes.length; c++) {
                if (planes[c].component.id() == id) {
                    index = c;
                }
            }
            if (index < 0) {
                throw new CorruptImageException("SOS names an unknown component");
            }
            components[i] = index;
            planes[index].dcTable = tables >> 4;
            planes[index].acTable = tables & 15;
            if (planes[index].dcTable > 3 || planes[index].acTable > 3) {
                throw new CorruptImageException("bad SOS table selector");
            }
        }
        int p = start + 1 + 2 * count;
        int ss = data[p] & 0xFF;
        int se = data[p + 1] & 0xFF;
        int ah = (data[p + 2] & 0xFF) >> 4;
        int al = data[p + 2] & 15;
        if (header.progressive()) {
            if (ss > se || se > 63 || (ss == 0 && se != 0) || (ss > 0 && count != 1) || al > 13) {
                throw new CorruptImageException("bad progressive scan parameters");
            }
        } else {
            ss = 0;
            se = 63;
            ah = 0;
            al = 0;
        }
        return new Scan(components, ss, se, ah, al);
    }

    /** First pass over a multi-scan file: every scan's parameters, skipping entropy-coded data byte-wise. */
    private List<Scan> prescan(int firstScanMarker) {
        int saved = pos;
        int savedInterval = restartInterval;
        List<Scan> scans = new ArrayList<>();
        pos = firstScanMarker;
        while (true) {
            int marker = nextMarker();
            if (marker == 0xD9) {
                break;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue;
            }
            int length = segmentLength();
            int end = pos + length;
            if (marker == 0xDA) {
                int[] tables = new int[planes.length * 2];
                for (int c = 0; c < planes.length; c++) {
                    tables[2 * c] = planes[c].dcTable;
                    tables[2 * c + 1] = planes[c].acTable;
                }
                scans.add(readScanHeader(pos, end));
                for (int c = 0; c < planes.length; c++) {
                    planes[c].dcTable = tables[2 * c];
                    planes[c].acTable = tables[2 * c + 1];
                }
                pos = skipEntropyData(end);
                continue;
            }
            pos = end;
        }
        pos = saved;
        restartInterval = savedInterval;
        return scans;
    }

    /**
     * Which scans must be entropy-decoded: those touching a kept coefficient, plus every earlier scan of the same
     * component whose band overlaps a needed refinement scan (refinement needs to know which coefficients are
     * already non-zero).
     */
    private boolean[] neededScans(List<Scan> scans) {
        boolean[] needed = new boolean[scans.size()];
        for (int i = 0; i < scans.size(); i++) {
            Scan s = scans.get(i);
            for (int k = s.ss; k <= s.se && !needed[i]; k++) {
                for (int c : s.components) {
                    needed[i] |= planes[c].keep[k] >= 0;
                }
            }
        }
        for (int i = scans.size() - 1; i >= 0; i--) {
            Scan s = scans.get(i);
            if (!needed[i] || s.ah == 0 || s.ss == 0) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                Scan t = scans.get(j);
                if (t.components[0] == s.components[0] && t.ss > 0 && t.ss <= s.se && t.se >= s.ss) {
                    needed[j] = true;
                }
            }
        }
        return needed;
    }

    private void allocateCoefficients(boolean[] needed, List<Scan> scans) {
        budget.require(DecodeBudget.jpegBytes(header, plan, true), "JPEG coefficient store");
        for (int c = 0; c < planes.length; c++) {
            Plane p = planes[c];
            long blocks = (long) p.blocksWide * p.blocksHigh;
            p.coefficients = new short[Math.toIntExact(blocks * p.n * p.n)];
            boolean refinesAc = false;
            for (int i = 0; i < scans.size(); i++) {
                Scan s = scans.get(i);
                refinesAc |= needed[i] && s.ah > 0 && s.ss > 0 && s.components[0] == c;
            }
            if (refinesAc) {
                p.nonZero = new long[(int) blocks];
            }
        }
    }

    /** Position of the next marker's 0xFF at or after {@code p} (stuffed 0xFF00 and fill bytes are not markers). */
    static int markerAfter(byte[] data, int p) {
        int last = data.length - 1;
        while (p < last) {
            if ((data[p] & 0xFF) == 0xFF) {
                int next = data[p + 1] & 0xFF;
                if (next != 0 && next != 0xFF) {
                    return p;
                }
                if (next == 0) {
                    p++;
                }
            }
            p++;
        }
        throw new CorruptImageException("JPEG ends inside scan data (truncated)");
    }

    private int skipEntropyData(int p) {
        int last = data.length - 1;
        while (p < last) {
            if ((data[p] & 0xFF) == 0xFF) {
                int next = data[p + 1] & 0xFF;
                if (next == 0 || (next >= 0xD0 && next <= 0xD7)) {
                    p += 2;
                    continue;
                }
                if (next != 0xFF) {
                    return p;
                }
            }
            p++;
        }
        throw new CorruptImageException("JPEG ends inside scan data (truncated)");
    }

    // ------------------------------------------------------------------------------------------------------
    // Entropy decoding
    // ------------------------------------------------------------------------------------------------------

    private void resetBits() {
        bits = 0;
        bitCount = 0;
        padding = 0;
        markerReached = false;
        eobrun = 0;
    }

    private void fill() {
        while (bitCount <= 56) {
            int b = 0;
            if (!markerReached) {
                if (pos >= data.length) {
                    markerReached = true;
                } else {
                    b = data[pos] & 0xFF;
                    if (b == 0xFF) {
                        int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : -1;
                        if (next == 0) {
                            pos += 2;
                        } else {
                            markerReached = true;
                            b = 0;
                        }
                    } else {
                        pos++;
                    }
                }
            }
            if (markerReached) {
                padding += 8;
            }
            bits |= ((long) b) << (56 - bitCount);
            bitCount += 8;
        }
    }

    /** Fails when the decoder consumed bits that were not in the file (the zero bits fed after a marker). */
    private void checkNotOverrun() {
        if (padding > bitCount) {
            throw new CorruptImageException("JPEG entropy-coded data ends early (truncated or corrupt)");
        }
    }

    private int decodeSymbol(JpegHuffmanTable table) {
        if (bitCount < 16) {
            fill();
        }
        int entry = table.lookup[(int) (bits >>> (64 - JpegHuffmanTable.LOOKUP_BITS))];
        if (entry != 0) {
            int length = entry >> 8;
            bits <<= length;
            bitCount -= length;
            return entry & 0xFF;
        }
        for (int length = JpegHuffmanTable.LOOKUP_BITS + 1; length <= 16; length++) {
            int code = (int) (bits >>> (64 - length));
            if (code <= table.maxCode[length]) {
                bits <<= length;
                bitCount -= length;
                return table.values[code + table.valueOffset[length]] & 0xFF;
            }
        }
        throw new CorruptImageException("invalid JpegHuffmanTable code");
    }

    /**
     * The {@link JpegHuffmanTable#fastAc} entry (a short AC code with its magnitude bits) at the window's head,
     * its bits consumed; 0, nothing consumed, when the symbol needs {@link #decodeSymbol}.
     */
    private int nextFastAc(int[] fastAc) {
        if (bitCount < 16) {
            fill();
        }
        int fast = fastAc[(int) (bits >>> (64 - JpegHuffmanTable.LOOKUP_BITS))];
        if (fast != 0) {
            int total = fast & 0xFF;
            bits <<= total;
            bitCount -= total;
        }
        return fast;
    }

    private int receive(int count) {
        if (bitCount < count) {
            fill();
        }
        int v = (int) (bits >>> (64 - count));
        bits <<= count;
        bitCount -= count;
        return v;
    }

    private void restart() {
        checkNotOverrun();
        if (!markerReached) {
            // The interval's last bits are padding; its marker comes next. (skipEntropyData would step over it
            // and over every following interval up to the end of the scan.)
            pos = markerAfter(data, pos);
        }
        if (pos + 1 < data.length && (data[pos] & 0xFF) == 0xFF) {
            int m = data[pos + 1] & 0xFF;
            if (m >= 0xD0 && m <= 0xD7) {
                pos += 2;
            }
        }
        resetBits();
        for (Plane p : planes) {
            p.predictor = 0;
        }
    }

    private void restartScan() {
        if (arithmetic != null) {
            arithmetic.restart();
        } else {
            restart();
        }
    }

    private void afterScan() {
        checkNotOverrun();
        if (!markerReached) {
            pos = skipEntropyData(pos);
        }
        resetBits();
    }

    private JpegHuffmanTable dcTable(Plane p) {
        JpegHuffmanTable t = dcTables[p.dcTable];
        if (t == null) {
            throw new CorruptImageException("missing DC JpegHuffmanTable table");
        }
        return t;
    }

    private JpegHuffmanTable acTable(Plane p) {
        JpegHuffmanTable t = acTables[p.acTable];
        if (t == null) {
            throw new CorruptImageException("missing AC JpegHuffmanTable table");
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------------
    // Baseline: one interleaved scan, streamed MCU row by MCU row
    // ------------------------------------------------------------------------------------------------------

    private void decodeBaseline(Scan scan) {
        resetBits();
        for (Plane p : planes) {
            if (quant[p.component.quantTable()] == null) {
                throw new CorruptImageException("missing quantization table");
            }
            p.predictor = 0;
        }
        boolean single = planes.length == 1;
        int rowsX = single ? planes[0].blocksPerLine : mcusX;
        int rowsY = single ? planes[0].blocksPerColumn : mcusY;
        for (Plane p : planes) {
            int hBlocks = single ? 1 : p.component.h();
            int vBlocks = single ? 1 : p.component.v();
            p.stripWidth = rowsX * hBlocks * p.n;
            p.strip = new byte[p.stripWidth * vBlocks * p.n];
        }
        byte[][] strips = stripsOf(planes);
        restartsLeft = restartInterval;
        for (int my = 0; my < rowsY; my++) {
            boolean[] wanted = new boolean[planes.length];
            boolean any = false;
            for (int c = 0; c < planes.length && colourStage == null; c++) {
                Plane p = planes[c];
                int vBlocks = single ? 1 : p.component.v();
                int y0 = my * vBlocks * p.n;
                wanted[c] = p.reducer.firstRow() < y0 + vBlocks * p.n && p.reducer.endRow() > y0;
                any |= wanted[c];
            }
            if (colourStage != null) {
                any = colourStage.wantsMcuRow(my);
                Arrays.fill(wanted, any);
            }
            decodeMcuRow(rowsX, single, wanted);
            checkNotOverrun();
            if (any && colourStage != null) {
                colourStage.mcuRow(my, strips);
            } else if (any) {
                for (int c = 0; c < planes.length; c++) {
                    if (!wanted[c]) {
                        continue;
                    }
                    Plane p = planes[c];
                    int rows = (single ? 1 : p.component.v()) * p.n;
                    for (int r = 0; r < rows; r++) {
                        p.reducer.row(my * rows + r, p.strip, r * p.stripWidth, 1);
                    }
                }
            }
            if ((my & 7) == 7) {
                deadline.check();
            }
        }
        if (colourStage != null) {
            colourStage.finish();
        }
    }

    private int restartsLeft;

    /**
     * One MCU row of the interleaved baseline scan: entropy decoding, dequantization and the scaled IDCT into each
     * plane's strip. This is the hot loop, so the bit reader lives in locals (a 64-bit left-aligned window) and
     * is refilled up to 8 bytes at a time; byte stuffing, markers and the end of data take the slow path
     * ({@link #fill()}) with the state written back to the fields. After a refill the window holds at least 32
     * bits, enough for a JpegHuffmanTable code (16) plus its magnitude bits (16) without another check.
     */
    private void decodeMcuRow(int rowsX, boolean single, boolean[] wanted) {
        final byte[] d = data;
        final int fastEnd = d.length - 8;
        long b = bits;
        int cnt = bitCount;
        int p = pos;
        for (int mx = 0; mx < rowsX; mx++) {
            if (restartInterval > 0) {
                if (restartsLeft == 0) {
                    bits = b;
                    bitCount = cnt;
                    pos = p;
                    restart();
                    b = bits;
                    cnt = bitCount;
                    p = pos;
                    restartsLeft = restartInterval;
                }
                restartsLeft--;
            }
            for (int c = 0; c < planes.length; c++) {
                Plane pl = planes[c];
                int hBlocks = single ? 1 : pl.component.h();
                int vBlocks = single ? 1 : pl.component.v();
                int[] q = quant[pl.component.quantTable()];
                JpegHuffmanTable dc = dcTable(pl);
                JpegHuffmanTable ac = acTable(pl);
                short[] dcLookup = dc.lookup;
                short[] acLookup = ac.lookup;
                int[] fastAc = ac.fastAc;
                int[] skipAc = ac.skipAc;
                int[] skipMany = ac.skipMany;
                boolean rowWanted = wanted[c];
                // Values up to the last coefficient this plane keeps; after it symbols are only walked.
                final int lastValue = pl.n == 1 ? 0 : pl.lastKept;
                final int pn = pl.n;
                // 4x4 and 8x8 blocks are written straight into the IDCT's queue, at the queue position ("lane") of
                // the block: slot i at [i << LANE_BITS + lane]. Other blocks go through "block", slot i at [i].
                final JpegIdct idct = pl.idct;
                final boolean inPlace = idct.queues();
                final int[] blk = inPlace ? idct.coefficientQueue() : block;
                final int[] kept = inPlace ? QUEUE_SLOTS[pn] : pl.keep;
                final int slotShift = inPlace ? JpegIdct.LANE_BITS : 0;
                int lane = inPlace ? idct.lane() : 0;
                for (int by = 0; by < vBlocks; by++) {
                    for (int bx = 0; bx < hBlocks; bx++) {
                        // DC difference.
                        if (cnt < 32) {
                            long x;
                            if (p <= fastEnd && (((~(x = (long) LONG_BE.get(d, p))) - 0x0101010101010101L) & x
                                    & 0x8080808080808080L) == 0) {
                                int bytes = (63 - cnt) >>> 3;
                                b |= (x & (-1L << (64 - (bytes << 3)))) >>> cnt;
                                cnt += bytes << 3;
                                p += bytes;
                            } else {
                                bits = b;
                                bitCount = cnt;
                                pos = p;
                                fill();
                                b = bits;
                                cnt = bitCount;
                                p = pos;
                            }
                        }
                        int t;
                        int entry = dcLookup[(int) (b >>> (64 - JpegHuffmanTable.LOOKUP_BITS))];
                        if (entry != 0) {
                            int length = entry >> 8;
                            b <<= length;
                            cnt -= length;
                            t = entry & 0xFF;
                        } else {
                            bits = b;
                            bitCount = cnt;
                            pos = p;
                            t = decodeSymbol(dc);
                            if (bitCount < 16) {
                                fill();
                            }
                            b = bits;
                            cnt = bitCount;
                            p = pos;
                        }
                        if (t != 0) {
                            if (t > 16) {
                                throw new CorruptImageException("bad DC magnitude");
                            }
                            pl.predictor += JpegHuffmanTable.extend((int) (b >>> (64 - t)), t);
                            b <<= t;
                            cnt -= t;
                        }
                        // Bit i: slot i of the block holds a (non-zero) AC value.
                        long acSlots = 0;
                        int k = 1;
                        // AC coefficients: values up to the last one this scale keeps, after that only walked
                        // (symbols decoded to stay in sync, magnitude bits skipped).
                        while (k < 64) {
                            if (cnt < 32) {
                                long x;
                                if (p <= fastEnd && (((~(x = (long) LONG_BE.get(d, p))) - 0x0101010101010101L) & x
                                        & 0x8080808080808080L) == 0) {
                                    int bytes = (63 - cnt) >>> 3;
                                    b |= (x & (-1L << (64 - (bytes << 3)))) >>> cnt;
                                    cnt += bytes << 3;
                                    p += bytes;
                                } else {
                                    bits = b;
                                    bitCount = cnt;
                                    pos = p;
                                    fill();
                                    b = bits;
                                    cnt = bitCount;
                                    p = pos;
                                }
                            }
                            int look = (int) (b >>> (64 - JpegHuffmanTable.LOOKUP_BITS));
                            int fast;
                            if (k > lastValue) {
                                int many = skipMany[look];
                                int advance = (many >> 8) & 0xFF;
                                // Coefficients must stay within the block; an end-of-block only belongs to it
                                // while the block is still open (below 64).
                                int limit = (many & JpegHuffmanTable.ENDS_BLOCK) != 0 ? 63 : 64;
                                if (many != 0 && k + advance <= limit) {
                                    int total = many & 0xFF;
                                    b <<= total;
                                    cnt -= total;
                                    k = (many & JpegHuffmanTable.ENDS_BLOCK) != 0 ? 64 : k + advance;
                                    continue;
                                }
                                fast = skipAc[look];
                            } else {
                                fast = fastAc[look];
                            }
                            if (fast != 0) {
                                int total = fast & 0xFF;
                                b <<= total;
                                cnt -= total;
                                if (k > lastValue) {
                                    k += fast >> 8;
                                    continue;
                                }
                                k += (fast >> 8) & 0xFF;
                                if (k > 63) {
                                    if (((fast >> 8) & JpegHuffmanTable.END_OF_BLOCK) != 0) {
                                        break;
                                    }
                                    throw new CorruptImageException("AC coefficient index out of range");
                                }
                                int slot = kept[k];
                                if (slot >= 0) {
                                    int v = fast >> 16;
                                    blk[slot + lane] = v * q[k];
                                    acSlots |= 1L << (slot >>> slotShift);
                                }
                                k++;
                                continue;
                            }
                            int rs;
                            int e = acLookup[look];
                            if (e != 0) {
                                int length = e >> 8;
                                b <<= length;
                                cnt -= length;
                                rs = e & 0xFF;
                            } else {
                                bits = b;
                                bitCount = cnt;
                                pos = p;
                                rs = decodeSymbol(ac);
                                if (bitCount < 16) {
                                    fill();
                                }
                                b = bits;
                                cnt = bitCount;
                                p = pos;
                            }
                            int size = rs & 15;
                            int run = rs >> 4;
                            if (size == 0) {
                                if (run != 15) {
                                    break; // end of block
                                }
                                k += 16;
                                continue;
                            }
                            boolean valued = k <= lastValue;
                            k += run;
                            if (valued) {
                                if (k > 63) {
                                    throw new CorruptImageException("AC coefficient index out of range");
                                }
                                int v = JpegHuffmanTable.extend((int) (b >>> (64 - size)), size);
                                int slot = kept[k];
                                if (slot >= 0) {
                                    blk[slot + lane] = v * q[k];
                                    acSlots |= 1L << (slot >>> slotShift);
                                }
                            }
                            b <<= size;
                            cnt -= size;
                            k++;
                        }
                        int blockX = mx * hBlocks + bx;
                        boolean inRange = rowWanted && blockX >= pl.firstBlockColumn && blockX < pl.endBlockColumn;
                        int offset = by * pn * pl.stripWidth + blockX * pn;
                        if (inPlace) {
                            if (!inRange) {
                                idct.discard(acSlots);
                            } else if (acSlots == 0) {
                                idct.flat(pl.predictor * q[0], pl.strip, offset, pl.stripWidth);
                            } else {
                                blk[lane] = pl.predictor * q[0];
                                idct.commit(acSlots, pl.strip, offset, pl.stripWidth);
                                lane = idct.lane();
                            }
                            continue;
                        }
                        if (inRange) {
                            blk[0] = pl.predictor * q[0];
                            idct.write(blk, acSlots, pl.strip, offset, pl.stripWidth);
                        }
                        if (acSlots != 0) {
                            // Only slots 1.. can be non-zero, and only when a kept AC value was.
                            Arrays.fill(blk, 0, pn * pn, 0);
                        }
                    }
                }
            }
        }
        for (Plane pl : planes) {
            pl.idct.flush();
        }
        bits = b;
        bitCount = cnt;
        pos = p;
    }

    /**
     * Decodes one sequential block into {@link #block} (kept coefficients, dequantized).
     *
     * @return non-zero when a kept AC coefficient is non-zero
     */
    private int decodeBlock(Plane p, JpegHuffmanTable dc, JpegHuffmanTable ac, int[] q) {
        int t = decodeSymbol(dc);
        int diff = 0;
        if (t != 0) {
            if (t > 16) {
                throw new CorruptImageException("bad DC magnitude");
            }
            diff = JpegHuffmanTable.extend(receive(t), t);
        }
        p.predictor += diff;
        block[0] = p.predictor * q[0];
        int[] kept = p.keep;
        int any = 0;
        if (p.n == 1) {
            // Only the DC term is used: walk the AC symbols to stay in sync, skip their magnitude bits.
            int[] skip = ac.skipAc;
            for (int k = 1; k < 64; ) {
                if (bitCount < 16) {
                    fill();
                }
                int fast = skip[(int) (bits >>> (64 - JpegHuffmanTable.LOOKUP_BITS))];
                if (fast != 0) {
                    int total = fast & 0xFF;
                    bits <<= total;
                    bitCount -= total;
                    k += fast >> 8;
                    continue;
                }
                int rs = decodeSymbol(ac);
                int s = rs & 15;
                int r = rs >> 4;
                if (s == 0) {
                    if (r != 15) {
                        break;
                    }
                    k += 16;
                    continue;
                }
                if (bitCount < s) {
                    fill();
                }
                bits <<= s;
                bitCount -= s;
                k += r + 1;
            }
            return 0;
        }
        int[] fastAc = ac.fastAc;
        for (int k = 1; k < 64; ) {
            int fast = nextFastAc(fastAc);
            int v;
            if (fast != 0) {
                if (((fast >> 8) & JpegHuffmanTable.END_OF_BLOCK) != 0) {
                    break;
                }
                k += (fast >> 8) & 0xFF;
                v = fast >> 16;
            } else {
                int rs = decodeSymbol(ac);
                int s = rs & 15;
                int r = rs >> 4;
                if (s == 0) {
                    if (r != 15) {
                        break;
                    }
                    k += 16;
                    continue;
                }
                k += r;
                v = JpegHuffmanTable.extend(receive(s), s);
            }
            if (k > 63) {
                throw new CorruptImageException("AC coefficient index out of range");
            }
            int slot = kept[k];
            if (slot >= 0) {
                block[slot] = v * q[k];
                any |= v;
            }
            k++;
        }
        return any;
    }

    // ------------------------------------------------------------------------------------------------------
    // Multi-scan (progressive, or sequential with one scan per component): coefficients kept per block
    // ------------------------------------------------------------------------------------------------------

    private void decodeScan(Scan scan) {
        resetBits();
        for (int c : scan.components) {
            planes[c].predictor = 0;
        }
        boolean single = scan.components.length == 1;
        int restartsLeft = restartInterval;
        if (single) {
            Plane p = planes[scan.components[0]];
            for (int by = 0; by < p.blocksPerColumn; by++) {
                for (int bx = 0; bx < p.blocksPerLine; bx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restartScan();
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    decodeMultiScanBlock(p, by * p.blocksWide + bx, scan);
                }
                if ((by & 15) == 15) {
                    checkNotOverrun();
                    deadline.check();
                }
            }
        } else {
            for (int my = 0; my < mcusY; my++) {
                for (int mx = 0; mx < mcusX; mx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restartScan();
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    for (int c : scan.components) {
                        Plane p = planes[c];
                        int h = p.component.h();
                        int v = p.component.v();
                        for (int by = 0; by < v; by++) {
                            for (int bx = 0; bx < h; bx++) {
                                decodeMultiScanBlock(p, (my * v + by) * p.blocksWide + mx * h + bx, scan);
                            }
                        }
                    }
                }
                if ((my & 7) == 7) {
                    checkNotOverrun();
                    deadline.check();
                }
            }
        }
    }

    /**
     * One block of a multi-scan file by the file's entropy coding. (Kept apart from the Huffman body so that
     * body stays small enough for the JIT to inline it into the scan loop.)
     */
    private void decodeMultiScanBlock(Plane p, int blockIndex, Scan scan) {
        if (arithmetic != null) {
            decodeArithmeticBlock(p, blockIndex, blockIndex * p.n * p.n, scan);
        } else {
            decodeStoredBlock(p, blockIndex, scan);
        }
    }

    private void decodeStoredBlock(Plane p, int blockIndex, Scan scan) {
        int kept = p.n * p.n;
        int base = blockIndex * kept;
        short[] coef = p.coefficients;
        if (!header.progressive()) {
            // Sequential, non-interleaved: a whole block per MCU; store quantized values (unit quantizer).
            decodeBlock(p, dcTable(p), acTable(p), UNIT_QUANT);
            for (int i = 0; i < kept; i++) {
                coef[base + i] = (short) block[i];
                block[i] = 0;
            }
            return;
        }
        if (scan.ss == 0) {
            if (scan.ah == 0) {
                int t = decodeSymbol(dcTable(p));
                int diff = t == 0 ? 0 : JpegHuffmanTable.extend(receive(checkMagnitude(t)), t);
                p.predictor += diff;
                coef[base] = (short) (p.predictor * (1 << scan.al));
            } else if (receive(1) != 0) {
                coef[base] |= (short) (1 << scan.al);
            }
            return;
        }
        if (scan.ah == 0) {
            decodeAcFirst(p, blockIndex, base, scan);
        } else {
            decodeAcRefine(p, blockIndex, base, scan);
        }
    }

    private void decodeArithmeticBlock(Plane p, int blockIndex, int base, Scan scan) {
        int component = planeIndex(p);
        short[] coef = p.coefficients;
        if (scan.ss == 0) {
            if (scan.ah == 0) {
                coef[base] = (short) (arithmetic.decodeDc(component, p.dcTable) * (1 << scan.al));
            } else if (arithmetic.decodeDcRefinement() != 0) {
                coef[base] |= (short) (1 << scan.al);
            }
            if (scan.se == 0) {
                return; // a progressive DC scan; a sequential one goes on with the AC band
            }
        }
        int ss = Math.max(1, scan.ss);
        if (scan.ah == 0) {
            arithmetic.decodeAc(p.acTable, ss, scan.se, scan.al, coef, base, p.keep, p.nonZero, blockIndex);
        } else {
            arithmetic.refineAc(p.acTable, ss, scan.se, scan.al, coef, base, p.keep, p.nonZero, blockIndex);
        }
    }

    private int planeIndex(Plane p) {
        for (int i = 0; i < planes.length; i++) {
            if (planes[i] == p) {
                return i;
            }
        }
        throw new IllegalStateException("unknown plane");
    }

    private static int checkMagnitude(int t) {
        if (t > 16) {
            throw new CorruptImageException("bad DC magnitude");
        }
        return t;
    }

    private void decodeAcFirst(Plane p, int blockIndex, int base, Scan scan) {
        int[] keep = p.keep;
        if (eobrun > 0) {
            eobrun--;
            return;
        }
        JpegHuffmanTable ac = acTable(p);
        int[] fastAc = ac.fastAc;
        short[] coef = p.coefficients;
        long[] nz = p.nonZero;
        for (int k = scan.ss; k <= scan.se; ) {
            // A short code and its magnitude bits in one lookup, as in the baseline loop (the table's only
            // end-of-band entry is EOB0, a run of one band: this one; longer runs and ZRL take the symbol-by-symbol
            // path).
            int fast = nextFastAc(fastAc);
            int value;
            if (fast != 0) {
                if (((fast >> 8) & JpegHuffmanTable.END_OF_BLOCK) != 0) {
                    break;
                }
                k += (fast >> 8) & 0xFF;
                value = fast >> 16;
            } else {
                int rs = decodeSymbol(ac);
                int s = rs & 15;
                int r = rs >> 4;
                if (s == 0) {
                    if (r < 15) {
                        eobrun = (1 << r) - 1;
                        if (r > 0) {
                            eobrun += receive(r);
                        }
                        break;
                    }
                    k += 16;
                    continue;
                }
                k += r;
                value = JpegHuffmanTable.extend(receive(s), s);
            }
            if (k > 63) {
                throw new CorruptImageException("AC coefficient index out of range");
            }
            int v = value * (1 << scan.al);
            if (nz != null) {
                nz[blockIndex] |= 1L << k;
            }
            if (keep[k] >= 0) {
                coef[base + keep[k]] = (short) v;
            }
            k++;
        }
    }

    private void decodeAcRefine(Plane p, int blockIndex, int base, Scan scan) {
        int[] keep = p.keep;
        int p1 = 1 << scan.al;
        int m1 = -1 << scan.al;
        short[] coef = p.coefficients;
        long mask = p.nonZero[blockIndex];
        int k = scan.ss;
        int se = scan.se;
        if (eobrun == 0) {
            JpegHuffmanTable ac = acTable(p);
            for (; k <= se; k++) {
                int rs = decodeSymbol(ac);
                int s = rs & 15;
                int r = rs >> 4;
                int value = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw new CorruptImageException("bad refinement magnitude");
                    }
                    value = receive(1) != 0 ? p1 : m1;
                } else if (r != 15) {
                    eobrun = 1 << r;
                    if (r > 0) {
                        eobrun += receive(r);
                    }
                    break;
                }
                while (k <= se) {
                    if ((mask >>> k & 1) != 0) {
                        refine(keep, coef, base, k, p1, m1);
                    } else {
                        if (r == 0) {
                            break;
                        }
                        r--;
                    }
                    k++;
                }
                if (value != 0) {
                    if (k > se) {
                        throw new CorruptImageException("refinement past end of band");
                    }
                    mask |= 1L << k;
                    if (keep[k] >= 0) {
                        coef[base + keep[k]] = (short) value;
                    }
                }
            }
        }
        if (eobrun > 0) {
            for (; k <= se; k++) {
                if ((mask >>> k & 1) != 0) {
                    refine(keep, coef, base, k, p1, m1);
                }
            }
            eobrun--;
        }
        p.nonZero[blockIndex] = mask;
    }

    private void refine(int[] keep, short[] coef, int base, int k, int p1, int m1) {
        if (receive(1) != 0) {
            int slot = keep[k];
            if (slot >= 0) {
                int c = coef[base + slot];
                if ((c & p1) == 0) {
                    coef[base + slot] = (short) (c >= 0 ? c + p1 : c + m1);
                }
            }
        }
    }

    private void emitStoredCoefficients() {
        int[][] qSlots = new int[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            int[] q = quant[planes[c].component.quantTable()];
            if (q == null) {
                throw new CorruptImageException("missing quantization table");
            }
            int[] keep = planes[c].keep;
            int[] qSlot = new int[planes[c].n * planes[c].n];
            for (int k = 0; k < 64; k++) {
                if (keep[k] >= 0) {
                    qSlot[keep[k]] = q[k];
                }
            }
            qSlots[c] = qSlot;
        }
        if (colourStage != null) {
            emitStoredByMcuRow(qSlots);
            return;
        }
        for (int c = 0; c < planes.length; c++) {
            Plane p = planes[c];
            int pn = p.n;
            p.stripWidth = p.blocksWide * pn;
            p.strip = new byte[p.stripWidth * pn];
            for (int by = 0; by < p.blocksPerColumn; by++) {
                int y0 = by * pn;
                if (p.reducer.firstRow() >= y0 + pn || p.reducer.endRow() <= y0) {
                    continue;
                }
                blockRowFromStore(p, by, qSlots[c], 0);
                for (int r = 0; r < pn; r++) {
                    p.reducer.row(y0 + r, p.strip, r * p.stripWidth, 1);
                }
                if ((by & 15) == 15) {
                    deadline.check();
                }
            }
        }
    }

    /** As the baseline path hands over MCU rows, for the colour stage: every plane's strip, MCU row by MCU row. */
    private void emitStoredByMcuRow(int[][] qSlots) {
        for (Plane p : planes) {
            p.stripWidth = p.blocksWide * p.n;
            p.strip = new byte[p.stripWidth * p.component.v() * p.n];
        }
        byte[][] strips = stripsOf(planes);
        for (int my = 0; my < mcusY; my++) {
            if (!colourStage.wantsMcuRow(my)) {
                continue;
            }
            for (int c = 0; c < planes.length; c++) {
                Plane p = planes[c];
                int v = p.component.v();
                for (int r = 0; r < v && my * v + r < p.blocksPerColumn; r++) {
                    blockRowFromStore(p, my * v + r, qSlots[c], r * p.n * p.stripWidth);
                }
            }
            colourStage.mcuRow(my, strips);
            if ((my & 7) == 7) {
                deadline.check();
            }
        }
        colourStage.finish();
    }

    private static byte[][] stripsOf(Plane[] planes) {
        byte[][] strips = new byte[planes.length][];
        for (int i = 0; i < planes.length; i++) {
            strips[i] = planes[i].strip;
        }
        return strips;
    }

    /** Dequantizes and inverse-transforms block row {@code by} of a plane's store into its strip. */
    private void blockRowFromStore(Plane p, int by, int[] qSlot, int stripOffset) {
        int pn = p.n;
        int kept = pn * pn;
        short[] coef = p.coefficients;
        for (int bx = p.firstBlockColumn; bx < p.endBlockColumn; bx++) {
            int base = (by * p.blocksWide + bx) * kept;
            long acSlots = 0;
            block[0] = coef[base] * qSlot[0];
            for (int i = 1; i < kept; i++) {
                int v = coef[base + i];
                block[i] = v * qSlot[i];
                acSlots |= (long) ((v | -v) >>> 31) << i; // bit i when v != 0
            }
            p.idct.write(block, acSlots, p.strip, stripOffset + bx * pn, p.stripWidth);
        }
        p.idct.flush();
    }

    private static int[] filled(int length, int value) {
        int[] array = new int[length];
        Arrays.fill(array, value);
        return array;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
