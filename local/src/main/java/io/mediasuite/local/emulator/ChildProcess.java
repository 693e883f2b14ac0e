package io.mediasuite.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An emulator running as a child process on a random loopback port. Its output goes to a log file under
 * {@code target/}, so a failing start can be diagnosed without flooding the test output. The process is
 * destroyed on {@link #close()} and, as a safety net, when the JVM exits.
 */
public class ChildProcess implements AutoCloseable {

    private static final java.util.Random RANDOM = new java.security.SecureRandom();

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;

    protected ChildProcess(String name, List<String> command, int port, Path logFile, Path workDir) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        try {
            java.nio.file.Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            // An emulator must not pick up the caller's AWS profile, region or endpoint settings.
            builder.environment().keySet().removeIf(variable -> variable.startsWith("AWS_"));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, name + "-stop"));
    }

    /**
     * A TCP port that was free a moment ago. Chosen at random below the kernel's ephemeral range (which starts
     * at 32768 by default): a port the kernel hands out for bind(0) is soon reused as the source port of some
     * outgoing connection, and a busy test run makes thousands of those.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found between 20000 and 32000");
    }

    private static boolean bindable(int port) {
        // DynamoDB Local binds every interface, so the port must be free there too, not only on loopback.
        try (ServerSocket any = new ServerSocket(port, 1)) {
            return any.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process is still running (it exits when its port was taken after all). */
    protected boolean alive() {
        return process.isAlive();
    }

    /**
     * Starts an emulator, and starts it again on another port when the first one died: between choosing a free
     * port and binding it, another process may take it, and then something else may even answer our probe.
     */
    protected static <T extends ChildProcess> T startWithRetry(java.util.function.Supplier<T> launch) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                T started = launch.get();
                sleep(150);
                if (started.alive()) {
                    return started;
                }
                ChildProcess dead = started;
                dead.close();
                last = new IllegalStateException(dead.name + " exited right after start; log: " + dead.logTail());
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until {@code probePath} answers any HTTP status, or fails with the tail of the process log. */
    protected void awaitHttp(String probePath, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + logTail());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().resolve(probePath).toURL().openConnection();
                connection.setConnectTimeout(200);
                connection.setReadTimeout(2000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        destroy();
        throw new IllegalStateException(name + " did not answer within " + timeout + "; log: " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void destroy() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        destroy();
    }
}
