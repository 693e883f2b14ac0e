package io.mediasuite.devices.geo;

/**
 * Distances on a spherical Earth (mean radius 6371.0088 km). The sphere is off from the ellipsoid by at most
 * about 0.5 %; targeting radii are operator estimates, so the exact filter is exact against this model, and the
 * same model prunes cells, so the two can never disagree about a device.
 */
public final class GreatCircle {

    /** IUGG mean Earth radius. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    /** Kilometres per degree along a meridian. */
    public static final double KM_PER_DEGREE = Math.PI * EARTH_RADIUS_KM / 180.0;

    private GreatCircle() {
    }

    /** Great-circle distance in kilometres (haversine form: well conditioned for short and long distances). */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(lon2 - lon1);
        double sinPhi = Math.sin(dPhi / 2);
        double sinLambda = Math.sin(dLambda / 2);
        double h = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * sinLambda * sinLambda;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }

    /**
     * The smallest distance from a point to any point of a cell (0 when the point is inside). Exact on the sphere:
     * when the point's meridian crosses the cell, the nearest point is straight north or south on that meridian;
     * otherwise it lies on the cell's western or eastern edge, because along any parallel the distance grows with
     * the longitude difference.
     */
    public static double distanceToCellKm(double lat, double lon, Geohash.Cell cell) {
        boolean lonInside = longitudeWithin(lon, cell.west(), cell.east());
        if (lonInside) {
            if (lat >= cell.south() && lat <= cell.north()) {
                return 0.0;
            }
            double gap = lat < cell.south() ? cell.south() - lat : lat - cell.north();
            return gap * KM_PER_DEGREE;
        }
        return Math.min(distanceToMeridianSegmentKm(lat, lon, cell.west(), cell.south(), cell.north()),
                distanceToMeridianSegmentKm(lat, lon, cell.east(), cell.south(), cell.north()));
    }

    /**
     * Distance from a point to the part of meridian {@code meridianLon} between latitudes {@code south} and
     * {@code north}. Along a meridian the distance has one minimum, at latitude atan(tan(lat) / cos(dLon)) when
     * cos(dLon) &gt; 0; otherwise the minimum over the segment is at one of its ends.
     */
    static double distanceToMeridianSegmentKm(double lat, double lon, double meridianLon, double south, double north) {
        double best = Math.min(distanceKm(lat, lon, south, meridianLon), distanceKm(lat, lon, north, meridianLon));
        double cosDLon = Math.cos(Math.toRadians(meridianLon - lon));
        if (cosDLon > 0) {
            double foot = Math.toDegrees(Math.atan(Math.tan(Math.toRadians(lat)) / cosDLon));
            if (foot > south && foot < north) {
                best = Math.min(best, distanceKm(lat, lon, foot, meridianLon));
            }
        }
        return best;
    }

    /** Whether {@code lon} lies in [west, east], comparing modulo 360 so -180 and 180 are the same meridian. */
    static boolean longitudeWithin(double lon, double west, double east) {
        double offset = normalize(lon - west);
        return offset <= east - west + 1e-12;
    }

    /** An angle folded into [0, 360). */
    static double normalize(double degrees) {
        double folded = degrees % 360.0;
        return folded < 0 ? folded + 360.0 : folded;
    }
}
