package io.mediasuite.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAM's {@code --env-vars} file: {@code {"Parameters": {...}, "<LogicalId>": {...}}}, each an object of variable
 * names to values.
 *
 * @param byFunction variables by scope ({@code Parameters} or a function's logical id)
 */
public record EnvVarsFile(Map<String, Map<String, String>> byFunction) {

    /** No overrides. */
    public static final EnvVarsFile NONE = new EnvVarsFile(Map.of());

    /**
     * Reads {@code file}; null gives {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static EnvVarsFile read(Path file) {
        if (file == null) {
            return NONE;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no env-vars file at " + file.toAbsolutePath());
        }
        JsonNode root;
        try {
            root = Jsons.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("env-vars file " + file + " is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read env-vars file " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("env-vars file " + file + " must be a JSON object: "
                    + "{\"Parameters\": {\"NAME\": \"value\"}, \"<LogicalId>\": {...}}");
        }
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        root.properties().forEach(entry -> {
            if (!entry.getValue().isObject()) {
                throw new IllegalArgumentException("env-vars file " + file + ": \"" + entry.getKey()
                        + "\" must be an object of variable names to values");
            }
            Map<String, String> variables = new LinkedHashMap<>();
            entry.getValue().properties().forEach(v -> variables.put(v.getKey(), v.getValue().asText()));
            values.put(entry.getKey(), variables);
        });
        return new EnvVarsFile(values);
    }

    /**
     * Overrides the function's template-declared variables, as SAM does: {@code Parameters} applies to every
     * function, the function's own entry wins; variables the template does not declare are ignored.
     */
    public FunctionSpec apply(FunctionSpec spec) {
        if (byFunction.isEmpty()) {
            return spec;
        }
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        for (String scope : List.of("Parameters", spec.logicalId())) {
            byFunction.getOrDefault(scope, Map.of()).forEach((name, value) -> {
                if (env.containsKey(name)) {
                    env.put(name, value);
                }
            });
        }
        return spec.withEnvironment(env);
    }
}
