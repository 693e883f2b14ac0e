package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Exif;
import io.mediasuite.thumbnails.pipeline.UnsupportedImageException;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a JPEG says about itself before its first scan: frame size and components, coding process, Adobe colour
 * transform, embedded ICC profile and EXIF orientation. Reading it touches only the marker segments (never
 * entropy-coded data), so the size guard can use it on any file in microseconds and without allocating pixels.
 */
public final class JpegHeader {

    /** One frame component (SOF). */
    public record Component(int id, int h, int v, int quantTable) {
    }

    int width;
    int height;
    int precision;
    int sofMarker = -1;
    Component[] components = new Component[0];
    int hMax = 1;
    int vMax = 1;
    /** APP14 Adobe transform flag: -1 when there is no Adobe segment, 0 none/CMYK/RGB, 1 YCbCr, 2 YCCK. */
    int adobeTransform = -1;
    boolean jfif;
    int orientation = 1;
    byte[] icc;
    /** Offset of the first SOS marker's 0xFF. */
    int firstScan = -1;

    // Read-only views for the guard and the budget in the parent package; the decoder uses the fields.

    /** Frame width in pixels. */
    public int width() {
        return width;
    }

    /** Frame height in pixels. */
    public int height() {
        return height;
    }

    /** Sample precision in bits (8, or 12 for the extended process). */
    public int precision() {
        return precision;
    }

    /** EXIF orientation, 1 (as stored) when absent. */
    public int orientation() {
        return orientation;
    }

    /** Largest horizontal sampling factor of the frame's components. */
    public int hMax() {
        return hMax;
    }

    /** Largest vertical sampling factor of the frame's components. */
    public int vMax() {
        return vMax;
    }

    /** The frame's components, in SOF order. */
    public List<Component> components() {
        return List.of(components);
    }

    /** A copy of the embedded ICC profile, or null when there is none. */
    public byte[] icc() {
        return icc == null ? null : icc.clone();
    }

    /** Progressive DCT (SOF2 Huffman, SOF10 arithmetic). */
    public boolean progressive() {
        return sofMarker == 0xC2 || sofMarker == 0xCA;
    }

    /** Arithmetic entropy coding (SOF9 sequential, SOF10 progressive) instead of Huffman. */
    public boolean arithmetic() {
        return sofMarker == 0xC9 || sofMarker == 0xCA;
    }

    /** Lossless (predictive, SOF3/7/11/15): samples are not DCT-coded, so there is nothing to shrink on load. */
    public boolean lossless() {
        return (sofMarker & 3) == 3;
    }

    /**
     * Whether {@link JpegDecoder} handles this file: 8-bit baseline, extended sequential or progressive, Huffman
     * or arithmetic coded, 1, 3 or 4 components with integral sampling ratios.
     */
    public boolean fastPathSupported() {
        boolean dct = sofMarker == 0xC0 || sofMarker == 0xC1 || sofMarker == 0xC2 || sofMarker == 0xC9
                || sofMarker == 0xCA;
        if (!dct || precision != 8) {
            return false;
        }
        int n = components.length;
        if (n != 1 && n != 3 && n != 4) {
            return false;
        }
        for (Component c : components) {
            if (hMax % c.h() != 0 || vMax % c.v() != 0) {
                return false;
            }
        }
        return true;
    }

    /** How to read the decoded components as colour (the libjpeg / Adobe conventions). */
    /** The colour model the components are in (from the component count, JFIF/Adobe markers and ids). */
    public ColourKind colourKind() {
        switch (components.length) {
            case 1:
                return ColourKind.GRAY;
            case 3:
                if (adobeTransform == 0) {
                    return ColourKind.RGB;
                }
                if (adobeTransform < 0 && !jfif && components[0].id() == 'R' && components[1].id() == 'G'
                        && components[2].id() == 'B') {
                    return ColourKind.RGB;
                }
                return ColourKind.YCBCR;
            case 4:
                if (adobeTransform == 2) {
                    return ColourKind.YCCK;
                }
                // Adobe applications write CMYK inverted (0 = full ink) whenever the APP14 segment is present.
                return adobeTransform >= 0 ? ColourKind.CMYK_INVERTED : ColourKind.CMYK;
            default:
                return ColourKind.UNSUPPORTED;
        }
    }

