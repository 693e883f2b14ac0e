package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import io.mediasuite.thumbnails.pipeline.png.PngDecoder;

/**
 * Pipeline step "guard": decides from the first bytes alone whether a source may be decoded. It recognises the
 * format by signature, reads the dimensions from the header (JPEG SOF, PNG IHDR, GIF screen and first frame,
 * BMP DIB header) and refuses more pixels than the limit before any pixel memory exists, so a decompression bomb
 * (a few KB of PNG declaring 100 000 x 100 000 pixels, a 1 MB JPEG declaring 280 MP) costs microseconds and no
 * allocation beyond the header. Unknown formats (WebP, HEIC, TIFF, ...) and unreadable headers are a 415.
 */
public final class SourceGuard {

    /** Longest side accepted: 30 000 px (a 50 MP panorama at 18:1 still fits; cameras stay under 15 000). */
    static final int MAX_SIDE = 30_000;
    /** Most elongated aspect ratio accepted (banners and panoramas are far below it). */
    static final int MAX_ASPECT = 200;

    private final long maxPixels;

    public SourceGuard(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public SourceInfo inspect(byte[] data) {
        ImageFormat format = ImageFormat.sniff(data);
        if (format == null) {
            throw ImageRefusal.UNSUPPORTED.exception("unrecognised image signature");
        }
        SourceInfo info;
        try {
            info = switch (format) {
                case JPEG -> {
                    JpegHeader h = JpegHeader.read(data);
                    if (h.precision() != 8 && !h.lossless()) {
                        // 12-bit DCT JPEGs (medical, some raw converters): neither our decoder nor ImageIO's
                        // reads them, and sharp refuses them too.
                        throw ImageRefusal.TWELVE_BIT_JPEG.exception(h.precision() + "-bit DCT JPEG");
                    }
                    yield new SourceInfo(format, h.width(), h.height(), h.orientation(), h);
                }
                case PNG -> {
                    PngDecoder.Header h = PngDecoder.readHeader(data);
                    yield new SourceInfo(format, h.width(), h.height(), h.orientation(), h);
                }
                case GIF -> gif(data);
                case BMP -> bmp(data);
            };
        } catch (CorruptImageException | UnsupportedImageException | IndexOutOfBoundsException e) {
            throw ImageRefusal.CORRUPT.exception("unreadable " + format + " header: " + e.getMessage(), e);
        }
        if (info.width() <= 0 || info.height() <= 0) {
            throw ImageRefusal.CORRUPT.exception("empty image");
        }
        long longSide = Math.max(info.width(), info.height());
        long shortSide = Math.min(info.width(), info.height());
        if (longSide > MAX_SIDE || longSide > shortSide * MAX_ASPECT) {
            // Decoders and reducers keep per-row and per-column state: a 1 x 49 000 000 image is within the
            // pixel limit yet costs as much bookkeeping as a 49 MP photo for one pixel column of output.
            throw ImageRefusal.BAD_DIMENSIONS.exception("source is " + info.width() + "x" + info.height());
        }
        if (info.pixels() > maxPixels) {
            throw ImageRefusal.TOO_MANY_PIXELS.exception("source has " + info.pixels() + " pixels, limit "
                    + maxPixels);
        }
        return info;
    }

    private static SourceInfo gif(byte[] d) {
        if (d.length < 13) {
            throw new CorruptImageException("short GIF");
        }
        // Every read below is bounds-checked: a truncated header is corrupt, not an index error.
        int width = u16le(d, 6);
        int height = u16le(d, 8);
        int flags = d[10] & 0xFF;
        int p = 13 + ((flags & 0x80) != 0 ? 3 * (2 << (flags & 7)) : 0);
        // The first frame's descriptor decides what the reader allocates; it may claim more than the screen.
        while (p < d.length) {
            int block = d[p] & 0xFF;
            if (block == 0x2C) {
                if (p + 10 > d.length) {
                    throw new CorruptImageException("truncated GIF image descriptor");
                }
                if (u16le(d, p + 5) == 0 || u16le(d, p + 7) == 0) {
                    throw new CorruptImageException("empty GIF frame");
                }
                int right = u16le(d, p + 1) + u16le(d, p + 5);
                int bottom = u16le(d, p + 3) + u16le(d, p + 7);
                return new SourceInfo(ImageFormat.GIF, Math.max(width, right), Math.max(height, bottom), 1, null);
            }
            if (block == 0x21) {
                p += 2;
                while (p < d.length && d[p] != 0) {
                    p += (d[p] & 0xFF) + 1;
                }
                p++;
            } else {
                break;
            }
        }
        throw new CorruptImageException("GIF without image");
    }

    private static SourceInfo bmp(byte[] d) {
        if (d.length < 26) {
            throw new CorruptImageException("short BMP header");
        }
        int dib = (int) u32le(d, 14);
        long width;
        long height;
        if (dib == 12) {
            width = u16le(d, 18);
            height = u16le(d, 20);
        } else if (dib >= 40) {
            width = (int) u32le(d, 18);
            height = Math.abs((long) (int) u32le(d, 22));
        } else {
            throw new CorruptImageException("unknown BMP header");
        }
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new CorruptImageException("bad BMP dimensions");
        }
        return new SourceInfo(ImageFormat.BMP, (int) width, (int) height, 1, null);
    }

    private static int u16le(byte[] d, int p) {
        return (d[p] & 0xFF) | ((d[p + 1] & 0xFF) << 8);
    }

    private static long u32le(byte[] d, int p) {
        return (u16le(d, p) | ((long) u16le(d, p + 2) << 16));
    }
}
