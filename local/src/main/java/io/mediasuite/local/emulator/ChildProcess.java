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
 * destroyed on {@link #close()}, when the JVM exits (a shutdown hook) and, on Linux, by the kernel when the JVM is
 * killed outright (see {@link #diesWithParent(List)}).
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
            ProcessBuilder builder = new ProcessBuilder(diesWithParent(command))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            // An emulator must not pick up the caller's AWS profile, region or endpoint settings.
            builder.environment().keySet().removeIf(variable -> variable.startsWith("AWS_"));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            this.process = SPAWNER.submit(builder::start).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, name + "-stop"));
    }

    /**
     * Linux's {@code setpriv}, which can set the parent-death signal of what it executes; null elsewhere.
     */
    private static final String SETPRIV = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .filter(candidate -> java.nio.file.Files.isExecutable(Path.of(candidate))).findFirst().orElse(null);

    /**
     * The thread every child is started from. The kernel sends the parent-death signal when the thread that
     * started a child ends, not the process; a pool thread that retires after idling would take the emulator
     * with it, so one thread that lives as long as the JVM starts them all.
     */
    private static final java.util.concurrent.ExecutorService SPAWNER =
            java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "child-process-spawner");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * The command, run so that the kernel kills it when this JVM dies however it dies (SIGKILL included, when no
     * shutdown hook runs): {@code setpriv --pdeathsig KILL} sets the signal and executes the command in place,
     * so the child's pid stays the emulator's. Without setpriv (not Linux) only the shutdown hooks stop it.
     */
    static List<String> diesWithParent(List<String> command) {
        if (SETPRIV == null) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        wrapped.addAll(command);
        return wrapped;
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
