package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cfn-lint template.yaml} is part of the test run: errors and warnings both fail it. */
class CfnLintTest {

    @Test
    void cfnLint_shouldReportNothing_whenRunOnTheTemplate(@TempDir Path dir) throws Exception {
        // given
        Path log = dir.resolve("cfn-lint.txt");

        // when
        Process lint;
        try {
            lint = new ProcessBuilder("cfn-lint", "template.yaml").directory(Project.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("cfn-lint is not installed: pip install cfn-lint (see README)", e);
        }
        boolean finished = lint.waitFor(3, TimeUnit.MINUTES);

        // then
        assertEquals(true, finished, "cfn-lint timed out");
        assertEquals(0, lint.exitValue(), "cfn-lint template.yaml:\n" + Files.readString(log));
    }
}
