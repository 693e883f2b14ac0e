package io.mediasuite.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

    private final List<Emitted> documents = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();

    /** The runner's collector. */
    public static LocalMetrics shared() {
        return SHARED;
    }

    /** Keeps a line a function wrote through its metrics sink. */
    public synchronized void record(String function, String line) {
        try {
            documents.add(new Emitted(function, Jsons.MAPPER.readTree(line)));
        } catch (IOException e) {
            unreadable.add(function + ": " + line);
        }
    }

    /** Every document so far, oldest first. */
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
    }

    /**
     * Sums every metric's values per namespace, name and dimension set, as a CloudWatch {@code Sum} statistic over
     * all time would: each directive's dimension sets apply to each of its metrics.
     */
    public synchronized Map<MetricKey, Double> sums() {
        Map<MetricKey, Double> sums = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Emitted emitted : documents) {
            JsonNode doc = emitted.document();
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
        return sums;
    }

    /** The summary the runner prints: one line per metric with its sum. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        sums().forEach((key, sum) -> lines.add(String.format("%-28s %-40s %12s", key.name(),
                key.dimensions(), sum == Math.rint(sum) ? Long.toString((long) sum.doubleValue()) : sum.toString())));
        return lines;
    }
}
