package io.mediasuite.devices.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GeoIndexTest {

    @Test
    void coarsen_shouldRoundToTwoDecimals_whenGivenPreciseCoordinates() {
        // given / when / then
        assertEquals(48.86, GeoIndex.coarsen(48.8566));
        assertEquals(-0.13, GeoIndex.coarsen(-0.1278));
        assertEquals(0.0, GeoIndex.coarsen(-0.001));
        assertEquals("0.0", Double.toString(GeoIndex.coarsen(-0.001)), "no negative zero");
    }

    @Test
    void cellKey_shouldBeTheParentCellAndAStableShard_whenGivenADevice() {
        // given
        String geohash = GeoIndex.geohash(48.86, 2.35);

        // when
        String key = GeoIndex.cellKey(geohash, "device-1234");

        // then
        assertEquals(6, geohash.length());
        assertTrue(key.matches(geohash.substring(0, 3) + "#[0-7]"), key);
        assertEquals(key, GeoIndex.cellKey(geohash, "device-1234"));
    }

    @Test
    void shardOf_shouldSpreadDevicesEvenly_whenGivenManyIds() {
        // given
        int[] counts = new int[GeoIndex.SHARDS];

        // when
        for (int i = 0; i < 80_000; i++) {
            counts[GeoIndex.shardOf(UUID.randomUUID().toString())]++;
        }

        // then every shard holds 12.5 % +- 1 %
        for (int count : counts) {
            assertTrue(Math.abs(count - 10_000) < 800, "uneven shards: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void plan_shouldReadEveryShardOfEachCoveringCell_whenGivenASmallRadius() {
        // given / when
        List<GeoIndex.CellRead> reads = GeoIndex.plan(48.86, 2.35, 2.0);

        // then
        assertEquals(0, reads.size() % GeoIndex.SHARDS);
        for (GeoIndex.CellRead read : reads) {
            assertTrue(read.cellKey().matches("[0-9a-z]{3}#[0-7]"), read.cellKey());
            assertTrue(!read.prefixes().isEmpty(), "a 2 km radius reads fine prefixes, not whole 156 km cells");
            read.prefixes().forEach(p -> assertTrue(p.startsWith(read.cellKey().substring(0, 3))));
        }
    }

    @Test
    void plan_shouldReadWholeKeyCells_whenTheRadiusIsLarge() {
        // given / when
        List<GeoIndex.CellRead> reads = GeoIndex.plan(48.86, 2.35, 400);

        // then
        assertTrue(reads.stream().allMatch(r -> r.prefixes().isEmpty()));
        assertTrue(reads.size() / GeoIndex.SHARDS > 10);
    }

    @Test
    void plan_shouldHaveTheTaskCountsTheReadmeGives_whenTheCircleIsPolarOrLarge() {
        // given: (lat, lon, radiusKm) -> tasks, as functions/devices/README.md lists them
        double[][] circles = {{89.9, 0, 100}, {89.9, 0, 150}, {89.9, 0, 200}, {89.9, 0, 500}, {89.9, 0, 1000},
                {48.8566, 2.3522, 15}, {48.8566, 2.3522, 100}, {48.8566, 2.3522, 300}, {48.8566, 2.3522, 1000}};
        int[] tasks = {8, 616, 2056, 6152, 12296, 8, 48, 224, 1856};

        for (int i = 0; i < circles.length; i++) {
            // when
            int planned = GeoIndex.plan(circles[i][0], circles[i][1], circles[i][2]).size();

            // then
            assertEquals(tasks[i], planned, java.util.Arrays.toString(circles[i]));
        }
    }

    @Test
    void cellKey_shouldUseThePolarCap_whenTheDeviceIsInTheTopOrBottomRow() {
        // given / when / then
        assertTrue(GeoIndex.cellKey(GeoIndex.geohash(89.9, 180.0), "d-1").startsWith(GeoIndex.NORTH_CAP + "#"));
        assertTrue(GeoIndex.cellKey(GeoIndex.geohash(-89.0, 12.0), "d-1").startsWith(GeoIndex.SOUTH_CAP + "#"));
        assertTrue(GeoIndex.cellKey(GeoIndex.geohash(88.5, 0.0), "d-1").matches("[0-9a-z]{3}#[0-7]"));
    }

    @Test
    void plan_shouldReadOnePolarPartitionPerShard_whenTheCircleHoldsThePole() {
        // given / when
        List<GeoIndex.CellRead> reads = GeoIndex.plan(89.9, 0.0, 40);

        // then: the whole top row is one cap partition, read whole
        assertEquals(GeoIndex.SHARDS, reads.size(), reads.toString());
        assertTrue(reads.stream().allMatch(r -> r.cellKey().startsWith(GeoIndex.NORTH_CAP + "#") && r.prefixes().isEmpty()));
    }
}
