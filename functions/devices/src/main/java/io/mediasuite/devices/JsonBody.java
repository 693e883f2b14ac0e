package io.mediasuite.devices;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a JSON request body field by field and collects every problem as a public {@link ApiException.FieldError},
 * so a client learns about all its mistakes in one 400 instead of one per round trip. Field messages are fixed
 * text; nothing from the request is echoed back.
 */
public final class JsonBody {

    private final List<ApiException.FieldError> errors = new ArrayList<>();

    /**
     * Parses a body that must be a JSON object of at most {@code maxBytes} UTF-8 bytes.
     *
     * @throws ApiException a 400 naming {@code body} when it is missing, too large or not a JSON object
     */
    public static JsonNode parseObject(String text, int maxBytes) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid("body", "is required");
        }
        // Cheap upper bound first (a char is at most 3 UTF-8 bytes), exact count only when it matters.
        if (text.length() > maxBytes || (text.length() * 3L > maxBytes
                && text.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
            throw ApiException.invalid("body", "must be at most " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw ApiException.invalid("body", "must be a valid JSON document");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        return node;
    }

    public void reject(String field, String message) {
        errors.add(new ApiException.FieldError(field, message));
    }

    /** Throws a 400 listing every rejected field, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** A required string matching {@code pattern}, or null (and an error) when absent or invalid. */
    public String requiredString(JsonNode parent, String name, String path, Pattern pattern, String rule) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            reject(path, "is required");
            return null;
        }
        return checkString(node, path, pattern, rule);
    }

    /** An optional string matching {@code pattern}; null when absent, JSON null, or invalid (with an error). */
    public String optionalString(JsonNode parent, String name, String path, Pattern pattern, String rule) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        return checkString(node, path, pattern, rule);
    }

    private String checkString(JsonNode node, String path, Pattern pattern, String rule) {
        if (!node.isTextual()) {
            reject(path, "must be a string");
            return null;
        }
        String value = node.textValue();
        if (pattern != null && !pattern.matcher(value).matches()) {
            reject(path, rule);
            return null;
        }
        return value;
    }

    /**
     * Decimal places numbers are read to: 1e-9 of a degree is about 0.1 mm, of a kilometre 1 micrometre, far
     * below any meaning these values have, and it keeps every accepted value inside DynamoDB's number range
     * (magnitudes from 1e-130): {@code 1e-131} is read as 0, where writing it as it came failed with a 500.
     */
    public static final int NUMBER_DECIMALS = 9;

    /**
     * A required number within [min, max], rounded half-even to {@value #NUMBER_DECIMALS} decimal places, or NaN
     * (and an error). The range is checked on the number as sent.
     */
    public double requiredNumber(JsonNode parent, String name, String path, double min, double max, String rule) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            reject(path, "is required");
            return Double.NaN;
        }
        if (!node.isNumber()) {
            reject(path, "must be a number");
            return Double.NaN;
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            reject(path, rule);
            return Double.NaN;
        }
        double rounded = BigDecimal.valueOf(value).setScale(NUMBER_DECIMALS, RoundingMode.HALF_EVEN).doubleValue();
        return rounded == 0.0 ? 0.0 : rounded; // no -0.0 either: DynamoDB would store it as 0 anyway
    }

    /** A required JSON object, or null (and an error). */
    public JsonNode requiredObject(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            reject(path, "is required");
            return null;
        }
        if (!node.isObject()) {
            reject(path, "must be an object");
            return null;
        }
        return node;
    }

    /** An optional JSON object; null when absent or JSON null, or invalid (with an error). */
    public JsonNode optionalObject(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            reject(path, "must be an object");
            return null;
        }
        return node;
    }
}
