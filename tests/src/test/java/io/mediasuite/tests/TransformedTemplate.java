package io.mediasuite.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml as CloudFormation sees it after the AWS::Serverless transform, produced offline by
 * aws-sam-translator (the library CloudFormation's SAM transform is built from). Transformed once per test JVM.
 */
final class TransformedTemplate {

    private static JsonNode cached;

    private TransformedTemplate() {
    }

    static synchronized JsonNode get() {
        if (cached == null) {
            cached = transform(Project.ROOT.resolve("template.yaml"));
        }
        return cached;
    }

    static JsonNode transform(Path template) {
        return transform(template, Map.of());
    }

    /** The template transformed with these parameter values (as {@code sam deploy --parameter-overrides}). */
    static JsonNode transform(Path template, Map<String, String> parameters) {
        try {
            Path script = Files.createTempFile("sam_transform", ".py");
            try (InputStream in = TransformedTemplate.class.getResourceAsStream("/sam_transform.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path out = Files.createTempFile("transformed", ".json");
            Path err = Files.createTempFile("transformed", ".err");
            List<String> command = new ArrayList<>(List.of("python3", script.toString(), template.toString()));
            parameters.forEach((key, value) -> command.add(key + "=" + value));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("aws-sam-translator failed (pip install aws-sam-translator):\n"
                        + Files.readString(err));
            }
            return new ObjectMapper().readTree(out.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot run python3 with aws-sam-translator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Logical ids of the transformed template's resources of one type. */
    static List<String> ofType(JsonNode template, String type) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : template.get("Resources").properties()) {
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }

    /** Every JSON node under {@code node}, depth first. */
    static List<JsonNode> walk(JsonNode node) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(node, nodes);
        return nodes;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collect(children.next(), into);
        }
    }
}
