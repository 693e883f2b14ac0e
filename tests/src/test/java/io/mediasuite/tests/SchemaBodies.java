package io.mediasuite.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Random JSON values valid against a schema of an OpenAPI document, for property tests: "every body the document
 * accepts gets a 2xx or 4xx, never a 5xx". Seeded, so a failure is replayed from its seed.
 *
 * <p>It covers the schema subset the documents use (see the header of api/device-api.yaml): objects with
 * properties and required lists (optional ones present half the time, plus now and then an undeclared one, which
 * the documents allow), strings with enum, min/maxLength and a pattern, numbers with minimum/maximum, integers,
 * booleans and arrays with min/maxItems and uniqueItems, and {@code $ref} within the document. Values lean on
 * the edges a hand-written test forgets: bounds, zero and negative zero, magnitudes down to the smallest double,
 * many decimals, long strings, non-ASCII text, and values of any type where the schema does not say.
 *
 * <p>Patterns: anchored ones made of literals, character classes, groups and {@code {m,n}} / {@code ?} / {@code *}
 * / {@code +} quantifiers are generated directly; any other pattern (e.g. {@code \S}) is met by drawing strings
 * until one matches. Every string is checked against its pattern with {@link Pattern#find}, as JSON Schema does.
 */
final class SchemaBodies {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TEXT = "aZ09 _-.:@+/\\\"'\u00e9\u00df\u4e2d\ud83d\ude00\t\n";

    private final JsonNode document;
    private final Random random;

    SchemaBodies(JsonNode document, Random random) {
        this.document = document;
        this.random = random;
    }

    /** A value valid against {@code schema}. */
    JsonNode generate(JsonNode schema) {
        return generate(schema, 0);
    }

    private JsonNode generate(JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            return generate(resolve(schema.get("$ref").asText()), depth);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "string" -> NODES.textNode(string(schema));
            case "number" -> NODES.numberNode(number(schema));
            case "integer" -> NODES.numberNode(integer(schema));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> anything(depth);
        };
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local references are supported: " + ref);
        }
        return document.at(ref.substring(1));
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        JsonNode properties = schema.path("properties");
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (required.contains(name) || random.nextBoolean()) {
                object.set(name, generate(properties.get(name), depth + 1));
            }
        }
        // The documents do not forbid undeclared properties; a free-form object (no properties) gets several.
        int extra = !properties.isEmpty() ? (random.nextInt(8) == 0 ? 1 : 0) : random.nextInt(6);
        for (int i = 0; i < extra; i++) {
            String name = random.nextInt(4) == 0 ? text(1, 70) : pick("k", "deepLink", "a.b", "x-1", "_", "aps");
            if (!properties.has(name)) {
                object.set(name, random.nextInt(3) == 0 ? anything(depth + 1) : NODES.textNode(text(0, 40)));
            }
        }
        return object;
    }

    private ArrayNode array(JsonNode schema, int depth) {
        int min = schema.path("minItems").asInt(0);
        int max = schema.path("maxItems").asInt(min + 4);
        int size = min + random.nextInt(max - min + 1);
        ArrayNode array = NODES.arrayNode();
        JsonNode items = schema.path("items");
        for (int attempt = 0; array.size() < size && attempt < size * 20; attempt++) {
            JsonNode item = generate(items, depth + 1);
            boolean duplicate = false;
            for (JsonNode existing : array) {
                duplicate |= existing.equals(item);
            }
            if (!(schema.path("uniqueItems").asBoolean(false) && duplicate)) {
                array.add(item);
            }
        }
        return array;
    }

    private BigDecimal number(JsonNode schema) {
        double min = schema.path("minimum").asDouble(-1e6);
        double max = schema.path("maximum").asDouble(1e6);
        double value = switch (random.nextInt(12)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> 0.0;
            case 3 -> -0.0;
            case 4 -> Math.copySign(Math.pow(10, -1 - random.nextInt(323)), random.nextBoolean() ? 1 : -1);
            case 5 -> Double.MIN_VALUE;
            case 6 -> Math.nextDown(max);
            case 7 -> Math.nextUp(min);
            default -> min + random.nextDouble() * (max - min);
        };
        if (!(value >= min && value <= max)) {
            value = min + random.nextDouble() * (max - min);
        }
        BigDecimal decimal = new BigDecimal(value);
        // Exact binary expansions have hundreds of digits: keep some, as many decimals as a client may send.
        if (random.nextBoolean()) {
            decimal = decimal.round(new java.math.MathContext(1 + random.nextInt(20)));
        }
        if (decimal.doubleValue() < min || decimal.doubleValue() > max) {
            decimal = BigDecimal.valueOf(value);
        }
        return decimal;
    }

    private long integer(JsonNode schema) {
        long min = schema.path("minimum").asLong(-1000);
        long max = schema.path("maximum").asLong(1000);
        return min + (long) (random.nextDouble() * (max - min + 1));
    }

    private String string(JsonNode schema) {
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Math.max(min, 64));
        String pattern = schema.path("pattern").asText(null);
        if (pattern == null) {
            return text(min, Math.min(max, min + (random.nextInt(4) == 0 ? max : 40)));
        }
        Pattern compiled = Pattern.compile(pattern);
        for (int attempt = 0; attempt < 1000; attempt++) {
            String candidate = pattern.startsWith("^") && pattern.endsWith("$")
                    ? new PatternWriter(pattern.substring(1, pattern.length() - 1)).write()
                    : text(min, Math.min(max, min + 40));
            if (candidate.codePointCount(0, candidate.length()) >= min
                    && candidate.codePointCount(0, candidate.length()) <= max && compiled.matcher(candidate).find()) {
                return candidate;
            }
        }
        throw new IllegalStateException("could not generate a string for pattern " + pattern);
    }

    /** Any JSON value: where the schema says nothing, clients may send anything. */
    private JsonNode anything(int depth) {
        int kind = random.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(new BigDecimal(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20)));
            case 3, 4 -> NODES.textNode(text(0, 30));
            case 5 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(anything(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(text(1, 8), anything(depth + 1));
                }
                yield object;
            }
        };
    }

    /** Text of {@code min..max} code points from an alphabet with spaces, quotes, escapes, accents, CJK, emoji. */
    private String text(int min, int max) {
        int length = min + random.nextInt(Math.max(1, max - min + 1));
        StringBuilder text = new StringBuilder();
        int[] alphabet = TEXT.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return text.toString();
    }

    private String pick(String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** Writes a string matching an anchored pattern of literals, classes, groups and quantifiers. */
    private final class PatternWriter {

        private final String pattern;
        private int at;

        PatternWriter(String pattern) {
            this.pattern = pattern;
        }

        String write() {
            StringBuilder out = new StringBuilder();
            sequence(out, pattern.length());
            return out.toString();
        }

        private void sequence(StringBuilder out, int end) {
            while (at < end) {
                int atomStart = at;
                String atomEnd = atom();
                int[] counts = quantifier();
                int count = counts[0] + random.nextInt(counts[1] - counts[0] + 1);
                int after = at;
                for (int i = 0; i < count; i++) {
                    at = atomStart;
                    emit(out, atomEnd);
                }
                at = after;
            }
        }

        /** Skips over one atom, returning what kind it is; {@link #emit} writes one instance of it. */
        private String atom() {
            char c = pattern.charAt(at);
            if (c == '[') {
                at = pattern.indexOf(']', at + 2) + 1;
                return "class";
            }
            if (c == '(') {
                at = closingParen(at) + 1;
                return "group";
            }
            at += c == '\\' ? 2 : 1;
            return "literal";
        }

        private void emit(StringBuilder out, String kind) {
            switch (kind) {
                case "class" -> {
                    int close = pattern.indexOf(']', at + 2);
                    List<Character> chars = classChars(pattern.substring(at + 1, close));
                    out.append(chars.get(random.nextInt(chars.size())));
                }
                case "group" -> {
                    int close = closingParen(at);
                    at++;
                    sequence(out, close);
                }
                default -> out.append(pattern.charAt(at) == '\\' ? pattern.charAt(at + 1) : pattern.charAt(at));
            }
        }

        private int closingParen(int open) {
            int depth = 0;
            for (int i = open; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unbalanced group in " + pattern);
        }

        private int[] quantifier() {
            if (at >= pattern.length()) {
                return new int[] {1, 1};
            }
            char c = pattern.charAt(at);
            switch (c) {
                case '?' -> {
                    at++;
                    return new int[] {0, 1};
                }
                case '*' -> {
                    at++;
                    return new int[] {0, 4};
                }
                case '+' -> {
                    at++;
                    return new int[] {1, 4};
                }
                case '{' -> {
                    int close = pattern.indexOf('}', at);
                    String[] bounds = pattern.substring(at + 1, close).split(",", -1);
                    at = close + 1;
                    int min = Integer.parseInt(bounds[0]);
                    int max = bounds.length == 1 ? min : bounds[1].isEmpty() ? min + 4 : Integer.parseInt(bounds[1]);
                    // Lengths at both ends and in between: the bounds are where rules usually break.
                    int pickedMax = switch (random.nextInt(4)) {
                        case 0 -> min;
                        case 1 -> max;
                        default -> min + random.nextInt(Math.min(max - min, 200) + 1);
                    };
                    return new int[] {pickedMax, pickedMax};
                }
                default -> {
                    return new int[] {1, 1};
                }
            }
        }

        private List<Character> classChars(String body) {
            List<Character> chars = new ArrayList<>();
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length()) {
                    chars.add(body.charAt(++i));
                } else if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                    for (char x = c; x <= body.charAt(i + 2); x++) {
                        chars.add(x);
                    }
                    i += 2;
                } else {
                    chars.add(c);
                }
            }
            return chars;
        }
    }
}
