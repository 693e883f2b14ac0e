package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final List<String> lines = new ArrayList<>();

    @BeforeEach
    void collect() {
        Metrics.configure(Env.of(Map.of("METRICS_NAMESPACE", "media-suite/test-stack", "STAGE", "prod")));
        Metrics.sink(lines::add);
    }

    @AfterEach
    void restore() {
        Metrics.discard();
        Metrics.sink(System.out::println);
    }

    @Test
    void flush_shouldSumCountsAndListValues_whenOneInvocationRecordsSeveral() throws Exception {
        // given
        Metrics.count("Thumbnails", "ThumbnailsRendered", 1, "OutputFormat", "jpeg");
        Metrics.count("Thumbnails", "ThumbnailsRendered", 2, "OutputFormat", "jpeg");
        Metrics.record("Thumbnails", "RenderTime", Metrics.Unit.Milliseconds, 12);
        Metrics.record("Thumbnails", "RenderTime", Metrics.Unit.Milliseconds, 30);

        // when
        Metrics.flush();

        // then one document per dimension set: the format's, and the one without an extra dimension
        assertEquals(2, lines.size(), lines.toString());
        JsonNode rendered = Json.MAPPER.readTree(lines.get(0));
        assertEquals(3.0, rendered.get("ThumbnailsRendered").asDouble());
        assertEquals("jpeg", rendered.get("OutputFormat").asText());
        assertEquals("prod", rendered.get("Stage").asText());
        JsonNode directive = rendered.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("media-suite/test-stack", directive.get("Namespace").asText());
        assertEquals("[[\"Service\",\"Stage\",\"OutputFormat\"]]", directive.get("Dimensions").toString());
        assertEquals("Count", directive.get("Metrics").get(0).get("Unit").asText());
        JsonNode times = Json.MAPPER.readTree(lines.get(1));
        assertEquals("[12.0,30.0]", times.get("RenderTime").toString());
        assertTrue(times.get("_aws").get("Timestamp").isIntegralNumber());
    }

    @Test
    void flush_shouldWriteNothing_whenNothingWasRecordedOrTheBufferWasFlushed() {
        // given
        Metrics.count("Devices", "SendsAccepted", 1);
        Metrics.flush();
        lines.clear();

        // when
        Metrics.flush();

        // then
        assertEquals(List.of(), lines);
    }

    @Test
    void count_shouldRefuse_whenANameIsNotAlphanumericOrTwoExtraDimensionsAreGiven() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.count("Devices", "device-id:1234", 1));
        assertThrows(IllegalArgumentException.class, () -> Metrics.count("Devices", "Pushes", 1, "A", "1", "B", "2"));
    }

    @Test
    void flush_shouldNotThrow_whenTheSinkFails() {
        // given
        Metrics.sink(line -> {
            throw new IllegalStateException("log closed");
        });
        Metrics.count("Devices", "SendsAccepted", 1);

        // when / then: losing a metric never fails the invocation
        Metrics.flush();
    }
}
