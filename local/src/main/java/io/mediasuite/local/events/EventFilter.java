package io.mediasuite.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.Jsons;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's event filtering ({@code FilterCriteria.Filters[].Pattern}) for event source mappings: a record is
 * delivered when it matches any of the patterns. A pattern is a JSON object whose keys name fields of the record
 * (objects nest into sub-fields) and whose leaves are arrays of matchers, any one of which must match the field
 * (or one element of it, when the field is an array). Matchers: a literal (string, number compared numerically,
 * boolean, null), {@code {"prefix"}}, {@code {"suffix"}}, {@code {"equals-ignore-case"}}, {@code {"exists"}},
 * {@code {"anything-but"}} (a value or a list of values), and {@code {"numeric": [op, value, ...]}} with
 * {@code = < <= > >=}. A malformed pattern is refused when the mapping is created, as Lambda refuses it.
 */
public final class EventFilter {

    private final List<JsonNode> patterns;

    private EventFilter(List<JsonNode> patterns) {
        this.patterns = patterns;
    }

    /** Parses the patterns (JSON documents); none means every record is delivered. */
    public static EventFilter of(List<String> patterns) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            JsonNode node;
            try {
                node = Jsons.MAPPER.readTree(pattern);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid filter pattern (not JSON): " + pattern);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("invalid filter pattern (not a JSON object): " + pattern);
            }
            validate(node, pattern);
            parsed.add(node);
        }
        return new EventFilter(List.copyOf(parsed));
    }

    /** Whether the record goes to the function. */
    public boolean matches(Map<String, Object> record) {
        if (patterns.isEmpty()) {
            return true;
        }
        JsonNode event = Jsons.MAPPER.valueToTree(record);
        return patterns.stream().anyMatch(pattern -> matchesObject(pattern, event));
    }

    private static void validate(JsonNode pattern, String source) {
        pattern.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                validate(value, source);
            } else if (!value.isArray() || value.isEmpty()) {
                throw new IllegalArgumentException("invalid filter pattern: " + field.getKey()
                        + " must be an object or a non-empty array of matchers in " + source);
            }
        });
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        var fields = pattern.properties().iterator();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode value = event == null ? null : event.get(field.getKey());
            boolean ok = field.getValue().isObject()
                    ? value != null && value.isObject() && matchesObject(field.getValue(), value)
                    : matchesAny(field.getValue(), value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode matchers, JsonNode value) {
        for (JsonNode matcher : matchers) {
            if (value != null && value.isArray() && !(matcher.isObject() && matcher.has("exists"))) {
                for (JsonNode element : value) {
                    if (matches(matcher, element)) {
                        return true;
                    }
                }
            } else if (matches(matcher, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode matcher, JsonNode value) {
        if (!matcher.isObject()) {
            return value != null && equal(matcher, value);
        }
        if (matcher.has("exists")) {
            boolean present = value != null && !value.isNull();
            return matcher.get("exists").asBoolean() == present;
        }
        if (value == null || value.isNull() && !matcher.has("anything-but")) {
            return false;
        }
        if (matcher.has("prefix")) {
            return value.isTextual() && value.asText().startsWith(matcher.get("prefix").asText());
        }
        if (matcher.has("suffix")) {
            return value.isTextual() && value.asText().endsWith(matcher.get("suffix").asText());
        }
        if (matcher.has("equals-ignore-case")) {
            return value.isTextual() && value.asText().toLowerCase(Locale.ROOT)
                    .equals(matcher.get("equals-ignore-case").asText().toLowerCase(Locale.ROOT));
        }
        if (matcher.has("anything-but")) {
            JsonNode excluded = matcher.get("anything-but");
            if (excluded.isArray()) {
                for (JsonNode e : excluded) {
                    if (equal(e, value)) {
                        return false;
                    }
                }
                return true;
            }
            return !equal(excluded, value);
        }
        if (matcher.has("numeric")) {
            return numeric(matcher.get("numeric"), value);
        }
        throw new IllegalArgumentException("unsupported filter matcher " + matcher);
    }

    private static boolean numeric(JsonNode conditions, JsonNode value) {
        BigDecimal number = number(value);
        if (number == null) {
            return false;
        }
        for (int i = 0; i + 1 < conditions.size(); i += 2) {
            BigDecimal bound = number(conditions.get(i + 1));
            if (bound == null) {
                return false;
            }
            int cmp = number.compareTo(bound);
            boolean ok = switch (conditions.get(i).asText()) {
                case "=" -> cmp == 0;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                default -> throw new IllegalArgumentException("unsupported numeric operator " + conditions.get(i));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(JsonNode expected, JsonNode value) {
        if (expected.isNumber()) {
            BigDecimal number = number(value);
            return number != null && value.isNumber() && number.compareTo(expected.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return value.isNull();
        }
        return expected.equals(value);
    }

    private static BigDecimal number(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        return value.decimalValue();
    }
}
