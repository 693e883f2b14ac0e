package io.mediasuite.common;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a function was started with.
 *
 * <p>In Lambda this is simply {@link System#getenv()}. The local runner loads every function in its own class
 * loader inside one JVM, so it cannot give each function a process environment of its own; instead it calls
 * {@link #install(Map)} on that function's copy of this class with the variables template.yaml declares. All
 * configuration and the client factory read through here, never through {@code System.getenv} directly.
 */
public final class Env {

    private static volatile Env installed;

    private final Map<String, String> variables;

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** An environment holding exactly these variables (tests, the local runner). */
    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    /** The installed environment, or the process environment when nothing was installed (the Lambda case). */
    public static Env current() {
        Env env = installed;
        return env != null ? env : new Env(System.getenv());
    }

    /**
     * Replaces what {@link #current()} returns for this class loader. Called by the local runner before the
     * handler is constructed; never called in Lambda.
     */
    public static void install(Map<String, String> variables) {
        installed = new Env(variables);
    }

    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public Map<String, String> asMap() {
        return variables;
    }
}
