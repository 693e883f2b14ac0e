package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.SiteSync;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final Path JAR = Project.ROOT.resolve("local/target/sam-local.jar");
    private static final String STACK = "cli-sync-site";

    @Test
    void syncSite_shouldDeployOnlyTheChangedPage_whenTheSuiteRuns(@TempDir Path dir) throws Exception {
        // given: a copy of the sample site, deployed by start-api
        Path site = dir.resolve("site");
        copy(Project.ROOT.resolve("site"), site);
        Path log = dir.resolve("start-api.log");
        Path state = Project.ROOT.resolve("target/sam-local/" + STACK + "/endpoints.json");
        Process server = new ProcessBuilder(Project.java(), "-jar", JAR.toString(), "start-api", "--port", "0",
                "--stack-name", STACK, "--sync-site", site.toString(),
                "-t", Project.ROOT.resolve("template.yaml").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            SamLocalCliTest.awaitLine(log, "sam-local: ready", server);
            String banner = Files.readString(log);
            assertTrue(banner.contains("synced " + site + ": 8 uploaded, 0 unchanged"), banner);
            JsonNode endpoints = JSON.readTree(state.toFile());
            String siteBucket = endpoints.path("resources").path("SiteBucket").asText();
            String imagesBucket = endpoints.path("resources").path("ImagesBucket").asText();

            // when: one page changes and the site is synced again, then once more with nothing changed
            Path about = site.resolve("about/index.html");
            Files.writeString(about, Files.readString(about).replace("<h1>About</h1>", "<h1>About, edited</h1>"));
            Result changed = syncSite(dir, site, STACK);
            Result unchanged = syncSite(dir, site, STACK);
            Result noSuite = syncSite(dir, site, "no-such-stack");

            // then
            assertEquals(0, changed.exit(), changed.stderr());
            assertTrue(changed.stderr().contains("upload: " + about + " to s3://" + siteBucket + "/about/index.html"),
                    changed.stderr());
            assertTrue(changed.stderr().contains("1 uploaded, 7 unchanged"), changed.stderr());
            assertTrue(unchanged.stderr().contains("0 uploaded, 8 unchanged"), unchanged.stderr());
            assertEquals(1, noSuite.exit());
            assertEquals(1, noSuite.stderr().strip().lines().count(), "one line: " + noSuite.stderr());
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
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private record Result(int exit, String stderr) {
    }

    private static Result syncSite(Path dir, Path site, String stack) throws Exception {
        Path err = dir.resolve("sync-site.txt");
        Process process = new ProcessBuilder(Project.java(), "-jar", JAR.toString(), "sync-site", site.toString(),
                "--stack-name", stack, "-t", Project.ROOT.resolve("template.yaml").toString())
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("sync-site did not finish: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
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
