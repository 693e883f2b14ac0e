package io.mediasuite.common;

/** A configuration value is missing or invalid. Thrown at init so the function fails fast, naming the variable. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    public ConfigException(String variable, String problem) {
        super("configuration " + variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
