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

    /** A TCP port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
