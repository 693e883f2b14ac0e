package io.mediasuite.local.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CachePolicy ZERO_MIN = policy(0, 86_400, 31_536_000);
    private static final CachePolicy BOUNDED = policy(60, 600, 3600);

    @Test
    void ttl_shouldApplyTheExpirationRules_whenTheOriginSendsCachingHeaders() {
        assertEquals(seconds(600), ttl(200, Map.of(), BOUNDED), "DefaultTTL without headers");
        assertEquals(seconds(60), ttl(200, Map.of("cache-control", "max-age=5"), BOUNDED), "raised to MinTTL");
        assertEquals(seconds(3600), ttl(200, Map.of("cache-control", "max-age=99999"), BOUNDED), "capped at MaxTTL");
        assertEquals(seconds(120), ttl(200, Map.of("cache-control", "max-age=30, s-maxage=120"), BOUNDED));
        assertEquals(seconds(100), ttl(200, Map.of("cache-control", "max-age=100",
                "expires", http(NOW.plusSeconds(3000))), BOUNDED), "max-age wins over Expires");
        assertEquals(seconds(3000), ttl(200, Map.of("expires", http(NOW.plusSeconds(3000))), BOUNDED));
        assertEquals(seconds(60), ttl(200, Map.of("expires", "yesterday"), BOUNDED), "a bad Expires is expired");
        assertEquals(Optional.empty(), ttl(200, Map.of("cache-control", "private, max-age=600"), ZERO_MIN));
        assertEquals(Optional.empty(), ttl(200, Map.of("cache-control", "no-cache"), ZERO_MIN));
        assertEquals(seconds(60), ttl(200, Map.of("cache-control", "no-store"), BOUNDED), "MinTTL > 0 overrides");
        assertEquals(seconds(0), ttl(200, Map.of("cache-control", "max-age=0"), ZERO_MIN), "kept, revalidated each time");
        assertEquals(Optional.empty(), ttl(206, Map.of(), BOUNDED));
        assertEquals(Optional.empty(), ttl(200, Map.of("cache-control", "max-age=600"), policy(0, 0, 0)), "CachingDisabled");
    }

    @Test
    void ttl_shouldApplyTheErrorCachingRules_whenTheOriginAnswersAnError() {
        assertEquals(seconds(10), ttl(404, Map.of(), BOUNDED));
        assertEquals(seconds(10), ttl(403, Map.of("cache-control", "max-age=2"), BOUNDED), "at least the minimum");
        assertEquals(seconds(300), ttl(503, Map.of("cache-control", "max-age=300"), BOUNDED));
        assertEquals(seconds(3600), ttl(500, Map.of("cache-control", "s-maxage=99999"), BOUNDED), "capped at MaxTTL");
        assertEquals(Optional.empty(), ttl(404, Map.of("cache-control", "no-store"), BOUNDED));
        assertEquals(Optional.empty(), ttl(501, Map.of("cache-control", "private"), BOUNDED));
        assertEquals(seconds(10), ttl(500, Map.of("cache-control", "no-cache"), BOUNDED));
        assertEquals(Optional.empty(), ttl(416, Map.of(), BOUNDED), "416 is never cached");
        assertEquals(Optional.empty(), ttl(429, Map.of(), BOUNDED));
    }

    private static Optional<Duration> ttl(int status, Map<String, String> headers, CachePolicy policy) {
        return Freshness.ttl(status, headers, policy, NOW);
    }

    private static Optional<Duration> seconds(long s) {
        return Optional.of(Duration.ofSeconds(s));
    }

    private static String http(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }

    private static CachePolicy policy(long min, long def, long max) {
        CachePolicy.Selection none = new CachePolicy.Selection("none", Set.of());
        return new CachePolicy("test", min, def, max, false, false, none, none, none);
    }
}
