package io.mediasuite.devices.geo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the devices table's geo index ({@code ByGeoCell}): how a location becomes index keys, and how a
 * radius becomes the index reads that cover it. Writers and readers must agree on these numbers, and changing
 * one means re-writing every located item, which is why they are constants here rather than configuration.
 *
 * <ul>
 *   <li>Stored coordinates are rounded to {@value #COORDINATE_DECIMALS} decimals (about 1.1 km): enough to target
 *       a neighbourhood, too coarse to find a home. The distance filter runs on these coarse coordinates.</li>
 *   <li>The sort key is the geohash of the coarse point at precision {@value #STORED_PRECISION} (about
 *       1.2 x 0.6 km, matching the coordinate grain).</li>
 *   <li>The partition key is the precision-{@value #KEY_PRECISION} cell (about 156 x 156 km) plus a shard
 *       {@code 0..}{@value #SHARDS}{@code -1} taken from a hash of the device id. A dense city then spreads over
 *       {@value #SHARDS} partition keys instead of one hot key, and a send reads the shards in parallel.</li>
 * </ul>
 *
 * A radius query reads, per covering cell, all shards of the cell's precision-3 parent, narrowed to the cell
 * with {@code begins_with} on the sort key when the cell is finer than the key.
 *
 * <p>Polar caps: geohash columns converge at the poles, so a small circle there touches up to 256 precision-3
 * cells (a whole row). The northernmost and southernmost precision-3 rows (|lat| above about 88.6 degrees, some
 * 156 km around each pole, practically uninhabited) are therefore each indexed as one cell, {@value #NORTH_CAP}
 * and {@value #SOUTH_CAP}, and a circle reaching into a cap reads that one partition whole.
 */
public final class GeoIndex {

    public static final int COORDINATE_DECIMALS = 2;
    public static final int STORED_PRECISION = 6;
    public static final int KEY_PRECISION = 3;
    public static final int SHARDS = 8;

    /** Partition key cells of the polar caps; not geohash strings, so they cannot collide with one. */
    public static final String NORTH_CAP = "cap-n";
    public static final String SOUTH_CAP = "cap-s";

    /** Covering cells aimed for when choosing a precision: small radii get fine cells, large ones coarse. */
    static final int TARGET_CELLS = 24;

    private GeoIndex() {
    }

    /** A coordinate rounded to the stored grain. */
    public static double coarsen(double degrees) {
        double factor = Math.pow(10, COORDINATE_DECIMALS);
        double rounded = Math.round(degrees * factor) / factor;
        return rounded == 0.0 ? 0.0 : rounded; // no -0.0 in stored items
    }

    /** The sort key of a (coarse) location. */
    public static String geohash(double lat, double lon) {
        return Geohash.encode(lat, lon, STORED_PRECISION);
    }

    /** The partition key of a device located at {@code geohash}: key cell, '#', shard. */
    public static String cellKey(String geohash, String deviceId) {
        return keyCell(geohash) + "#" + shardOf(deviceId);
    }

    /** The key cell of a geohash: its precision-3 parent, or a polar cap. */
    static String keyCell(String geohash) {
        String parent = geohash.substring(0, KEY_PRECISION);
        Geohash.Cell cell = Geohash.decode(parent);
        if (cell.north() >= 90.0) {
            return NORTH_CAP;
        }
        if (cell.south() <= -90.0) {
            return SOUTH_CAP;
        }
        return parent;
    }

    /** A stable shard for a device: FNV-1a over the id's UTF-8 bytes (String.hashCode is stable too, but weak). */
    static int shardOf(String deviceId) {
        int hash = 0x811c9dc5;
        for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Math.floorMod(hash, SHARDS);
    }

    /**
     * The index reads covering a circle: one per (precision-3 cell, shard), each with the finer prefixes to read
     * under that key (empty when the whole key is read).
     */
    public static List<CellRead> plan(double lat, double lon, double radiusKm) {
        int precision = CoveringCells.precisionFor(lat, lon, radiusKm, KEY_PRECISION, STORED_PRECISION, TARGET_CELLS);
        Map<String, List<String>> prefixesByKeyCell = new LinkedHashMap<>();
        for (String cell : CoveringCells.cover(lat, lon, radiusKm, precision)) {
            String keyCell = keyCell(cell);
            List<String> prefixes = prefixesByKeyCell.computeIfAbsent(keyCell, k -> new ArrayList<>());
            boolean cap = keyCell.equals(NORTH_CAP) || keyCell.equals(SOUTH_CAP);
            if (precision > KEY_PRECISION && !cap) {
                prefixes.add(cell);
            }
        }
        List<CellRead> reads = new ArrayList<>();
        prefixesByKeyCell.forEach((keyCell, prefixes) -> {
            for (int shard = 0; shard < SHARDS; shard++) {
                reads.add(new CellRead(keyCell + "#" + shard, List.copyOf(prefixes)));
            }
        });
        return reads;
    }

    /**
     * One read of the geo index: partition key {@code cellKey}; when {@code prefixes} is not empty, only the sort
     * keys starting with one of them.
     */
    public record CellRead(String cellKey, List<String> prefixes) {
    }
}
