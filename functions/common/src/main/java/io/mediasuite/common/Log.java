package io.mediasuite.common;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Structured JSON logging, one object per line on stdout, which Lambda's JSON log format keeps as is.
 *
 * <p>No logging framework: a Lambda function logs a handful of lines per invocation and a framework costs cold
 * start time. The level comes from {@code AWS_LAMBDA_LOG_LEVEL} (set by Lambda from the template's
 * {@code LoggingConfig.ApplicationLogLevel}) and defaults to INFO. Fields are given as alternating name/value
 * pairs: {@code Log.info("plan", "pathsIn", 1000, "pathsOut", 3)}. Every line carries the request id and the
 * function version ({@code AWS_LAMBDA_FUNCTION_VERSION}) when known.
 */
public final class Log {

    private enum Level { DEBUG, INFO, WARN, ERROR }

    private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();
    private static volatile Level threshold = levelFrom(Env.current());
    // Lambda sets the version per execution environment; SnapStart snapshots are per version, so reading it at
    // init is safe. Deployment alarms count 5xx per version from this field (see template.yaml, "Delivery").
    private static volatile String functionVersion = Env.current().get("AWS_LAMBDA_FUNCTION_VERSION").orElse(null);

    private Log() {
    }

    /** Re-reads the log level; the local runner calls this after installing a function's environment. */
    public static void configure(Env env) {
        threshold = levelFrom(env);
        functionVersion = env.get("AWS_LAMBDA_FUNCTION_VERSION").orElse(null);
    }

    /** Tags this thread's following lines with the invocation's request id. */
    public static void setRequestId(String requestId) {
        REQUEST_ID.set(requestId);
    }

    public static void debug(String message, Object... fields) {
        write(Level.DEBUG, message, null, fields);
    }

    public static void info(String message, Object... fields) {
        write(Level.INFO, message, null, fields);
    }

    public static void warn(String message, Object... fields) {
        write(Level.WARN, message, null, fields);
    }

    public static void error(String message, Throwable error, Object... fields) {
        write(Level.ERROR, message, error, fields);
    }

    private static void write(Level level, String message, Throwable error, Object... fields) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", message);
        String requestId = REQUEST_ID.get();
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        String version = functionVersion;
        if (version != null) {
            line.put("functionVersion", version);
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.put(String.valueOf(fields[i]), fields[i + 1]);
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            line.put("errorMessage", String.valueOf(error.getMessage()));
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.put("stackTrace", trace.toString());
        }
        PrintStream out = System.out;
        out.println(Json.write(line));
    }

    private static Level levelFrom(Env env) {
        String value = env.get("AWS_LAMBDA_LOG_LEVEL").or(() -> env.get("LOG_LEVEL")).orElse("INFO")
                .toUpperCase(Locale.ROOT);
        return switch (value) {
            case "TRACE", "DEBUG" -> Level.DEBUG;
            case "WARN" -> Level.WARN;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
