package io.mediasuite.thumbnails.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Small files that are expensive to decode, made here (each is a few KB to a few hundred KB): the shapes of
 * issue 10's out-of-memory and slow cases, so the guard and the budget are tested on the real thing.
 */
public final class HostileImages {

    /** The 8 bytes every PNG starts with (spelled out here: the decoder's own copy is private to its package). */
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private HostileImages() {
    }

    /** 1 x 49 000 000 RGB PNG: 49 million rows, each needing its own reducer bookkeeping. */
    public static byte[] tallPng() {
        return png(1, 49_000_000, 8, 2, false);
    }

    /** 49 000 000 x 1 RGB PNG. */
    public static byte[] widePng() {
        return png(49_000_000, 1, 8, 2, false);
    }

    /** 7000 x 7000 RGB PNG at 16 bits per sample: 294 MB to inflate. */
    public static byte[] sixteenBitPng() {
        return png(7000, 7000, 16, 2, false);
    }

    /** 7000 x 7000 RGB PNG, Adam7-interlaced (ImageIO path, full-size raster). */
    public static byte[] interlacedPng() {
        return png(7000, 7000, 8, 2, true);
    }

    /**
     * A PNG of {@code width x height}, colour type {@code colourType} at {@code depth} bits, every row filter 0
     * and all samples zero (so it deflates about 1000:1), optionally Adam7-interlaced.
     */
    public static byte[] png(int width, int height, int depth, int colourType, boolean interlaced) {
        int channels = switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            default -> 4;
        };
        long bitsPerPixel = (long) channels * depth;
        long raw = 0;
        if (interlaced) {
            int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                {0, 1, 1, 2}};
            for (int[] p : passes) {
                long w = width > p[0] ? (width - p[0] + p[2] - 1) / p[2] : 0;
                long h = height > p[1] ? (height - p[1] + p[3] - 1) / p[3] : 0;
                if (w > 0 && h > 0) {
                    raw += h * (1 + (w * bitsPerPixel + 7) / 8);
                }
            }
        } else {
            raw = height * (1 + (width * bitsPerPixel + 7) / 8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) depth).put((byte) colourType).put((byte) 0).put((byte) 0)
                .put((byte) (interlaced ? 1 : 0));
        SourceGuardTest.chunk(out, "IHDR", ihdr.array());
        SourceGuardTest.chunk(out, "IDAT", deflateZeros(raw));
        SourceGuardTest.chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * A zlib stream of {@code count} zero bytes, made without deflating them all: one megabyte of zeros is
     * deflated once and ended with a full flush (byte-aligned, no reference to earlier data), so the same blocks
     * can be repeated; a final empty stored block and the Adler-32 of the zeros (s1 = 1, s2 = count mod 65521)
     * close the stream.
     */
    static byte[] deflateZeros(long count) {
        int chunk = 1 << 20;
        byte[] whole = rawDeflatedZeros(chunk);
        byte[] rest = rawDeflatedZeros((int) (count % chunk));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78);
        out.write(0xDA);
        for (long i = 0; i < count / chunk; i++) {
            out.writeBytes(whole);
        }
        out.writeBytes(rest);
        out.writeBytes(new byte[] {1, 0, 0, (byte) 0xFF, (byte) 0xFF});
        long adler = ((count % 65521) << 16) | 1;
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) adler).array());
        return out.toByteArray();
    }

    private static byte[] rawDeflatedZeros(int count) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(new byte[count]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        deflater.end();
        return out.toByteArray();
    }

    /**
     * A lossless (SOF3) 8-bit grey JPEG whose frame claims {@code size x size}: a one-code Huffman table and a
     * scan of zero bits (every difference 0). TwelveMonkeys' lossless reader would decode it to full-size arrays.
     */
    public static byte[] losslessJpeg(int size, int scanBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        // SOF3: length 11, P=8, Y, X, Nf=1, component 1, 1x1 sampling, Tq=0
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC3, 0, 11, 8, (byte) (size >> 8), (byte) size,
            (byte) (size >> 8), (byte) size, 1, 1, 0x11, 0});
        // DHT: DC table 0, one code of length 1 for category 0
        byte[] dht = new byte[2 + 1 + 16 + 1];
        dht[0] = 0;
        dht[1] = (byte) dht.length;
        dht[2] = 0x00;
        dht[3] = 1;
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC4});
        out.writeBytes(dht);
        // SOS: one component, table 0, predictor 1, Se 0, Al 0
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 1, 0, 0});
        out.writeBytes(new byte[scanBytes]);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }
}
