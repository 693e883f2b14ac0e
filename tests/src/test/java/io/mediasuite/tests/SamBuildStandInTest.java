package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import io.mediasuite.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Does what {@code sam build} does for every function in template.yaml, since the SAM CLI cannot run here:
 * copy the function's CodeUri to a scratch folder and run {@code make --makefile <CodeUri>/Makefile
 * build-<LogicalId>} there with ARTIFACTS_DIR set (aws-lambda-builders' custom make workflow). Then the handler
 * is loaded from that ARTIFACTS_DIR alone, in a class loader that sees nothing else, and invoked with the
 * function's first sample event.
 *
 * <p>The build runs in a copy of the project, so it cannot disturb the build running these tests; it is a
 * full build from sources, as on a fresh checkout.
 */
class SamBuildStandInTest {

    private static final Set<String> SKIPPED = Set.of("target", ".git", ".aws-sam", "node_modules", ".venv", ".idea");

    @TempDir
    static Path work;
    private static Path checkout;

    @BeforeAll
    static void copyProject() throws IOException {
        checkout = work.resolve("checkout");
        copyTree(Project.ROOT, checkout);
    }

    @TestFactory
    Stream<DynamicTest> samBuild_shouldProduceAnInvocableArtifact_forEveryFunction() {
        SamTemplate template = SamTemplate.load(checkout.resolve("template.yaml"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String id : template.functions()) {
            tests.add(dynamicTest(id, () -> {
                // given the function's build method and CodeUri, as sam build reads them
                Map<String, Object> metadata = SamTemplate.map(template.resource(id).get("Metadata"));
                assertEquals("makefile", metadata.get("BuildMethod"), id + " must build with BuildMethod: makefile");
                Path codeUri = checkout.resolve(String.valueOf(template.functionProperty(id, "CodeUri").orElseThrow()));
                Path scratch = work.resolve("scratch-" + id);
                copyTree(codeUri, scratch);
                Path artifacts = work.resolve("artifacts-" + id);
                Files.createDirectories(artifacts);

                // when
                ProcessBuilder builder = new ProcessBuilder("make", "--makefile",
                        codeUri.resolve("Makefile").toString(), "build-" + id);
                builder.environment().put("ARTIFACTS_DIR", artifacts.toString());
                Process make = builder
                        .directory(scratch.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("make-" + id + ".log").toFile())
                        .start();
                make.getOutputStream().close();
                assertTrue(make.waitFor(10, TimeUnit.MINUTES), "make timed out");
                String log = Files.readString(work.resolve("make-" + id + ".log"));
                assertEquals(0, make.exitValue(), "make build-" + id + " failed:\n" + log);

                // then the artifact has Lambda's Java layout and the handler runs from it alone
                assertTrue(Files.isDirectory(artifacts.resolve("lib")), "no lib/ in the artifact");
                try (Stream<Path> jars = Files.list(artifacts.resolve("lib"))) {
                    assertFalse(jars.anyMatch(j -> j.getFileName().toString().startsWith("local-")),
                            "the local runner leaked into the artifact");
                }
                FunctionSpec spec = LocalCloud.shared().function(id).withArtifactDir(artifacts);
                List<Path> events = Project.events(id);
                assertFalse(events.isEmpty(), "no sample event for " + id);
                try (LocalLambda lambda = LocalLambda.load(spec)) {
                    lambda.invoke(Files.readAllBytes(events.getFirst()));
                }
            }));
        }
        return tests.stream();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && SKIPPED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
