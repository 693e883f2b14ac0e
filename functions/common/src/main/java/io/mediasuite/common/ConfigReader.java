package io.mediasuite.common;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads typed configuration from an {@link Env}: a default applies when the variable is absent, a present value
 * must parse and pass validation, and any failure is a {@link ConfigException} naming the variable. Functions
 * build their config record once, in the handler's init, so a bad deployment fails on the first cold start
 * instead of on some later request.
 */
public final class ConfigReader {

    private final Env env;

    public ConfigReader(Env env) {
        this.env = env;
    }

    public Optional<String> optional(String name) {
        return env.get(name);
    }

    public String required(String name) {
        return env.get(name).orElseThrow(() -> new ConfigException(name, "is required but not set"));
    }

    public String string(String name, String defaultValue) {
        return env.get(name).orElse(defaultValue);
    }

    public int integer(String name, int defaultValue, int min, int max) {
        int value = env.get(name).map(v -> parse(name, v, Integer::parseInt, "a whole number")).orElse(defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        long value = env.get(name).map(v -> parse(name, v, Long::parseLong, "a whole number")).orElse(defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public boolean bool(String name, boolean defaultValue) {
        return env.get(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + v + "'");
        }).orElse(defaultValue);
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String name, List<String> defaultValue) {
        return env.get(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(defaultValue);
    }

    /** Parses with {@code parser}; a parser exception becomes a {@link ConfigException} naming the variable. */
    public <T> T parse(String name, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigException(name, "must be " + expected + ", got '" + value + "'");
        }
    }
}
