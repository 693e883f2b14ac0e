package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.util.List;
import io.mediasuite.thumbnails.pipeline.png.PngDecoder;

/**
 * Pipeline step "budget": before any pixel is decoded, what the decoder path chosen for a file will allocate and
 * how much data it must work through, computed from the header and the plan alone. A file over either bound is
 * refused with a 413 ({@link ImageRefusal#OVER_BUDGET}) in microseconds, instead of ending in an
 * {@code OutOfMemoryError} or running into the Lambda timeout.
 *
 * <p>The memory figures are upper estimates of the arrays each decoder allocates (they follow the allocation
 * sites of {@link JpegDecoder}, {@link PngDecoder}, {@link PlaneReducer} and the full-size raster ImageIO readers
 * build), not measurements. The work bounds stand for time: the streaming PNG decoder's cost follows the bytes
 * it inflates, the ImageIO readers' the pixels they decode at full size whatever subsampling is asked for. Each
 * bound is set so that the largest file within it renders in well under 2 s on one vCPU (figures in the README).
 * JPEGs need no work bound beyond the pixel limit: a 24 MP arithmetic-coded one, the slowest kind (no skip path),
 * takes about 0.3 s of CPU; CMYK files pass every decoded pixel through the profile's table only up to
 * {@code JpegDecoder.INK_FIRST_MAX_PIXELS} (above it they convert output pixels, as all files did before).
 */
public final class DecodeBudget {

    /**
     * Default ceiling for one render's allocations: with a 32 MB source and the JVM's own ~40 MB, a render stays
     * inside a 256 MB heap.
     */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;
    /** Bytes the streaming PNG decoder may inflate (a 50 MP 8-bit RGB PNG is 150 MB). */
    static final long MAX_PNG_INFLATED_BYTES = 200_000_000L;
    /** Pixels an ImageIO reader may decode (interlaced PNG, GIF, BMP, lossless JPEG: all rare when this large). */
    static final long MAX_IMAGEIO_PIXELS = 12_000_000L;

    private final long maxBytes;

    public DecodeBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Checks the path the pipeline tries first (the fast decoder of the format, or ImageIO when it has none). */
    void checkFirstPath(SourceInfo info, ResizePlan plan) {
        switch (info.format()) {
            case JPEG -> {
                JpegHeader h = (JpegHeader) info.header();
                if (!h.fastPathSupported()) {
                    checkImageIo(info, plan);
                    return;
                }
                require(jpegBytes(h, plan, h.progressive() || h.arithmetic()), "JPEG decode");
            }
            case PNG -> {
                PngDecoder.Header h = (PngDecoder.Header) info.header();
                if (h.interlaced()) {
                    checkImageIo(info, plan);
                    return;
                }
                long rowBytes = ((long) h.width() * h.channelsIn() * h.bitDepth() + 7) / 8;
                long inflated = h.height() * (rowBytes + 1);
                if (inflated > MAX_PNG_INFLATED_BYTES) {
                    throw ImageRefusal.OVER_BUDGET.exception("PNG inflates to " + inflated + " bytes, limit "
                            + MAX_PNG_INFLATED_BYTES);
                }
                int channels = h.channelsOut();
                long bytes = h.rowBufferBytes() + (long) h.width() * channels
                        + reducerBytes(h.width(), h.height(), channels, plan) + outputBytes(plan);
                require(bytes, "PNG decode");
            }
            default -> checkImageIo(info, plan);
        }
    }

    /** Checks the ImageIO path (also when a fast decoder declines a file half-way). */
    void checkImageIo(SourceInfo info, ResizePlan plan) {
        if (info.pixels() > MAX_IMAGEIO_PIXELS) {
            throw ImageRefusal.OVER_BUDGET.exception(info.format() + " for ImageIO with " + info.pixels()
                    + " pixels, limit " + MAX_IMAGEIO_PIXELS);
        }
        long raster = info.pixels() * imageIoBytesPerPixel(info);
        // Three or four single-channel reducers read the raster row by row.
        long bytes = raster + 4 * reducerBytes(info.width(), info.height(), 1, plan) + outputBytes(plan);
        require(bytes, "ImageIO decode");
    }

    /** Checks an allocation a decoder only discovers while decoding (a sequential JPEG coded in several scans). */
    public void require(long bytes, String what) {
        if (bytes > maxBytes) {
            throw ImageRefusal.OVER_BUDGET.exception(what + " needs about " + bytes + " bytes, budget " + maxBytes);
        }
    }

