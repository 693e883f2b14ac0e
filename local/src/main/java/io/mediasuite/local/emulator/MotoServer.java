package io.mediasuite.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * moto in server mode ({@code moto_server}): S3, SNS (platform applications and endpoints included), SQS and
 * CloudFront on one random loopback port. Found on the PATH, or in the project's {@code .venv} that
 * {@code .ci/run} creates on machines without it.
 */
public final class MotoServer extends ChildProcess {

    static final String INSTALL_HINT = "moto_server not found: run `python3 -m venv .venv && .venv/bin/pip install "
            + "'moto[server]'` in the project root (or put moto_server on the PATH)";

    private MotoServer(List<String> command, int port, Path log) {
        super("moto_server", command, port, log, null);
    }

    public static MotoServer start(Path root, Path logDir) {
        String executable = locate(root).orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        return startWithRetry(() -> launch(executable, logDir));
    }

    private static MotoServer launch(String executable, Path logDir) {
        int port = freePort();
        MotoServer server = new MotoServer(List.of(executable, "-H", "127.0.0.1", "-p", Integer.toString(port)),
                port, logDir.resolve("moto-" + port + ".log"));
        server.awaitHttp("/moto-api/", Duration.ofSeconds(60));
        return server;
    }

    /** Forgets every resource moto holds (between independent tests). */
    public void reset() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL()
                    .openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + connection.getResponseCode());
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<String> locate(Path root) {
        Path venv = root.resolve(".venv/bin/moto_server");
        if (Files.isExecutable(venv)) {
            return Optional.of(venv.toString());
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "moto_server");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }
}
