package io.mediasuite.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar local/target/sam-local.jar ...} run as a user runs it, in a child JVM. Every process the runner
 * starts (moto, DynamoDB Local) is recorded while it runs, so a test can check that none outlives it, whichever
 * way it ended.
 */
final class SamLocalProcess implements AutoCloseable {

    static final Path JAR = Project.ROOT.resolve("local/target/sam-local.jar");

    /** How a finished run ended. */
    record Result(int exit, String stdout, String stderr) {

        /** stderr's lines, for "one line" checks. */
        List<String> errorLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    /** Every descendant seen, with its last command line seen (a dead process no longer tells it). */
    private final Map<ProcessHandle, String> descendants = new ConcurrentHashMap<>();

    private SamLocalProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        Thread.ofVirtual().start(this::watchDescendants);
    }

    /**
     * Starts the runner with {@code args} (no {@code -t} is added) in {@code dir}'s files.
     *
     * @param env variables added to the test JVM's environment (say, {@code AWS_ENDPOINT_URL})
     */
    static SamLocalProcess start(Path dir, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(Project.java(), "-jar", JAR.toString()));
        command.addAll(args);
        String name = "run-" + System.nanoTime();
        Path out = dir.resolve(name + ".stdout");
        Path err = dir.resolve(name + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("AWS_"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new SamLocalProcess(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the runner to its end (at most 3 minutes). */
    static Result run(Path dir, List<String> args, Map<String, String> env) throws InterruptedException {
        try (SamLocalProcess run = start(dir, args, env)) {
            return run.await(Duration.ofMinutes(3));
        }
    }

    private void watchDescendants() {
        while (process.isAlive()) {
            // Kept up to date: a launcher (a pyenv shim, setpriv) execs into the emulator under the same pid.
            process.descendants().forEach(child -> descendants.merge(child, child.info().commandLine().orElse("?"),
                    (before, now) -> now.equals("?") ? before : now));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the runner to exit by itself. */
    Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sam-local did not finish within " + timeout + ": " + stderr());
        }
        return new Result(process.exitValue(), read(stdout), stderr());
    }

    /** Waits until stderr holds {@code text}, failing if the runner exits first. */
    void awaitLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("sam-local exited with " + process.exitValue() + ": " + stderr());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sam-local never printed '" + text + "': " + stderr());
    }

    String stderr() {
        return read(stderr);
    }

    /** Ctrl+C's signal (SIGTERM here): the runner's shutdown hooks run. */
    void terminate() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Command lines of the processes the runner started, seen while it ran. */
    List<String> descendants() {
        return List.copyOf(descendants.values());
    }

    /** Whether the runner started a process whose command line contains {@code fragment}. */
    boolean started(String fragment) {
        return descendants.values().stream().anyMatch(command -> command.contains(fragment));
    }

    /** Processes the runner started that are still alive {@code grace} after it ended. */
    List<String> survivors(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && descendants.keySet().stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(50);
        }
        return descendants.entrySet().stream().filter(e -> e.getKey().isAlive())
                .map(e -> e.getKey().pid() + " " + e.getValue()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        descendants.keySet().forEach(ProcessHandle::destroyForcibly);
    }
}
