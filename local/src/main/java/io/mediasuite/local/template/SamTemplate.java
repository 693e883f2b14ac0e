package io.mediasuite.local.template;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed SAM template: its parameters, globals, conditions and resources, with helpers for the function
 * properties SAM merges from {@code Globals.Function}.
 */
public final class SamTemplate {

    private final Path file;
    private final Map<String, Object> root;

    private SamTemplate(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        return new SamTemplate(file.toAbsolutePath().normalize(), CfnYaml.load(file));
    }

    /** The folder holding the template: CodeUri and other relative paths resolve against it. */
    public Path baseDir() {
        return file.getParent();
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> parameters() {
        return map(root.get("Parameters"));
    }

    public Map<String, Object> conditions() {
        return map(root.get("Conditions"));
    }

    public Map<String, Object> mappings() {
        return map(root.get("Mappings"));
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = map(resources().get(logicalId));
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("no resource " + logicalId + " in " + file);
        }
        return resource;
    }

    public String type(String logicalId) {
        return String.valueOf(resource(logicalId).get("Type"));
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    /** Logical ids of every resource of {@code type}, in template order. */
    public List<String> resourcesOfType(String type) {
        return resources().entrySet().stream()
                .filter(e -> type.equals(map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }

    public List<String> functions() {
        return resourcesOfType("AWS::Serverless::Function");
    }

    /** {@code Globals.<section>}, e.g. {@code Function} or {@code Api}. */
    public Map<String, Object> globals(String section) {
        return map(map(root.get("Globals")).get(section));
    }

    /**
     * A function property as SAM sees it: the function's own value, else the {@code Globals.Function} one. Maps
     * (such as {@code Environment}) are merged, the function's keys winning, as SAM documents.
     */
    public Optional<Object> functionProperty(String logicalId, String name) {
        Object own = properties(logicalId).get(name);
        Object global = globals("Function").get(name);
        if (own instanceof Map<?, ?> ownMap && global instanceof Map<?, ?> globalMap) {
            return Optional.of(deepMerge(map(globalMap), map(ownMap)));
        }
        return Optional.ofNullable(own != null ? own : global);
    }

    /** The merged {@code Environment.Variables} of a function, unresolved. */
    public Map<String, Object> functionVariables(String logicalId) {
        return functionProperty(logicalId, "Environment").map(env -> map(map(env).get("Variables"))).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = merged.get(key);
            boolean intrinsic = value instanceof Map<?, ?> m && m.size() == 1
                    && m.keySet().iterator().next().toString().matches("Ref|Fn::.*");
            if (!intrinsic && existing instanceof Map<?, ?> e && value instanceof Map<?, ?> v) {
                merged.put(key, deepMerge(map(e), map(v)));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
