package io.mediasuite.devices.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GreatCircleTest {

    @Test
    void distanceKm_shouldMatchKnownDistances_whenGivenReferencePairs() {
        // given / when / then
        assertEquals(GreatCircle.KM_PER_DEGREE, GreatCircle.distanceKm(0, 0, 0, 1), 1e-9);
        assertEquals(Math.PI * GreatCircle.EARTH_RADIUS_KM, GreatCircle.distanceKm(0, 0, 0, 180), 1e-6);
        assertEquals(Math.PI * GreatCircle.EARTH_RADIUS_KM / 2, GreatCircle.distanceKm(90, 0, 0, 77), 1e-6);
        assertEquals(0.0, GreatCircle.distanceKm(90, 10, 90, -170), 1e-9);
        // Paris - London, about 343.5 km on the sphere
        assertEquals(343.5, GreatCircle.distanceKm(48.8566, 2.3522, 51.5074, -0.1278), 0.5);
        // across the antimeridian: one degree apart
        assertEquals(GreatCircle.KM_PER_DEGREE, GreatCircle.distanceKm(0, 179.5, 0, -179.5), 1e-9);
    }

    @Test
    void distanceToCellKm_shouldEqualTheMinimumOverTheCell_whenComparedWithDenseSampling() {
        // given
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            double lat = random.nextDouble() * 180 - 90;
            double lon = random.nextDouble() * 360 - 180;
            int precision = 2 + random.nextInt(3);
            // a cell near the point, so the minimum is interesting
            double cellLat = Math.max(-90, Math.min(90, lat + (random.nextDouble() - 0.5) * 20));
            double cellLon = lon + (random.nextDouble() - 0.5) * 20;
            cellLon = cellLon > 180 ? cellLon - 360 : cellLon < -180 ? cellLon + 360 : cellLon;
            Geohash.Cell cell = Geohash.decode(Geohash.encode(cellLat, cellLon, precision));

            // when
            double exact = GreatCircle.distanceToCellKm(lat, lon, cell);

            // then: never above any point of the cell, and close to the best sampled one
            double sampled = Double.MAX_VALUE;
            int steps = 60;
            for (int a = 0; a <= steps; a++) {
                for (int b = 0; b <= steps; b++) {
                    double pLat = cell.south() + (cell.north() - cell.south()) * a / steps;
                    double pLon = cell.west() + (cell.east() - cell.west()) * b / steps;
                    sampled = Math.min(sampled, GreatCircle.distanceKm(lat, lon, pLat, pLon));
                }
            }
            assertTrue(exact <= sampled + 1e-6, "exact " + exact + " > sampled " + sampled + " for " + cell);
            double tolerance = 1.0 + GreatCircle.KM_PER_DEGREE * (cell.east() - cell.west()) / steps;
            assertTrue(sampled - exact <= tolerance, "exact " + exact + " far below sampled " + sampled);
        }
    }

    @Test
    void distanceToCellKm_shouldBeZero_whenThePointIsInsideOrIsTheTouchingPole() {
        // given
        Geohash.Cell cell = Geohash.decode(Geohash.encode(10.0, 10.0, 4));
        Geohash.Cell polar = Geohash.decode(Geohash.encode(89.99, 123.0, 3));

        // when / then
        assertEquals(0.0, GreatCircle.distanceToCellKm(10.0, 10.0, cell));
        assertEquals(0.0, GreatCircle.distanceToCellKm(90.0, -45.0, polar), 1e-9);
    }
}
