package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/** {@link InFlightReader} against {@link CloudFrontTestServer}, through the SDK's ListInvalidations/GetInvalidation. */
class InFlightReaderTest {

    private static final String DISTRIBUTION = "E1INFLIGHTTEST";

    private static CloudFrontTestServer server;
    private static CloudFrontClient cloudFront;

    @BeforeAll
    static void start() {
        server = CloudFrontTestServer.start().addDistribution(DISTRIBUTION);
        cloudFront = new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL_CLOUDFRONT", server.endpoint().toString())))
                .build(CloudFrontClient.builder(), "CLOUDFRONT");
    }

    @AfterAll
    static void stop() {
        cloudFront.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void read_shouldCountFilesAndWildcardsInProgress_whenSomeInvalidationsCompleted() {
        // given one invalidation that completed, then two in progress (3 files + 1 wildcard, 1 file + 2 wildcards)
        create("done", "/old.html", "/older.html");
        server.advance(Duration.ofMinutes(6));
        create("a", "/a.html", "/b.html", "/c.html", "/blog/*");
        server.advance(Duration.ofMinutes(1));
        create("b", "/d.html", "/docs/*", "/img/*");

        // when
        InFlight flight = new InFlightReader(cloudFront).read(DISTRIBUTION);

        // then
        assertTrue(flight.known());
        assertEquals(4, flight.files());
        assertEquals(3, flight.wildcards());
        assertEquals(2, flight.invalidations());
        assertEquals(server.invalidations(DISTRIBUTION).get(1).createTime(), flight.oldest().orElseThrow());
    }

    @Test
    void read_shouldFollowPages_whenMoreThanAPageIsInProgress() {
        // given 250 invalidations in progress, one path each (ListInvalidations pages 100 at a time)
        IntStream.range(0, 250).forEach(i -> create("p" + i, "/page-" + i + ".html"));

        // when
        InFlight flight = new InFlightReader(cloudFront).read(DISTRIBUTION);

        // then
        assertEquals(250, flight.files());
        assertEquals(250, flight.invalidations());
    }

    @Test
    void read_shouldReportUnknown_whenTheDistributionCannotBeRead() {
        // given / when
        InFlight flight = new InFlightReader(cloudFront).read("E0NOSUCHDIST");

        // then
        assertFalse(flight.known());
        assertEquals(0, flight.files());
    }

    @Test
    void read_shouldSeeNothingInFlight_whenEverythingCompleted() {
        // given
        create("x", "/x.html");
        server.completeAll();

        // when
        InFlight flight = new InFlightReader(cloudFront).read(DISTRIBUTION);

        // then
        assertEquals(0, flight.invalidations());
        assertTrue(flight.oldest().isEmpty());
    }

    private static void create(String reference, String... paths) {
        cloudFront.createInvalidation(r -> r.distributionId(DISTRIBUTION).invalidationBatch(b -> b
                .callerReference(reference).paths(p -> p.quantity(paths.length).items(List.of(paths)))));
    }
}
