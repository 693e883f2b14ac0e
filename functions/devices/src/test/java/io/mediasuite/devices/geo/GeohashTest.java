package io.mediasuite.devices.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GeohashTest {

    @Test
    void encode_shouldGiveThePublishedHash_whenGivenTheReferencePoint() {
        // given the example of the geohash reference (Aalborg harbour)
        double lat = 57.64911;
        double lon = 10.40744;

        // when
        String hash = Geohash.encode(lat, lon, 11);

        // then
        assertEquals("u4pruydqqvj", hash);
    }

    @Test
    void encode_shouldGiveKnownHashes_whenGivenCornersAndOrigin() {
        // given / when / then
        assertEquals("s0000", Geohash.encode(0.0, 0.0, 5));
        assertEquals("00000", Geohash.encode(-90.0, -180.0, 5));
        assertEquals("zzzzz", Geohash.encode(90.0, 180.0, 5));
        assertEquals("gcpvj", Geohash.encode(51.5074, -0.1278, 5)); // London
    }

    @Test
    void decode_shouldContainTheEncodedPoint_whenGivenRandomPoints() {
        // given
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            double lat = random.nextDouble() * 180 - 90;
            double lon = random.nextDouble() * 360 - 180;
            int precision = 1 + random.nextInt(9);

            // when
            Geohash.Cell cell = Geohash.decode(Geohash.encode(lat, lon, precision));

            // then
            assertTrue(cell.contains(lat, lon), lat + "," + lon + " not in " + cell);
            assertEquals(Geohash.cellHeightDegrees(precision), cell.north() - cell.south(), 1e-9);
            assertEquals(Geohash.cellWidthDegrees(precision), cell.east() - cell.west(), 1e-9);
        }
    }

    @Test
    void cell_shouldRoundTripThroughIndices_whenGivenAnyRowAndColumn() {
        // given
        int precision = 3;

        // when / then
        for (long row = 0; row < (1L << Geohash.latBits(precision)); row += 13) {
            for (long column = 0; column < (1L << Geohash.lonBits(precision)); column += 17) {
                Geohash.Cell cell = Geohash.cell(row, column, precision);
                assertEquals(cell.hash(), Geohash.decode(cell.hash()).hash());
                assertEquals(cell.south(), Geohash.decode(cell.hash()).south(), 1e-12);
                assertEquals(cell.west(), Geohash.decode(cell.hash()).west(), 1e-12);
            }
        }
    }

    @Test
    void decode_shouldReject_whenGivenACharacterOutsideTheAlphabet() {
        // given / when / then
        assertThrows(IllegalArgumentException.class, () -> Geohash.decode("u4a"));
    }
}
