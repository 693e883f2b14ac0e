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
    private final int grid;
    private final int[] strides;
    /** Output R, G, B per grid node. */
    private final byte[] table;

    private IccTransform(int dimensions, int grid, byte[] table) {
        this.dimensions = dimensions;
        this.grid = grid;
        this.table = table;
        this.strides = new int[dimensions];
        int stride = 1;
        for (int d = dimensions - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= grid;
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
     * TwelveMonkeys (the same header rewrite) all map the ink's black to black. The perceptual table (A2B0) is one
     * every output profile must carry, so the rewrite never points the engine at a missing tag.
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
     * at {@code out[outOffset + i * outStride]}.
     */
    void apply(byte[] in, int inStride, int count, byte[] out, int outStride) {
        int scale = grid - 1;
        int dims = dimensions;
        int[] base = new int[4];
        int[] frac = new int[4];
        int[] order = new int[4];
        for (int i = 0; i < count; i++) {
            int p = i * inStride;
            int index = 0;
            for (int d = 0; d < dims; d++) {
                int t = (in[p + d] & 0xFF) * scale;
                base[d] = t / 255;
                frac[d] = t - base[d] * 255;
                if (base[d] == scale) {
                    base[d] = scale - 1;
                    frac[d] = 255;
                }
                index += base[d] * strides[d];
                order[d] = d;
            }
            // Sort dimensions by descending fraction (insertion sort on at most 4 entries).
            for (int a = 1; a < dims; a++) {
                int v = order[a];
                int b = a - 1;
                while (b >= 0 && frac[order[b]] < frac[v]) {
                    order[b + 1] = order[b];
                    b--;
                }
                order[b + 1] = v;
            }
            int o = i * outStride;
            for (int channel = 0; channel < 3; channel++) {
                int node = index;
                int previous = 255;
                int sum = 0;
                for (int s = 0; s < dims; s++) {
                    int f = frac[order[s]];
                    sum += (previous - f) * (table[node * 3 + channel] & 0xFF);
                    previous = f;
                    node += strides[order[s]];
                }
                sum += previous * (table[node * 3 + channel] & 0xFF);
                out[o + channel] = (byte) ((sum + 127) / 255);
            }
        }
    }

    private record ProfileKey(byte[] bytes, int hash) {
        ProfileKey(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
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
