package io.mediasuite.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics the functions of this runner emitted, as CloudWatch would extract them from their logs: every
 * embedded-metric-format (EMF) document each function wrote, kept in order, and a summary of the sums per metric.
 * One collector per runner process: the runner hosts one stack's functions.
 */
public final class LocalMetrics {

    /** One EMF document and the function that wrote it. */
    public record Emitted(String function, JsonNode document) {
    }

    /** A metric as CloudWatch keys it: namespace, name and dimension values. */
    public record MetricKey(String namespace, String name, Map<String, String> dimensions) {
        @Override
        public String toString() {
            return namespace + " " + name + " " + dimensions;
        }
    }

    private static final LocalMetrics SHARED = new LocalMetrics();

    /** Invocations of one function: how many, and their run time in total, as Lambda bills them. */
    public record Invocations(long count, double millis, int memoryMb) {
        /** GB-seconds: run time times memory, the unit Lambda's duration price is per. */
        public double gigabyteSeconds() {
            return millis / 1000.0 * memoryMb / 1024.0;
        }
    }

    /**
     * Documents kept for inspection: the latest ones only, so a runner left up for days stays bounded; the sums
     * cover everything ever recorded.
     */
    static final int KEPT_DOCUMENTS = 10_000;

    private final ArrayDeque<Emitted> documents = new ArrayDeque<>();
    private final TreeMap<MetricKey, Double> sums = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    private final Map<String, Invocations> invocations = new TreeMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private long changes;

    /** The runner's collector. */
    public static LocalMetrics shared() {
        return SHARED;
    }

    /** Keeps a line a function wrote through its metrics sink. */
    public synchronized void record(String function, String line) {
        changes++;
        JsonNode document;
        try {
            document = Jsons.MAPPER.readTree(line);
        } catch (IOException e) {
            if (unreadable.size() < KEPT_DOCUMENTS) {
                unreadable.add(function + ": " + line);
            }
            return;
        }
        documents.addLast(new Emitted(function, document));
        if (documents.size() > KEPT_DOCUMENTS) {
            documents.removeFirst();
        }
        addToSums(document);
    }

    /** How many lines and invocations were recorded so far: a report is due when this moved. */
    public synchronized long changes() {
        return changes;
    }

    /** Counts one invocation of {@code function} that ran {@code millis}. */
    public synchronized void invoked(String function, int memoryMb, double millis) {
        changes++;
        invocations.merge(function, new Invocations(1, millis, memoryMb),
                (a, b) -> new Invocations(a.count() + 1, a.millis() + b.millis(), memoryMb));
    }

    /** Invocations per function so far. */
    public synchronized Map<String, Invocations> invocations() {
        return Map.copyOf(invocations);
    }

    /** The documents kept (the latest {@value #KEPT_DOCUMENTS}), oldest first. */
    public synchronized List<Emitted> documents() {
        return List.copyOf(documents);
    }

    /** Lines a function sent to its metrics sink that are not JSON at all. */
    public synchronized List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** Forgets everything collected (tests start a scenario from zero). */
    public synchronized void clear() {
        documents.clear();
        unreadable.clear();
        invocations.clear();
        sums.clear();
    }

    /**
     * Sums every metric's values per namespace, name and dimension set, as a CloudWatch {@code Sum} statistic over
     * all time would: each directive's dimension sets apply to each of its metrics.
     */
    public synchronized Map<MetricKey, Double> sums() {
        Map<MetricKey, Double> copy = new TreeMap<>(sums.comparator());
        copy.putAll(sums);
        return copy;
    }

    private void addToSums(JsonNode doc) {
        for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
            String namespace = directive.path("Namespace").asText();
            for (JsonNode dimensionSet : directive.path("Dimensions")) {
                Map<String, String> dimensions = new TreeMap<>();
                dimensionSet.forEach(d -> dimensions.put(d.asText(), doc.path(d.asText()).asText()));
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    JsonNode value = doc.path(name);
                    double total = 0;
                    if (value.isArray()) {
                        for (JsonNode v : value) {
                            total += v.asDouble();
                        }
                    } else {
                        total = value.asDouble();
                    }
                    sums.merge(new MetricKey(namespace, name, Map.copyOf(dimensions)), total, Double::sum);
                }
            }
        }
    }

    /**
     * Everything collected as one JSON document ({@code metrics}: sums per metric; {@code invocations}: per
     * function), what the runner writes to {@code target/sam-local/<stack>/metrics.json} and what the cost model
     * script reads.
     */
    public String toJson() {
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        sums().forEach((key, sum) -> {
            Map<String, Object> metric = new java.util.LinkedHashMap<>();
            metric.put("namespace", key.namespace());
            metric.put("name", key.name());
            metric.put("dimensions", key.dimensions());
            metric.put("sum", sum);
            metrics.add(metric);
        });
        root.put("metrics", metrics);
        root.put("invocations", invocations());
        return Jsons.write(root);
    }

    /** The summary the runner prints: one line per metric with its sum. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        sums().forEach((key, sum) -> lines.add(String.format("%-28s %-40s %12s", key.name(),
                key.dimensions(), sum == Math.rint(sum) ? Long.toString((long) sum.doubleValue()) : sum.toString())));
        return lines;
    }
}
