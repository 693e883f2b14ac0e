package io.mediasuite.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * DynamoDB Local (the official {@code com.amazonaws:DynamoDBLocal}), in memory, as a child JVM on a random
 * loopback port. Its jars are laid out by the {@code local/dynamodb-local} module in
 * {@code local/dynamodb-local/target/lib}.
 */
public final class DynamoDbLocal extends ChildProcess {

    private DynamoDbLocal(List<String> command, int port, Path log) {
        super("DynamoDB Local", command, port, log, null);
    }

    /** Starts DynamoDB Local for the project at {@code root} and waits until it answers. */
    public static DynamoDbLocal start(Path root, Path logDir) {
        return startWithRetry(() -> launch(root, logDir));
    }

    private static DynamoDbLocal launch(Path root, Path logDir) {
        Path lib = root.resolve("local/dynamodb-local/target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("DynamoDB Local is not laid out at " + lib
                    + "; build the project first: ./mvnw -q package -DskipTests");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dsqlite4java.library.path=" + lib);
        command.add("-cp");
        command.add(classPath(lib));
        command.add("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        command.addAll(List.of("-inMemory", "-sharedDb", "-port", Integer.toString(port)));
        DynamoDbLocal server = new DynamoDbLocal(command, port, logDir.resolve("dynamodb-local-" + port + ".log"));
        server.awaitHttp("/", Duration.ofSeconds(60));
        return server;
    }

    private static String classPath(Path lib) {
        try (Stream<Path> files = Files.list(lib)) {
            return String.join(java.io.File.pathSeparator,
                    files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