    /** Parses markers from SOI up to the first SOS. */
    public static JpegHeader read(byte[] data) {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new CorruptImageException("not a JPEG stream");
        }
        JpegHeader header = new JpegHeader();
        Map<Integer, byte[]> iccChunks = new TreeMap<>();
        int pos = 2;
        while (true) {
            // Markers may be preceded by any number of 0xFF fill bytes.
            while (pos < data.length && (data[pos] & 0xFF) != 0xFF) {
                pos++; // tolerate stray bytes between segments, as libjpeg does
            }
            while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= data.length) {
                throw new CorruptImageException("JPEG ends before its first scan");
            }
            int marker = data[pos++] & 0xFF;
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue;
            }
            if (marker == 0xD9) {
                throw new CorruptImageException("JPEG without scan");
            }
            if (pos + 2 > data.length) {
                throw new CorruptImageException("truncated JPEG marker segment");
            }
            int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            if (length < 2 || pos + length > data.length) {
                throw new CorruptImageException("truncated JPEG marker segment");
            }
            int start = pos + 2;
            int end = pos + length;
            if (marker == 0xDA) {
                if (header.sofMarker < 0) {
                    throw new CorruptImageException("JPEG scan before frame header");
                }
                header.firstScan = pos - 2;
                while (header.firstScan > 0 && (data[header.firstScan] & 0xFF) != 0xFF) {
                    header.firstScan--;
                }
                break;
            }
            if (isSof(marker)) {
                if (header.sofMarker >= 0) {
                    throw new UnsupportedImageException("JPEG with more than one frame (hierarchical)");
                }
                header.readFrame(marker, data, start, end);
            } else if (marker == 0xE0 && matches(data, start, end, "JFIF\0")) {
                header.jfif = true;
            } else if (marker == 0xE1 && matches(data, start, end, "Exif\0\0")) {
                header.orientation = Exif.orientation(data, start + 6, end - start - 6);
            } else if (marker == 0xE2 && matches(data, start, end, "ICC_PROFILE\0") && end - start > 14) {
                int sequence = data[start + 12] & 0xFF;
                iccChunks.putIfAbsent(sequence, java.util.Arrays.copyOfRange(data, start + 14, end));
            } else if (marker == 0xEE && matches(data, start, end, "Adobe") && end - start >= 12) {
                header.adobeTransform = data[start + 11] & 0xFF;
            }
            pos = end;
        }
        if (!iccChunks.isEmpty()) {
            ByteArrayOutputStream icc = new ByteArrayOutputStream();
            iccChunks.values().forEach(icc::writeBytes);
            header.icc = icc.toByteArray();
        }
        return header;
    }

    static boolean isSof(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private void readFrame(int marker, byte[] data, int start, int end) {
        if (end - start < 6) {
            throw new CorruptImageException("short SOF");
        }
        sofMarker = marker;
        precision = data[start] & 0xFF;
        height = ((data[start + 1] & 0xFF) << 8) | (data[start + 2] & 0xFF);
        width = ((data[start + 3] & 0xFF) << 8) | (data[start + 4] & 0xFF);
        int count = data[start + 5] & 0xFF;
        if (width == 0) {
            throw new CorruptImageException("JPEG width 0");
        }
        if (height == 0) {
            throw new UnsupportedImageException("JPEG height defined by DNL");
        }
        if (count == 0 || end - start < 6 + 3 * count) {
            throw new CorruptImageException("bad SOF component count");
        }
        components = new Component[count];
        for (int i = 0; i < count; i++) {
            int p = start + 6 + 3 * i;
            int sampling = data[p + 1] & 0xFF;
            int h = sampling >> 4;
            int v = sampling & 15;
            int tq = data[p + 2] & 0xFF;
            if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) {
                throw new CorruptImageException("bad SOF component parameters");
            }
            components[i] = new Component(data[p] & 0xFF, h, v, tq);
            hMax = Math.max(hMax, h);
            vMax = Math.max(vMax, v);
        }
    }

    private static boolean matches(byte[] data, int start, int end, String signature) {
        byte[] expected = signature.getBytes(StandardCharsets.ISO_8859_1);
        if (end - start < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data[start + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
