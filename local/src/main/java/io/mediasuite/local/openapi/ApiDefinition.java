package io.mediasuite.local.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API's OpenAPI 3.0 document (api/*.yaml) as API Gateway reads it: its operations, the function each one
 * integrates with, and the JSON schemas of its request and response bodies.
 *
 * <p>Schemas are validated with a JSON Schema draft 4 validator (networknt), the dialect of API Gateway's models;
 * the documents keep to the draft 4 subset API Gateway imports, so a body that validates here is one the gateway's
 * model accepts and vice versa. {@link GatewayValidator} applies the API's request validators with this.
 */
public final class ApiDefinition {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    /** {@code ${Function.Alias}} (SAM's alias reference) or {@code ${Function.Arn}:live} (its qualified ARN). */
    private static final Pattern ALIAS_URI =
            Pattern.compile("functions/\\$\\{([A-Za-z0-9]+)(?:\\.Alias}|\\.Arn}:live)/invocations");

    private final Path file;
    private final JsonNode document;
    private final String baseIri;
    private final JsonSchemaFactory schemas;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final List<Operation> operations;

    /**
     * One operation of the document.
     *
     * @param method   upper-case HTTP method
     * @param path     the path template ({@code /devices/{deviceId}}, {@code /{proxy+}})
     * @param node     the operation object
     * @param pointer  JSON pointer of the operation object in the document
     */
    public record Operation(String method, String path, JsonNode node, String pointer) {

        public String operationId() {
            return node.path("operationId").asText(method + " " + path);
        }

        /**
         * The function whose live alias the operation's {@code x-amazon-apigateway-integration} invokes, from its
         * {@code Fn::Sub: ...functions/${Function.Alias}/invocations} (or {@code ${Function.Arn}:live}) URI.
         */
        public Optional<String> integrationFunction() {
            JsonNode uri = node.path("x-amazon-apigateway-integration").path("uri");
            String text = uri.has("Fn::Sub") ? uri.get("Fn::Sub").asText() : uri.asText();
            Matcher alias = ALIAS_URI.matcher(text);
            return alias.find() ? Optional.of(alias.group(1)) : Optional.empty();
        }

        /** The media types the request body is documented in (empty when it takes none). */
        public List<String> requestMediaTypes() {
            List<String> types = new ArrayList<>();
            node.path("requestBody").path("content").fieldNames().forEachRemaining(types::add);
            return types;
        }
    }

    private ApiDefinition(Path file, JsonNode document) {
        this.file = file;
        this.document = document;
        this.baseIri = file.toAbsolutePath().normalize().toUri().toString().replaceAll("\\.ya?ml$", "") + ".json";
        String text;
        try {
            text = JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(baseIri, text))));
        this.operations = readOperations(document);
    }

    /** Reads an OpenAPI document (YAML or JSON). */
    public static ApiDefinition load(Path file) {
        try {
            return new ApiDefinition(file, YAML.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API definition " + file, e);
        }
    }

    /** A document already parsed, e.g. the Body of a RestApi in a transformed template. */
    public static ApiDefinition of(Path origin, JsonNode document) {
        return new ApiDefinition(origin, document);
    }

    public Path file() {
        return file;
    }

    public JsonNode document() {
        return document;
    }

    public List<Operation> operations() {
        return operations;
    }

    public Optional<Operation> operation(String method, String path) {
        return operations.stream()
                .filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path))
                .findFirst();
    }

    /**
     * Problems of {@code body} (a JSON document) against the request schema of {@code operation} for
     * {@code mediaType}; empty when it conforms. Each problem names the instance location, e.g.
     * {@code $.location: string found, object expected}.
     */
    public List<String> requestBodyProblems(Operation operation, String mediaType, JsonNode body) {
        return problems(operation.pointer() + "/requestBody/content/" + escape(mediaType) + "/schema", body);
    }

    /** Problems of a path, query or header parameter value against its documented schema. */
    public List<String> parameterProblems(Operation operation, String in, String name, String value) {
        JsonNode parameters = operation.node().path("parameters");
        for (int i = 0; i < parameters.size(); i++) {
            JsonNode parameter = parameters.get(i);
            if (in.equals(parameter.path("in").asText()) && name.equalsIgnoreCase(parameter.path("name").asText())) {
                return problems(operation.pointer() + "/parameters/" + i + "/schema",
                        JsonNodeFactory.instance.textNode(value));
            }
        }
        return List.of("parameter " + in + " " + name + " is not documented");
    }

    /**
     * Problems of a response against the document: the status must be documented, a body needs a documented
     * media type (compared without parameters), a JSON body must match its schema, 204 and 304 have no body.
     *
     * @param contentType the response's Content-Type header, or null
     * @param body        the body as the client receives it (bytes), empty when none
     */
    public List<String> responseProblems(Operation operation, int status, String contentType, byte[] body) {
        List<String> problems = new ArrayList<>();
        String where = operation.method() + " " + operation.path() + " " + status;
        JsonNode responses = operation.node().path("responses");
        String code = Integer.toString(status);
        if (!responses.has(code)) {
            return List.of(where + ": status not documented (documented: " + fieldNames(responses) + ")");
        }
        JsonNode content = responses.get(code).path("content");
        if (body.length == 0) {
            return List.of();
        }
        if (content.isMissingNode() || content.isEmpty()) {
            return List.of(where + ": documented without a body, got " + body.length + " bytes");
        }
        String type = mediaType(contentType);
        Optional<String> documented = fieldNames(content).stream()
                .filter(t -> t.equalsIgnoreCase(type)).findFirst();
        if (documented.isEmpty()) {
            return List.of(where + ": Content-Type " + contentType + " not documented (" + fieldNames(content) + ")");
        }
        if (type.endsWith("/json")) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return List.of(where + ": body is not JSON");
            }
            String pointer = operation.pointer() + "/responses/" + code + "/content/" + escape(documented.get())
                    + "/schema";
            for (String problem : problems(pointer, json)) {
                problems.add(where + ": " + problem);
            }
        }
        return problems;
    }

    /** Validates {@code instance} against the schema at {@code pointer} in this document. */
    List<String> problems(String pointer, JsonNode instance) {
        JsonSchema schema = compiled.computeIfAbsent(pointer,
                p -> schemas.getSchema(SchemaLocation.of(baseIri + "#" + encodeFragment(p))));
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(instance)) {
            problems.add(message.getMessage());
        }
        problems.sort(Comparator.naturalOrder());
        return problems;
    }

    /** The document's extension {@code name} on the operation, else at the top level. */
    JsonNode extension(Operation operation, String name) {
        JsonNode own = operation.node().get(name);
        return own != null ? own : document.path(name);
    }

    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static List<Operation> readOperations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), operation,
                            "/paths/" + escape(path.getKey()) + "/" + method));
                }
            }
        });
        return List.copyOf(operations);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A JSON pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: characters outside the fragment alphabet percent-encoded (RFC 6901 s6). */
    private static String encodeFragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (char c : pointer.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/~-._".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** The document's {@code x-amazon-apigateway-gateway-responses}, by response type. */
    Map<String, JsonNode> gatewayResponses() {
        Map<String, JsonNode> responses = new LinkedHashMap<>();
        document.path("x-amazon-apigateway-gateway-responses").properties()
                .forEach(e -> responses.put(e.getKey(), e.getValue()));
        return responses;
    }
}
