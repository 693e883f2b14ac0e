package io.mediasuite.thumbnails.pipeline.jpeg;

/**
 * The quantisation tables of {@link JpegEncoder}: the example tables of ITU T.81 Annex K (the ones libjpeg, the
 * JDK and sharp all start from), scaled by quality the way libjpeg's {@code jpeg_quality_scaling} and
 * {@code jpeg_add_quant_table} do, limited to 1-255 (baseline: 8-bit entries). Natural (row-major) order.
 */
final class JpegQuantTables {

    private static final int[] LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99};

    private static final int[] CHROMA = {
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99};

    private JpegQuantTables() {
    }

    static int[] luma(int quality) {
        return scaled(LUMA, quality);
    }

    static int[] chroma(int quality) {
        return scaled(CHROMA, quality);
    }

    /**
     * Quality 50 is the table as printed; below it the entries grow as 50/quality, above it they shrink linearly
     * to all ones at 100 (libjpeg's percentage scale, rounded half up).
     */
    static int[] scaled(int[] base, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100: " + quality);
        }
        int percent = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        int[] table = new int[64];
        for (int i = 0; i < 64; i++) {
            int value = (base[i] * percent + 50) / 100;
            table[i] = Math.max(1, Math.min(255, value));
        }
        return table;
    }
}
