package io.mediasuite.thumbnails.pipeline.colour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sampled table and its simplex interpolation against the colour engine itself (the JDK's LittleCMS, called
 * per pixel): random pixels plus every grey level, for a CMYK printer profile (4-D), RGB profiles (3-D: Adobe RGB
 * primaries, whose conversion mixes channels as most non-sRGB photos' do, and linear light, the steepest curve near
 * black) and the JDK's grey profile (1-D).
 */
class IccTransformTest {

    private static final int PIXELS = 20_000;

    @Test
    void apply_shouldStayWithinTwoLevelsOfTheEngine_whenCmykPrinterProfile() {
        // measured: 2 levels at worst, 0.24 mean (a wrong simplex path: 3); the engine gets the display-class copy the table was built from
        byte[] profile = PrinterProfiles.neutralCmyk(12);
        assertCloseToEngine(profile, IccTransform.asDisplayClass(profile), 4, 2, 0.4);
    }

    @Test
    void apply_shouldStayCloseToTheEngine_whenWideGamutRgbProfile() {
        // measured: 0.20 mean, 21 levels at worst where a cell straddles sRGB's gamut edge (the engine clips, the
        // table interpolates across the clip); a wrong simplex path gives 255 and 0.55
        byte[] profile = adobeRgbPrimaries();
        assertCloseToEngine(profile, profile, 3, 24, 0.3);
    }

    @Test
    void apply_shouldStayCloseToTheEngine_whenLinearRgbProfile() {
        // the 33-point grid is coarse for linear light's steep start (measured: 9 levels at worst, 0.46 mean)
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        assertCloseToEngine(profile, profile, 3, 10, 0.6);
    }

    @Test
    void apply_shouldStayWithinOneLevelOfTheEngine_whenGrayProfile() {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        assertCloseToEngine(profile, profile, 1, 1, 0.1);
    }

    @Test
    void apply_shouldGiveTheSameResult_whenConvertingInPlace() {
        // given: the RGB path of the colour step converts its interleaved buffer in place
        IccTransform transform = IccTransform.forProfile(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData())
                .orElseThrow();
        byte[] pixels = randomSamples(3);
        byte[] separate = new byte[PIXELS * 3];

        // when
        transform.apply(pixels, 3, PIXELS, separate, 3);
        transform.apply(pixels, 3, PIXELS, pixels, 3);

        // then
        assertArrayEquals(separate, pixels);
    }

    @Test
    void forProfile_shouldKeepProfilesApart_whenTheyDifferOnlyWhereTheCacheHashDoesNotLook() {
        // given: the printer profile, and a copy whose perceptual table renders some K-ink corner mid grey
        // instead of black, changed at a byte the sampled hash skips
        byte[] original = PrinterProfiles.neutralCmyk(12);
        byte[] changed = null;
        int corner = -1;
        int clut = tagOffset(original, "A2B0") + 48 + 4 * 256;
        for (int node = 1; node < 16 && changed == null; node += 2) {
            byte[] candidate = original.clone();
            candidate[clut + node * 3] = (byte) 128;
            if (IccTransform.sampledHash(candidate) == IccTransform.sampledHash(original)) {
                changed = candidate;
                corner = node;
            }
        }
        assertTrue(changed != null, "no K corner outside the hash's samples");
        byte[] ink = new byte[4];
        for (int c = 0; c < 4; c++) {
            ink[c] = (byte) ((corner >> (3 - c) & 1) * 255);
        }

        // when: the original is cached first
        byte[] fromOriginal = new byte[3];
        byte[] fromChanged = new byte[3];
        IccTransform.forProfile(original).orElseThrow().apply(ink, 4, 1, fromOriginal, 3);
        IccTransform.forProfile(changed).orElseThrow().apply(ink, 4, 1, fromChanged, 3);

        // then
        assertTrue((fromOriginal[0] & 0xFF) <= 2, "black from the original: " + (fromOriginal[0] & 0xFF));
        assertTrue((fromChanged[0] & 0xFF) > 60, "grey from the changed copy: " + (fromChanged[0] & 0xFF));
    }

    private static int tagOffset(byte[] profile, String signature) {
        ByteBuffer data = ByteBuffer.wrap(profile);
        for (int t = 0; t < data.getInt(128); t++) {
            int entry = 132 + 12 * t;
            if (new String(profile, entry, 4, StandardCharsets.US_ASCII).equals(signature)) {
                return data.getInt(entry + 4);
            }
        }
        throw new IllegalArgumentException("no tag " + signature);
    }

    private static void assertCloseToEngine(byte[] profile, byte[] engineProfile, int channels, int maxError,
                                            double maxMean) {
        // given
        IccTransform transform = IccTransform.forProfile(profile).orElseThrow();
        byte[] in = randomSamples(channels);
        byte[] expected = new byte[PIXELS * 3];
        new ColorConvertOp(new ICC_ColorSpace(ICC_Profile.getInstance(engineProfile)),
                ColorSpace.getInstance(ColorSpace.CS_sRGB), null)
                .filter(raster(in, PIXELS, channels), raster(expected, PIXELS, 3));

        // when
        byte[] actual = new byte[PIXELS * 3];
        transform.apply(in, channels, PIXELS, actual, 3);

        // then
        int worst = 0;
        long total = 0;
        for (int i = 0; i < actual.length; i++) {
            int difference = Math.abs((actual[i] & 0xFF) - (expected[i] & 0xFF));
            worst = Math.max(worst, difference);
            total += difference;
        }
        double mean = (double) total / actual.length;
        assertTrue(worst <= maxError, "worst difference " + worst + " levels");
        assertTrue(mean <= maxMean, "mean difference " + mean + " levels");
    }

    /** The JDK's sRGB profile with Adobe RGB (1998)'s primaries (D50-adapted colorants) instead of sRGB's. */
    private static byte[] adobeRgbPrimaries() {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        ByteBuffer data = ByteBuffer.wrap(profile);
        double[][] colorants = {{0.6097, 0.3111, 0.0195}, {0.2053, 0.6257, 0.0609}, {0.1492, 0.0632, 0.7446}};
        String[] tags = {"rXYZ", "gXYZ", "bXYZ"};
        int count = data.getInt(128);
        for (int t = 0; t < count; t++) {
            int entry = 132 + 12 * t;
            String signature = new String(profile, entry, 4, StandardCharsets.US_ASCII);
            for (int c = 0; c < 3; c++) {
                if (signature.equals(tags[c])) {
                    int offset = data.getInt(entry + 4) + 8;
                    for (int k = 0; k < 3; k++) {
                        data.putInt(offset + 4 * k, (int) Math.round(colorants[c][k] * 65536));
                    }
                }
            }
        }
        return profile;
    }

    /** Random samples, the first 256 pixels being the grey ramp (every channel equal: 0, 1, ... 255). */
    private static byte[] randomSamples(int channels) {
        byte[] samples = new byte[PIXELS * channels];
        new Random(11).nextBytes(samples);
        for (int i = 0; i < 256 * channels; i++) {
            samples[i] = (byte) (i / channels);
        }
        return samples;
    }

    private static WritableRaster raster(byte[] data, int pixels, int bands) {
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        return Raster.createWritableRaster(new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, pixels, 1, bands,
                pixels * bands, offsets), new DataBufferByte(data, data.length), null);
    }
}
