package io.mediasuite.thumbnails.pipeline;

/** Reads the one EXIF field a thumbnailer needs: the orientation tag (0x0112) of IFD0. */
public final class Exif {

    private static final int ORIENTATION_TAG = 0x0112;

    private Exif() {
    }

    /**
     * The orientation in the TIFF structure at {@code data[offset, offset + length)}; 1 (as stored) when it is
     * absent, malformed or out of range, because a broken EXIF block must not make an image unreadable.
     */
    public static int orientation(byte[] data, int offset, int length) {
        if (length < 8 || offset < 0 || offset + length > data.length) {
            return 1;
        }
        boolean little;
        if (data[offset] == 'I' && data[offset + 1] == 'I') {
            little = true;
        } else if (data[offset] == 'M' && data[offset + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(data, offset + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(data, offset + 4, little);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int entries = u16(data, offset + (int) ifd, little);
        int p = offset + (int) ifd + 2;
        for (int i = 0; i < entries && p + 12 <= offset + length; i++, p += 12) {
            if (u16(data, p, little) == ORIENTATION_TAG) {
                int type = u16(data, p + 2, little);
                int value = type == 3 ? u16(data, p + 8, little) : type == 4 ? (int) u32(data, p + 8, little) : 1;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] d, int p, boolean little) {
        return little ? (d[p] & 0xFF) | ((d[p + 1] & 0xFF) << 8) : ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    private static long u32(byte[] d, int p, boolean little) {
        long a = u16(d, little ? p : p + 2, little);
        long b = u16(d, little ? p + 2 : p, little);
        return (b << 16) | a;
    }
}
