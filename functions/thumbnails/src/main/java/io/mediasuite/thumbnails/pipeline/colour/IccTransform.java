package io.mediasuite.thumbnails.pipeline.colour;

import io.mediasuite.common.Log;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedded ICC profile's conversion to sRGB, sampled once into a lookup table and applied by simplex
 * (tetrahedral in 3D, its 4D analogue for CMYK) interpolation.
 *
 * <p>Why a table: the JDK's colour management (LittleCMS) is correct but costly per call: parsing a large
 * CMYK profile and building its transform takes tens of milliseconds, and ColorConvertOp is not safe to share
 * between threads. The table is built with that same engine (so the colours are LittleCMS's), is immutable and
 * thread-safe, and is cached by profile bytes: photos from one camera or one print workflow share a handful of
 * profiles. An RGB profile whose table is the identity (sRGB itself, tagged by most tools) is detected and
 * skipped entirely.
 */
final class IccTransform {

    private static final int RGB_GRID = 33;
    private static final int CMYK_GRID = 17;
    private static final int CACHE_LIMIT = 32;
    private static final Map<ProfileKey, Optional<IccTransform>> CACHE = new ConcurrentHashMap<>();

    private final int dimensions;
    private final int[] strides;
    /**
     * Output R, G, B per grid node, packed 16 bits apart (R lowest). Interpolation weights sum to 255, so a
     * weighted sum of packed nodes keeps each channel's sum (at most 255 * 255) in its own 16 bits: one multiply
     * per simplex vertex serves all three channels. Memory: 8 bytes a node, 668 KB for a CMYK table (17^4 nodes),
     * 287 KB for RGB (33^3), so a full cache of 32 CMYK profiles holds 21 MB.
     */
    private final long[] nodes;
    /** Per input sample value: the grid cell it falls in, and its position inside that cell (0-255). */
    private final int[] cellOf = new int[256];
    private final int[] fractionOf = new int[256];

    private IccTransform(int dimensions, int grid, byte[] table) {
        this.dimensions = dimensions;
        this.strides = new int[dimensions];
        int stride = 1;
        for (int d = dimensions - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= grid;
        }
        this.nodes = new long[table.length / 3];
        for (int n = 0; n < nodes.length; n++) {
            nodes[n] = (table[n * 3] & 0xFFL) | (table[n * 3 + 1] & 0xFFL) << 16 | (table[n * 3 + 2] & 0xFFL) << 32;
        }
        int scale = grid - 1;
        for (int v = 0; v < 256; v++) {
            int t = v * scale;
            int cell = Math.min(t / 255, scale - 1);
            cellOf[v] = cell;
            fractionOf[v] = t - cell * 255;
        }
    }

    /** Input channels this transform takes: 1 (gray), 3 (RGB) or 4 (CMYK ink, 0 = no ink). */
    int channels() {
        return dimensions;
    }

    /**
     * The transform for {@code icc}, or empty when there is nothing to do (no profile, an sRGB-equivalent
     * profile) or the profile is unusable (logged; the image is then shown with its numbers as sRGB rather than
     * rejected).
     */
    static Optional<IccTransform> forProfile(byte[] icc) {
        if (icc == null || icc.length < 132) {
            return Optional.empty();
        }
        ProfileKey key = new ProfileKey(icc);
        Optional<IccTransform> cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<IccTransform> built = build(icc);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(key, built);
        return built;
    }

    private static Optional<IccTransform> build(byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(asDisplayClass(icc));
            ColorSpace source = new ICC_ColorSpace(profile);
            int dims;
            int grid;
            switch (source.getType()) {
                case ColorSpace.TYPE_RGB -> {
                    dims = 3;
                    grid = RGB_GRID;
                }
                case ColorSpace.TYPE_CMYK -> {
                    dims = 4;
                    grid = CMYK_GRID;
                }
                case ColorSpace.TYPE_GRAY -> {
                    dims = 1;
                    grid = 256;
                }
                default -> {
                    return Optional.empty();
                }
            }
            int nodes = (int) Math.pow(grid, dims);
            byte[] in = new byte[nodes * dims];
            for (int i = 0; i < nodes; i++) {
                int rest = i;
                for (int d = dims - 1; d >= 0; d--) {
                    in[i * dims + d] = (byte) Math.round((rest % grid) * 255.0 / (grid - 1));
                    rest /= grid;
                }
            }
            Raster src = raster(in, nodes, dims);
            byte[] out = new byte[nodes * 3];
            WritableRaster dst = raster(out, nodes, 3);
            new ColorConvertOp(source, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(src, dst);
            if (dims == 3 && isIdentity(in, out)) {
                return Optional.empty();
            }
            return Optional.of(new IccTransform(dims, grid, out));
        } catch (RuntimeException e) {
            Log.warn("ignoring unusable ICC profile", "bytes", icc.length, "error", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The profile with an output ("prtr") device class rewritten as display ("mntr"), so the JDK renders it with
     * its perceptual table like every other class.
     *
     * <p>Why: ColorConvertOp ignores the header's rendering intent and picks relative colorimetric whenever the
     * first profile is a printer profile, which is what every CMYK profile is. Relative colorimetric without black
     * point compensation keeps the ink's real black (SWOP's is about L* 10), so a Photoshop CMYK photo comes out
     * washed out: its blacks at RGB 41 instead of 0, every channel 7 levels too bright on average. libvips (sharp
     * imports with the perceptual intent), Photoshop (relative colorimetric with black point compensation) and
     * TwelveMonkeys (which also rewrites the class) all map the ink's black to black. The rewrite never points the
     * engine at a missing tag: every table-based output profile carries the perceptual A2B0, and curve-based ones
     * (grey "dot gain" profiles) are read through the same curve in either class.
     */
    static byte[] asDisplayClass(byte[] icc) {
        if (!(icc[12] == 'p' && icc[13] == 'r' && icc[14] == 't' && icc[15] == 'r')) {
            return icc;
        }
        byte[] copy = icc.clone();
        copy[12] = 'm';
        copy[13] = 'n';
        copy[14] = 't';
        copy[15] = 'r';
        return copy;
    }

    private static WritableRaster raster(byte[] data, int pixels, int bands) {
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        PixelInterleavedSampleModel model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, pixels, 1, bands,
                pixels * bands, offsets);
        return Raster.createWritableRaster(model, new DataBufferByte(data, data.length), null);
    }

    private static boolean isIdentity(byte[] in, byte[] out) {
        for (int i = 0; i < in.length; i++) {
            if (Math.abs((in[i] & 0xFF) - (out[i] & 0xFF)) > 2) {
                return false;
            }
        }
        return true;
    }

    /**
     * Converts {@code count} pixels of {@code channels()} interleaved samples (stride {@code inStride}) to RGB
     * at {@code out[i * outStride]}; {@code in} and {@code out} may be the same array with the same stride.
     */
    void apply(byte[] in, int inStride, int count, byte[] out, int outStride) {
        if (dimensions == 1) {
            apply1(in, inStride, count, out, outStride);
        } else {
            applySimplex(in, inStride, count, out, outStride);
        }
    }

    /*
     * Simplex interpolation: the cell's corner at the lower grid nodes is walked towards the opposite corner one
     * dimension at a time, largest fraction first; vertex k weighs (fraction k-1) - (fraction k), with 255 before
     * the first and 0 after the last. Each dimension travels as a key (fraction << 16 | stride), so sorting the keys
     * in descending order (a fixed min/max network, no branches) yields both the weights and the path; equal
     * fractions tie with a zero weight, so their order does not matter. RGB runs as CMYK with a fourth dimension
     * of fraction 0 and stride 0: its key is 0, sorts last and weighs nothing.
     */
    private void applySimplex(byte[] in, int inStride, int count, byte[] out, int outStride) {
        int[] cell = cellOf;
        int[] fraction = fractionOf;
        long[] table = nodes;
        boolean four = dimensions == 4;
        int s0 = strides[0];
        int s1 = strides[1];
        int s2 = strides[2];
        int s3 = four ? strides[3] : 0;
        for (int i = 0, p = 0, o = 0; i < count; i++, p += inStride, o += outStride) {
            int v0 = in[p] & 0xFF;
            int v1 = in[p + 1] & 0xFF;
            int v2 = in[p + 2] & 0xFF;
            int v3 = four ? in[p + 3] & 0xFF : 0;
            int node = cell[v0] * s0 + cell[v1] * s1 + cell[v2] * s2 + cell[v3] * s3;
            int k0 = fraction[v0] << 16 | s0;
            int k1 = fraction[v1] << 16 | s1;
            int k2 = fraction[v2] << 16 | s2;
            int k3 = fraction[v3] << 16 | s3;
            int hi01 = Math.max(k0, k1);
            int lo01 = Math.min(k0, k1);
            int hi23 = Math.max(k2, k3);
            int lo23 = Math.min(k2, k3);
            int first = Math.max(hi01, hi23);
            int last = Math.min(lo01, lo23);
            int midA = Math.min(hi01, hi23);
            int midB = Math.max(lo01, lo23);
            int second = Math.max(midA, midB);
            int third = Math.min(midA, midB);
            long sum = (255 - (first >>> 16)) * table[node];
            node += first & 0xFFFF;
            sum += ((first >>> 16) - (second >>> 16)) * table[node];
            node += second & 0xFFFF;
            sum += ((second >>> 16) - (third >>> 16)) * table[node];
            node += third & 0xFFFF;
            sum += ((third >>> 16) - (last >>> 16)) * table[node];
            node += last & 0xFFFF;
            sum += (last >>> 16) * table[node];
            store(sum, out, o);
        }
    }

    private void apply1(byte[] in, int inStride, int count, byte[] out, int outStride) {
        int[] cell = cellOf;
        int[] fraction = fractionOf;
        long[] table = nodes;
        for (int i = 0, p = 0, o = 0; i < count; i++, p += inStride, o += outStride) {
            int v = in[p] & 0xFF;
            int node = cell[v];
            int f = fraction[v];
            store((255 - f) * table[node] + f * table[node + 1], out, o);
        }
    }

    /** Unpacks a weighted sum of packed nodes (weights summing to 255) into rounded R, G, B at {@code out[o]}. */
    private static void store(long sum, byte[] out, int o) {
        out[o] = (byte) (((int) (sum & 0xFFFF) + 127) / 255);
        out[o + 1] = (byte) (((int) (sum >>> 16 & 0xFFFF) + 127) / 255);
        out[o + 2] = (byte) (((int) (sum >>> 32 & 0xFFFF) + 127) / 255);
    }

    /**
     * The cache key's hash of a profile: its length, header and every 61st byte. Hashing all of a 557 KB press
     * profile took 1.3 ms per thumbnail, most of the CMYK colour step. Two profiles that sample alike still differ
     * under the key's equals (a vectorised compare, a few microseconds), so a collision costs time, never a wrong
     * table.
     */
    static int sampledHash(byte[] bytes) {
        int hash = bytes.length;
        int header = Math.min(128, bytes.length);
        for (int i = 0; i < header; i++) {
            hash = 31 * hash + bytes[i];
        }
        for (int i = header; i < bytes.length; i += 61) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    private record ProfileKey(byte[] bytes, int hash) {
        ProfileKey(byte[] bytes) {
            this(bytes, sampledHash(bytes));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ProfileKey key && key.hash == hash && Arrays.equals(key.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
