package io.mediasuite.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Business metrics in CloudWatch's embedded metric format (EMF): the values an invocation records are written as
 * JSON log lines when it ends, and CloudWatch Logs turns them into metrics. No API call, no client, no library: a
 * metric costs one line of the log Lambda already ships, and nothing at cold start.
 *
 * <p>Every metric carries the dimensions {@code Service} (the function group: Devices, Invalidation, Thumbnails)
 * and {@code Stage}, plus at most one dimension of its own with a small fixed set of values (an outcome, a
 * format, an HTTP status): never a device id, a key or a token, which would create one metric per value. The
 * namespace is the stack's ({@code METRICS_NAMESPACE}, set in template.yaml's Globals), so two stacks in one
 * account never mix their numbers.
 *
 * <p>Values are buffered per thread (one invocation runs on one thread) and aggregated: counts of the same metric
 * and dimensions are summed, other values are kept as a list (EMF's array form, up to 100 values). The handler
 * bases ({@link ApiHandler}, {@link EventHandler}) call {@link #flush()} after every invocation, whatever its
 * outcome.
 */
public final class Metrics {

    /** The CloudWatch units this code uses. */
    public enum Unit { Count, Milliseconds, Bytes, None }

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,254}");
    private static final int MAX_VALUES = 100;

    private static final ThreadLocal<Map<Key, Entry>> BUFFER = ThreadLocal.withInitial(LinkedHashMap::new);
    private static volatile String namespace;
    private static volatile String stage;
    private static volatile Consumer<String> sink = System.out::println;

    static {
        configure(Env.current());
    }

    private Metrics() {
    }

    /** Reads the namespace and stage; the local runner calls this after installing a function's environment. */
    public static void configure(Env env) {
        namespace = env.get("METRICS_NAMESPACE").orElse("MediaSuite");
        stage = env.get("STAGE").orElse("local");
    }

    /**
     * Where EMF lines go (stdout by default, which Lambda ships to CloudWatch Logs). The local runner installs its
     * own collector so it can summarise each function's metrics.
     */
    public static void sink(Consumer<String> lines) {
        sink = Objects.requireNonNull(lines);
    }

    /** Adds {@code value} to a count metric of {@code service}, with an optional dimension (name, value). */
    public static void count(String service, String metric, long value, String... dimension) {
        record(service, metric, Unit.Count, value, dimension);
    }

    /** Records one value of a metric (a duration, a size); values of one invocation are kept as a list. */
    public static void record(String service, String metric, Unit unit, double value, String... dimension) {
        if (dimension.length != 0 && dimension.length != 2) {
            throw new IllegalArgumentException("one extra dimension at most, as name, value");
        }
        if (!NAME.matcher(metric).matches() || !NAME.matcher(service).matches()) {
            throw new IllegalArgumentException("metric and service names are alphanumeric: " + service + "/" + metric);
        }
        if (!Double.isFinite(value)) {
            return;
        }
        Key key = new Key(service, metric, unit, dimension.length == 0 ? null : dimension[0],
                dimension.length == 0 ? null : dimension[1]);
        Entry entry = BUFFER.get().computeIfAbsent(key, k -> new Entry());
        if (unit == Unit.Count && !entry.values.isEmpty()) {
            entry.values.set(0, entry.values.getFirst() + value);
        } else if (entry.values.size() < MAX_VALUES) {
            entry.values.add(value);
        }
    }

    /**
     * Writes this thread's buffered metrics as EMF documents, one per set of dimension values, and clears the
     * buffer. Never throws: losing a metric must not fail an invocation.
     */
    public static void flush() {
        Map<Key, Entry> buffered = BUFFER.get();
        if (buffered.isEmpty()) {
            return;
        }
        List<Map.Entry<Key, Entry>> entries = new ArrayList<>(buffered.entrySet());
        buffered.clear();
        Map<List<String>, List<Map.Entry<Key, Entry>>> byDimensions = new LinkedHashMap<>();
        for (Map.Entry<Key, Entry> e : entries) {
            Key k = e.getKey();
            byDimensions.computeIfAbsent(List.of(k.service, String.valueOf(k.dimensionName),
                    String.valueOf(k.dimensionValue)), x -> new ArrayList<>()).add(e);
        }
        long now = System.currentTimeMillis();
        for (List<Map.Entry<Key, Entry>> group : byDimensions.values()) {
            try {
                sink.accept(document(group, now));
            } catch (RuntimeException | IOException e) {
                Log.warn("metrics not written", "error", e.getClass().getSimpleName());
            }
        }
    }

    /** Drops this thread's buffered metrics (an invocation that must not report, e.g. priming). */
    public static void discard() {
        BUFFER.get().clear();
    }

    private static String document(List<Map.Entry<Key, Entry>> group, long timestamp) throws IOException {
        Key first = group.getFirst().getKey();
        List<String> dimensionNames = new ArrayList<>(List.of("Service", "Stage"));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Service", first.service);
        root.put("Stage", stage);
        if (first.dimensionName != null) {
            dimensionNames.add(first.dimensionName);
            root.put(first.dimensionName, first.dimensionValue);
        }
        List<Map<String, String>> definitions = new ArrayList<>();
        for (Map.Entry<Key, Entry> e : group) {
            Key k = e.getKey();
            if (root.containsKey(k.metric)) {
                continue;
            }
            definitions.add(Map.of("Name", k.metric, "Unit", k.unit.name()));
            List<Double> values = e.getValue().values;
            root.put(k.metric, values.size() == 1 ? values.getFirst() : values);
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(dimensionNames));
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestamp);
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", aws);
        document.putAll(root);
        try {
            return Json.MAPPER.writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Key(String service, String metric, Unit unit, String dimensionName, String dimensionValue) {
    }

    private static final class Entry {
        final List<Double> values = new ArrayList<>(1);
    }
}
