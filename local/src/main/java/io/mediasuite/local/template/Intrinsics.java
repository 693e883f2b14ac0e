package io.mediasuite.local.template;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions against a local stack: parameters, pseudo parameters, conditions
 * and whatever {@link Resolver} says a resource's {@code Ref} and attributes are.
 */
public final class Intrinsics {

    /** What the local stack knows about its resources. */
    public interface Resolver {
        String ref(String logicalId);

        String attribute(String logicalId, String attribute);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final SamTemplate template;
    private final Map<String, String> parameters;
    private final Map<String, String> pseudo;
    private final Resolver resolver;

    public Intrinsics(SamTemplate template, Map<String, String> parameters, Map<String, String> pseudo,
                      Resolver resolver) {
        this.template = template;
        this.parameters = parameters;
        this.pseudo = pseudo;
        this.resolver = resolver;
    }

    /** Resolves every intrinsic in {@code value}, recursively. */
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> raw) {
            Map<String, Object> node = map(raw);
            if (node.size() == 1) {
                String key = node.keySet().iterator().next();
                if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition") && isConditionRef(node)) {
                    return function(key, node.get(key));
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            node.forEach((k, v) -> {
                Object r = resolve(v);
                if (!"AWS::NoValue".equals(r)) {
                    resolved.put(k, r);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> items) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : items) {
                Object r = resolve(item);
                if (!"AWS::NoValue".equals(r)) {
                    resolved.add(r);
                }
            }
            return resolved;
        }
        return value;
    }

    public String resolveString(Object value) {
        Object resolved = resolve(value);
        return resolved == null ? null : String.valueOf(resolved);
    }

    /** Evaluates a named condition of the template's {@code Conditions} section. */
    public boolean condition(String name) {
        Object definition = template.conditions().get(name);
        if (definition == null) {
            throw new IllegalArgumentException("unknown condition " + name);
        }
        return Boolean.parseBoolean(String.valueOf(resolve(definition)));
    }

    private boolean isConditionRef(Map<String, Object> node) {
        return node.get("Condition") instanceof String;
    }

    private Object function(String name, Object argument) {
        return switch (name) {
            case "Ref" -> ref(String.valueOf(argument));
            case "Condition" -> condition(String.valueOf(argument));
            case "Fn::GetAtt" -> {
                List<Object> parts = argument instanceof String s
                        ? List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1))
                        : list(argument);
                yield resolver.attribute(String.valueOf(parts.get(0)), resolveString(parts.get(1)));
            }
            case "Fn::Sub" -> sub(argument);
            case "Fn::Join" -> {
                List<Object> args = list(argument);
                List<String> parts = list(resolve(args.get(1))).stream().map(String::valueOf).toList();
                yield String.join(resolveString(args.get(0)), parts);
            }
            case "Fn::Select" -> {
                List<Object> args = list(argument);
                List<Object> from = list(resolve(args.get(1)));
                yield from.get(Integer.parseInt(resolveString(args.get(0))));
            }
            case "Fn::Split" -> {
                List<Object> args = list(argument);
                String delimiter = resolveString(args.get(0));
                yield new ArrayList<Object>(List.of(resolveString(args.get(1)).split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::If" -> {
                List<Object> args = list(argument);
                yield condition(String.valueOf(args.get(0))) ? resolve(args.get(1)) : resolve(args.get(2));
            }
            case "Fn::Equals" -> {
                List<Object> args = list(argument);
                yield String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
            }
            case "Fn::Not" -> !Boolean.parseBoolean(String.valueOf(resolve(list(argument).get(0))));
            case "Fn::And" -> list(argument).stream().allMatch(c -> Boolean.parseBoolean(String.valueOf(resolve(c))));
            case "Fn::Or" -> list(argument).stream().anyMatch(c -> Boolean.parseBoolean(String.valueOf(resolve(c))));
            case "Fn::FindInMap" -> {
                List<Object> args = list(argument);
                yield map(map(template.mappings().get(resolveString(args.get(0)))).get(resolveString(args.get(1))))
                        .get(resolveString(args.get(2)));
            }
            case "Fn::Base64" -> Base64.getEncoder().encodeToString(resolveString(argument).getBytes());
            case "Fn::GetAZs" -> List.of(pseudo.get("AWS::Region") + "a", pseudo.get("AWS::Region") + "b");
            case "Fn::Length" -> list(resolve(argument)).size();
            default -> throw new IllegalArgumentException(name + " is not supported by the local runner");
        };
    }

    private Object ref(String name) {
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        if (name.equals("AWS::NoValue")) {
            return "AWS::NoValue";
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        return resolver.ref(name);
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> args) {
            text = String.valueOf(args.get(0));
            variables = map(args.get(1));
        } else {
            text = String.valueOf(argument);
        }
        StringBuilder out = new StringBuilder();
        Matcher matcher = SUB_VARIABLE.matcher(text);
        while (matcher.find()) {
            String variable = matcher.group(1).trim();
            String value;
            if (variables.containsKey(variable)) {
                value = resolveString(variables.get(variable));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                value = resolver.attribute(variable.substring(0, variable.indexOf('.')),
                        variable.substring(variable.indexOf('.') + 1));
            } else {
                value = String.valueOf(ref(variable));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString().replace("${!", "${");
    }
}
