package io.mediasuite.devices.geo;

/** Test geometry: where you end up after travelling a distance along a bearing (spherical direct problem). */
public final class Destination {

    private Destination() {
    }

    /** {lat, lon} of the point {@code distanceKm} from the start along {@code bearingDeg}. */
    public static double[] of(double lat, double lon, double bearingDeg, double distanceKm) {
        double delta = distanceKm / GreatCircle.EARTH_RADIUS_KM;
        double phi1 = Math.toRadians(lat);
        double theta = Math.toRadians(bearingDeg);
        double phi2 = Math.asin(Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta));
        double lambda2 = Math.toRadians(lon) + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
                Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2));
        double lonOut = ((Math.toDegrees(lambda2) + 540) % 360) - 180;
        return new double[] {Math.toDegrees(phi2), lonOut};
    }
}
