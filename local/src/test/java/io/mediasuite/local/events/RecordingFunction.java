package io.mediasuite.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.TestFunctions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test function that appends every event it receives to a file, and throws when the event contains "fail-me". */
final class RecordingFunction {

    private static final String SOURCE = """
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class Recorder implements RequestStreamHandler {
                public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
                    String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (Recorder.class) {
                        Files.writeString(Path.of("LOG"), event + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    if (event.contains("fail-me")) {
                        throw new IllegalStateException("asked to fail");
                    }
                    out.write("null".getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    final FunctionSpec spec;
    private final Path log;

    RecordingFunction(Path dir, String logicalId) {
        this.log = dir.resolve("events.log");
        this.spec = TestFunctions.compile(dir, logicalId, "Recorder",
                SOURCE.replace("Path.of(\"LOG\")", "Path.of(\"" + log + "\")"), List.of());
    }

    /** Every event received so far, in order. */
    List<JsonNode> events() {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                events.add(Jsons.MAPPER.readTree(line));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record of every event received so far. */
    List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        events().forEach(e -> e.path("Records").forEach(records::add));
        return records;
    }
}
