package io.mediasuite.devices.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoveringCellsTest {

    @Test
    void cover_shouldHoldEveryPointWithinTheRadius_whenGivenRandomCircles() {
        // given
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            double lat = random.nextDouble() * 178 - 89;
            double lon = random.nextDouble() * 360 - 180;
            double radius = 0.5 + random.nextDouble() * 400;
            int precision = CoveringCells.precisionFor(lat, lon, radius, 3, 6, 24);

            // when
            Set<String> cells = new HashSet<>(CoveringCells.cover(lat, lon, radius, precision));

            // then: points on and inside the circle all fall in covered cells
            for (int k = 0; k < 50; k++) {
                double[] p = Destination.of(lat, lon, random.nextDouble() * 360, radius * Math.sqrt(random.nextDouble()));
                assertTrue(cells.contains(Geohash.encode(p[0], p[1], precision)),
                        "point " + p[0] + "," + p[1] + " of circle " + lat + "," + lon + " r=" + radius + " not covered");
            }
            // and every covered cell really reaches into the circle
            for (String cell : cells) {
                assertTrue(GreatCircle.distanceToCellKm(lat, lon, Geohash.decode(cell)) <= radius + 1e-6);
            }
        }
    }

    @Test
    void cover_shouldWrapAroundTheAntimeridian_whenTheCircleCrossesIt() {
        // given a circle on the date line near Fiji
        double lat = -17.0;
        double lon = 179.95;

        // when
        List<String> cells = CoveringCells.cover(lat, lon, 30, 4);

        // then cells on both sides of 180 are included
        assertTrue(cells.stream().anyMatch(c -> Geohash.decode(c).west() < 0), "no western-hemisphere cell");
        assertTrue(cells.stream().anyMatch(c -> Geohash.decode(c).east() > 0), "no eastern-hemisphere cell");
        double[] across = Destination.of(lat, lon, 90, 25);
        assertTrue(across[1] < 0);
        assertTrue(cells.contains(Geohash.encode(across[0], across[1], 4)));
    }

    @Test
    void cover_shouldTakeEveryColumnOfThePolarRow_whenTheCircleHoldsThePole() {
        // given a circle around a point near the North Pole that contains the pole
        double lat = 89.8;

        // when
        List<String> cells = CoveringCells.cover(lat, 0.0, 50, 3);

        // then all 256 precision-3 cells of the top row touch the pole and are covered
        long topRow = (1L << Geohash.latBits(3)) - 1;
        Set<String> expected = new HashSet<>();
        for (long column = 0; column < (1L << Geohash.lonBits(3)); column++) {
            expected.add(Geohash.cell(topRow, column, 3).hash());
        }
        assertTrue(cells.containsAll(expected));
        assertEquals(new HashSet<>(cells).size(), cells.size(), "duplicates");
    }

    @Test
    void precisionFor_shouldBeFinerForSmallerRadii_whenChosenFromTheRadius() {
        // given / when
        int city = CoveringCells.precisionFor(48.85, 2.35, 0.3, 3, 6, 24);
        int region = CoveringCells.precisionFor(48.85, 2.35, 30, 3, 6, 24);
        int country = CoveringCells.precisionFor(48.85, 2.35, 500, 3, 6, 24);

        // then
        assertEquals(6, city);
        assertEquals(4, region);
        assertEquals(3, country);
    }
}
