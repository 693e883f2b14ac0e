package io.mediasuite.devices.geo;

/**
 * Geohash cells: a base-32 string whose bits alternate longitude and latitude halvings, so every prefix of a
 * hash names the larger cell that contains it. That prefix property is what lets the device index answer "all
 * devices in cell X" with a {@code begins_with} key condition.
 *
 * <p>A cell is also addressed here by its integer row (latitude index) and column (longitude index) at a given
 * precision, which is how {@link CoveringCells} walks a grid without string arithmetic.
 */
public final class Geohash {

    /** The geohash alphabet: digits and lower-case letters without a, i, l and o. */
    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
    private static final int[] DECODE = new int[128];

    /** The longest hash handled: 12 characters, 60 bits, a cell of a few centimetres. */
    public static final int MAX_PRECISION = 12;

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DECODE[ALPHABET.charAt(i)] = i;
        }
    }

    private Geohash() {
    }

    /** Bits spent on longitude at {@code precision} characters (longitude takes the first and every other bit). */
    public static int lonBits(int precision) {
        return (5 * precision + 1) / 2;
    }

    /** Bits spent on latitude at {@code precision} characters. */
    public static int latBits(int precision) {
        return 5 * precision / 2;
    }

    /** Height of a cell in degrees of latitude. */
    public static double cellHeightDegrees(int precision) {
        return 180.0 / (1L << latBits(precision));
    }

    /** Width of a cell in degrees of longitude. */
    public static double cellWidthDegrees(int precision) {
        return 360.0 / (1L << lonBits(precision));
    }

    /** The hash of the cell containing the point. Latitude 90 and longitude 180 fall in the last row/column. */
    public static String encode(double lat, double lon, int precision) {
        checkPrecision(precision);
        return fromIndices(rowOf(lat, precision), columnOf(lon, precision), precision);
    }

    /** Row index (0 = southernmost) of the cell containing {@code lat}. */
    public static long rowOf(double lat, int precision) {
        long rows = 1L << latBits(precision);
        long row = (long) Math.floor((lat + 90.0) / 180.0 * rows);
        return Math.clamp(row, 0, rows - 1);
    }

    /** Column index (0 = starting at longitude -180) of the cell containing {@code lon}. */
    public static long columnOf(double lon, int precision) {
        long columns = 1L << lonBits(precision);
        long column = (long) Math.floor((lon + 180.0) / 360.0 * columns);
        return Math.clamp(column, 0, columns - 1);
    }

    /** The hash of the cell at {@code row}, {@code column}. */
    public static String fromIndices(long row, long column, int precision) {
        checkPrecision(precision);
        int lonBits = lonBits(precision);
        int latBits = latBits(precision);
        char[] out = new char[precision];
        int lonTaken = 0;
        int latTaken = 0;
        for (int c = 0; c < precision; c++) {
            int value = 0;
            for (int b = 0; b < 5; b++) {
                int bitIndex = c * 5 + b;
                int bit;
                if (bitIndex % 2 == 0) {
                    bit = (int) ((column >>> (lonBits - 1 - lonTaken)) & 1L);
                    lonTaken++;
                } else {
                    bit = (int) ((row >>> (latBits - 1 - latTaken)) & 1L);
                    latTaken++;
                }
                value = (value << 1) | bit;
            }
            out[c] = ALPHABET.charAt(value);
        }
        return new String(out);
    }

    /** The bounds of the cell a hash names. */
    public static Cell decode(String hash) {
        int precision = hash.length();
        checkPrecision(precision);
        long row = 0;
        long column = 0;
        for (int c = 0; c < precision; c++) {
            char ch = hash.charAt(c);
            int value = ch < 128 ? DECODE[ch] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("not a geohash character: '" + ch + "' in " + hash);
            }
            for (int b = 4; b >= 0; b--) {
                int bit = (value >>> b) & 1;
                if ((c * 5 + (4 - b)) % 2 == 0) {
                    column = (column << 1) | bit;
                } else {
                    row = (row << 1) | bit;
                }
            }
        }
        return cell(row, column, precision);
    }

    /** The cell at {@code row}, {@code column}, with its bounds. */
    public static Cell cell(long row, long column, int precision) {
        double height = cellHeightDegrees(precision);
        double width = cellWidthDegrees(precision);
        double south = -90.0 + row * height;
        double west = -180.0 + column * width;
        return new Cell(fromIndices(row, column, precision), south, south + height, west, west + width);
    }

    private static void checkPrecision(int precision) {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("precision must be 1.." + MAX_PRECISION + ", got " + precision);
        }
    }

    /** A geohash cell and its bounds in degrees (west &lt; east always; cells never wrap). */
    public record Cell(String hash, double south, double north, double west, double east) {

        public boolean contains(double lat, double lon) {
            return lat >= south && lat <= north && lon >= west && lon <= east;
        }
    }
}
