package io.mediasuite.devices.geo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The geohash cells a circle touches, at the finest precision that keeps their number small.
 *
 * <p>Every returned cell has at least one point within the radius (exact on the sphere, see
 * {@link GreatCircle#distanceToCellKm}), and every point within the radius lies in a returned cell. Circles that
 * cross the antimeridian wrap around in longitude; circles that contain a pole take every column of the rows
 * near it (near a pole all meridians meet, so all those cells really are within reach).
 */
public final class CoveringCells {

    private CoveringCells() {
    }

    /**
     * Chooses a precision from the radius: the finest one, between {@code minPrecision} and {@code maxPrecision},
     * whose estimated cell count stays within {@code targetCells}; never coarser than {@code minPrecision} even if
     * that count is exceeded (the device index cannot be read at a coarser grain).
     */
    public static int precisionFor(double lat, double lon, double radiusKm, int minPrecision, int maxPrecision,
                                   int targetCells) {
        int precision = maxPrecision;
        while (precision > minPrecision && estimate(lat, radiusKm, precision) > targetCells) {
            precision--;
        }
        return precision;
    }

    /** All cells at {@code precision} within {@code radiusKm} of the centre, in grid order, without duplicates. */
    public static List<String> cover(double lat, double lon, double radiusKm, int precision) {
        BoundingBox box = BoundingBox.around(lat, lon, radiusKm);
        long rows = 1L << Geohash.latBits(precision);
        long columns = 1L << Geohash.lonBits(precision);
        long firstRow = Geohash.rowOf(box.south(), precision);
        long lastRow = Geohash.rowOf(box.north(), precision);
        Set<String> cells = new LinkedHashSet<>();
        for (long row = firstRow; row <= lastRow && row < rows; row++) {
            for (long column : columnsOf(box, precision, columns)) {
                Geohash.Cell cell = Geohash.cell(row, column, precision);
                // The tolerance keeps a cell whose edge is exactly at the radius despite rounding.
                if (GreatCircle.distanceToCellKm(lat, lon, cell) <= radiusKm + 1e-9) {
                    cells.add(cell.hash());
                }
            }
        }
        return new ArrayList<>(cells);
    }

    private static List<Long> columnsOf(BoundingBox box, int precision, long columns) {
        List<Long> result = new ArrayList<>();
        if (box.allLongitudes()) {
            for (long column = 0; column < columns; column++) {
                result.add(column);
            }
            return result;
        }
        double width = Geohash.cellWidthDegrees(precision);
        long first = (long) Math.floor((box.west() + 180.0) / width);
        long last = (long) Math.floor((box.east() + 180.0) / width);
        // west/east may lie beyond ±180 when the circle crosses the antimeridian: fold the indices around.
        for (long column = first; column <= last && result.size() < columns; column++) {
            result.add(Math.floorMod(column, columns));
        }
        return result;
    }

    private static double estimate(double lat, double radiusKm, int precision) {
        BoundingBox box = BoundingBox.around(lat, 0.0, radiusKm);
        double rows = (box.north() - box.south()) / Geohash.cellHeightDegrees(precision) + 1;
        double lonSpan = box.allLongitudes() ? 360.0 : box.east() - box.west();
        double columns = Math.min(lonSpan / Geohash.cellWidthDegrees(precision) + 1,
                1L << Geohash.lonBits(precision));
        return rows * columns;
    }

    /**
     * The smallest latitude/longitude box holding a spherical circle. West/east may extend past ±180 (the box
     * crosses the antimeridian) and {@code allLongitudes} is set when the circle holds a pole.
     */
    record BoundingBox(double south, double north, double west, double east, boolean allLongitudes) {

        static BoundingBox around(double lat, double lon, double radiusKm) {
            double angular = radiusKm / GreatCircle.EARTH_RADIUS_KM;
            double dLat = Math.toDegrees(angular);
            double south = lat - dLat;
            double north = lat + dLat;
            if (north >= 90.0 || south <= -90.0 || angular >= Math.PI / 2) {
                return new BoundingBox(Math.max(south, -90.0), Math.min(north, 90.0), -180.0, 180.0, true);
            }
            // Widest longitude offset of a circle of angular radius r centred at latitude phi: asin(sin r / cos phi).
            double dLon = Math.toDegrees(Math.asin(Math.min(1.0, Math.sin(angular) / Math.cos(Math.toRadians(lat)))));
            if (dLon >= 180.0) {
                return new BoundingBox(south, north, -180.0, 180.0, true);
            }
            return new BoundingBox(south, north, lon - dLon, lon + dLon, false);
        }
    }
}
