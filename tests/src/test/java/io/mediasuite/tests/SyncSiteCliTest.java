package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.SiteSync;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The quick start's deploy path as a user runs it: {@code start-api --sync-site DIR} deploys the site into the
 * stack's buckets before it says ready, and {@code sync-site DIR} (a second process) finds the running suite
 * through its state file and sends only what changed.
 */
class SyncSiteCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = Project.ROOT.resolve("template.yaml").toString();
    private static final String STACK = "cli-sync-site";

    @Test
    void syncSite_shouldDeployOnlyTheChangedPage_whenTheSuiteRuns(@TempDir Path dir) throws Exception {
        // given: a copy of the sample site, deployed by start-api
        Path site = dir.resolve("site");
        copy(Project.ROOT.resolve("site"), site);
        Path state = Project.ROOT.resolve("target/sam-local/" + STACK + "/endpoints.json");
        SamLocalProcess server = SamLocalProcess.start(dir, List.of("start-api", "--port", "0", "--stack-name", STACK,
                "--sync-site", site.toString(), "-t", TEMPLATE), Map.of());
        try {
            server.awaitLine("sam-local: ready");
            String banner = server.stderr();
            assertTrue(banner.contains("synced " + site + ": 8 uploaded, 0 unchanged"), banner);
            JsonNode endpoints = JSON.readTree(state.toFile());
            String siteBucket = endpoints.path("resources").path("SiteBucket").asText();
            String imagesBucket = endpoints.path("resources").path("ImagesBucket").asText();

            // when: one page changes and the site is synced again, then once more with nothing changed
            Path about = site.resolve("about/index.html");
            Files.writeString(about, Files.readString(about).replace("<h1>About</h1>", "<h1>About, edited</h1>"));
            SamLocalProcess.Result changed = syncSite(dir, site, STACK);
            SamLocalProcess.Result unchanged = syncSite(dir, site, STACK);
            SamLocalProcess.Result noSuite = syncSite(dir, site, "no-such-stack");

            // then
            assertEquals(0, changed.exit(), changed.stderr());
            assertTrue(changed.stderr().contains("upload: " + about + " to s3://" + siteBucket + "/about/index.html"),
                    changed.stderr());
            assertTrue(changed.stderr().contains("1 uploaded, 7 unchanged"), changed.stderr());
            assertTrue(unchanged.stderr().contains("0 uploaded, 8 unchanged"), unchanged.stderr());
            assertEquals(1, noSuite.exit());
            assertEquals(1, noSuite.errorLines().size(), "one line: " + noSuite.stderr());
            assertTrue(noSuite.stderr().contains("no suite of stack no-such-stack is running"), noSuite.stderr());
            try (S3Client s3 = SiteSync.s3Client(URI.create(endpoints.path("services").path("S3").asText()),
                    endpoints.path("region").asText(), Map.of())) {
                ResponseBytes<GetObjectResponse> page = s3.getObjectAsBytes(b -> b.bucket(siteBucket)
                        .key("about/index.html"));
                assertTrue(page.asUtf8String().contains("About, edited"), page.asUtf8String());
                assertEquals("text/html; charset=utf-8", page.response().contentType());
                assertTrue(s3.headObject(b -> b.bucket(imagesBucket).key("static/images/orbit.png")).cacheControl()
                        .contains("immutable"));
            }
        } finally {
            server.terminate();
            server.close();
        }
        assertEquals(List.of(), server.survivors(Duration.ofSeconds(10)), "nothing outlives the runner");
    }

    private static SamLocalProcess.Result syncSite(Path dir, Path site, String stack) throws Exception {
        return SamLocalProcess.run(dir, List.of("sync-site", site.toString(), "--stack-name", stack, "-t", TEMPLATE),
                Map.of());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