    /** Full-size raster bytes per pixel of the ImageIO reader for this file (upper estimates). */
    private static long imageIoBytesPerPixel(SourceInfo info) {
        return switch (info.format()) {
            case PNG -> {
                PngDecoder.Header h = (PngDecoder.Header) info.header();
                yield (long) h.channelsIn() * (h.bitDepth() == 16 ? 2 : 1) + 1;
            }
            case GIF -> 2; // the indexed frame, plus the reader's line buffers
            case BMP -> 4;
            // TwelveMonkeys' lossless reader keeps several int arrays per sample (measured: ~14 B/pixel).
            case JPEG -> 16;
        };
    }

    /**
     * {@link JpegDecoder}'s allocations at the plan's DCT scale: per component its reducer, and either the strip
     * of one MCU row (single-scan streaming) or the kept coefficients of every block plus a refinement mask.
     */
    public static long jpegBytes(JpegHeader h, ResizePlan plan, boolean coefficientStore) {
        int n = 8 / plan.jpegShrink();
        long mcusX = ceilDiv(h.width(), 8L * h.hMax());
        long mcusY = ceilDiv(h.height(), 8L * h.vMax());
        // Huffman lookup tables (up to eight, 28 KB each with their skip tables) and the scan bookkeeping.
        long total = outputBytes(plan) + 240_000;
        boolean colourFirst = JpegDecoder.convertsColourFirst(h, plan.jpegShrink());
        boolean inkFirst = JpegDecoder.convertsInkFirst(h, plan.jpegShrink());
        List<JpegHeader.Component> components = h.components();
        for (int i = 0; i < components.size(); i++) {
            JpegHeader.Component c = components.get(i);
            // Converting colour first: chroma at twice the luma's IDCT size where it is subsampled 2x2, three
            // reducers (R, G, B) at the luma plane's size and none for chroma, plus the stage's rows.
            int nc = colourFirst && i > 0 && n < 8 && c.h() * 2 == h.hMax() && c.v() * 2 == h.vMax() ? 2 * n : n;
            long compWidth = ceilDiv((long) h.width() * c.h(), h.hMax());
            long compHeight = ceilDiv((long) h.height() * c.v(), h.vMax());
            long planeWidth = ceilDiv(compWidth * nc, 8);
            long planeHeight = ceilDiv(compHeight * nc, 8);
            if (!colourFirst) {
                total += reducerBytes(planeWidth, planeHeight, 1, plan);
            } else if (i == 0) {
                total += 3 * reducerBytes(planeWidth, planeHeight, 1, plan);
            }
            long blocks = mcusX * c.h() * mcusY * c.v();
            long strip = mcusX * c.h() * nc * c.v() * nc;
            total += coefficientStore ? blocks * (2L * nc * nc + 8) : strip;
            if (nc >= 4) {
                total += JpegDecoder.IDCT_QUEUE_BYTES;
            }
            if (inkFirst && i == 0) {
                // Converting ink first: one three-channel reducer (counted above as a reducer per component,
                // four for three), and per column the row converter's four ink rows, interleaved ink and RGB.
                total += 16L * planeWidth;
            }
            if (colourFirst) {
                // A copy of each strip, and per luma column 6 int rows (luma, upsampled chroma, R, G, B) plus
                // the upsampling's sums and halves: 64 bytes with margin.
                total += strip + (i == 0 ? 64L * mcusX * c.h() * nc : 0);
            }
        }
        return total;
    }

    /**
     * {@link PlaneReducer}: the box stage's sum row, the kernel's per-row and per-column tables, its open
     * accumulator rows (a Lanczos3 window is up to 7 kernel rows after the box stage, more where a plane is
     * enlarged), the widened row, the horizontal pass's band (64 rows, and the same transposed) and the output
     * plane.
     */
    static long reducerBytes(long planeWidth, long planeHeight, int channels, ResizePlan plan) {
        long outWidth = plan.outWidth();
        long outHeight = plan.outHeight();
        long openRows = 10 + 7 * ceilDiv(outHeight, planeHeight);
        // Weight tables: per plane row, and per output row and column (up to ~20 taps each while building them,
        // which dominates when a plane is enlarged: a 2 x 10000 chroma plane shown 8 x 40000).
        long tables = 12 * planeHeight + 8 * 7 * planeHeight + 160 * outHeight + 160 * outWidth;
        // The kernel's columns: under 4 per output column once the box stage has run, the plane's at most.
        long columns = Math.min(planeWidth, 4 * outWidth + 32);
        long band = Math.min(64, outHeight) * columns * (channels + 1) * 4 + 16 * columns;
        return tables + 4 * planeWidth * channels + (openRows + 1) * planeWidth * channels * 4 + band
                + outWidth * outHeight * channels;
    }

    /**
     * After decoding (the reducers' output planes are counted with them): colour conversion, orientation and the
     * encoder each hold a copy of the output pixels, up to 4 bytes per pixel.
     */
    static long outputBytes(ResizePlan plan) {
        return (long) plan.outWidth() * plan.outHeight() * 12;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
