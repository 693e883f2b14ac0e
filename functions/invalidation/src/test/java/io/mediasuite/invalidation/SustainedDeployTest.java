package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No change is lost to CloudFront's limits: a large deploy, one batch every 10 s, invalidations in progress for
 * 5 minutes ({@link SustainedDeploySimulation}), at the template's budget and at the largest one; then the
 * worst case, where no wildcard may be used (thumbnails under every folder), so CloudFront's 3 000 file paths in
 * flight pace the deploy, and once more with invalidations taking an hour, so messages wait for hours. Nothing
 * may be dead-lettered, and every changed object must be covered by an invalidation created after its event.
 *
 * <p>CI runs 10 000 objects ({@code -Dsustained.objects} changes it; {@code bench/sustained-deploy.sh} runs the
 * 50 000 of the README). Each run appends its row to {@code target/sustained-deploy.md}.
 */
class SustainedDeployTest {

    private static FunctionUnderTest function;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN"));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'defaults 50/5', 50, 5, 5, true, 50000",
            "'maximums 3000/15', 3000, 15, 5, true, 50000",
            "'defaults 50/5, no wildcard allowed', 50, 5, 5, false, 10000",
            "'maximums 3000/15, no wildcard allowed', 3000, 15, 5, false, 10000",
            "'maximums 3000/15, no wildcard allowed, 60 min per invalidation', 3000, 15, 60, false, 15000"})
    void deploy_shouldDeadLetterNothingAndCoverEveryChange_whenBatchesOutrunCloudFrontLimits(String setting,
            int paths, int wildcards, int completionMinutes, boolean wildcardsAllowed, int defaultObjects) {
        // given the 50 000-object deploy at the defaults and at the maximums; the adversarial rows (no
        // wildcard allowed) run 10 000 in CI, sustained.objects scales them; the hour-long case keeps 15 000
        // objects: enough for hours of backlog, so messages come near maxReceiveCount and are sent again
        int objects = defaultObjects == 10_000 ? Integer.getInteger("sustained.objects", defaultObjects)
                : defaultObjects;
        SustainedDeploySimulation simulation = new SustainedDeploySimulation(function, Map.of(
                "MAX_PATHS_PER_INVALIDATION", Integer.toString(paths),
                "MAX_WILDCARDS_PER_INVALIDATION", Integer.toString(wildcards),
                "IMMUTABLE_BUNDLERS", "webpack,vite"),
                wildcardsAllowed ? WildcardCosts.UNKNOWN : SustainedDeploySimulation.NO_WILDCARD);

        // when
        SustainedDeploySimulation.Result result = simulation.run(objects, 1000,
                java.time.Duration.ofMinutes(completionMinutes), 42);

        // then
        report(result.row(setting));
        assertEquals(0, result.deadLettered(), result.toString());
        assertEquals(0, result.uncovered(), result.toString());
        assertTrue(result.mustCover() > objects / 2, result.toString());
        assertTrue(result.highestReceiveCount() < result.maxReceiveCount(), result.toString());
    }

    private static void report(String row) {
        System.out.println(row);
        try {
            Files.writeString(Path.of("target", "sustained-deploy.md"), row + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
