package io.mediasuite.tests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a document against CloudWatch's embedded metric format specification: the {@code _aws} metadata
 * (integer millisecond timestamp, one or more metric directives), each directive's namespace, dimension sets (at
 * most 30 dimensions each) and metric definitions (at most 100, names unique, units from CloudWatch's list,
 * storage resolution 1 or 60), and the root members they refer to (dimension values are strings, metric values
 * numbers or arrays of at most 100 numbers). A document failing any of these is dropped by CloudWatch, silently.
 */
final class EmfDocuments {

    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    private EmfDocuments() {
    }

    /** What makes {@code document} invalid; empty when CloudWatch would accept it. */
    static List<String> problems(JsonNode document) {
        List<String> problems = new ArrayList<>();
        JsonNode aws = document.path("_aws");
        if (!aws.isObject()) {
            return List.of("no _aws object");
        }
        if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() <= 0) {
            problems.add("_aws.Timestamp is not a positive integer of milliseconds");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            problems.add("_aws.CloudWatchMetrics is not a non-empty array");
            return problems;
        }
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText("");
            if (!directive.path("Namespace").isTextual() || namespace.isBlank() || namespace.length() > 1024) {
                problems.add("directive without a valid Namespace");
            }
            JsonNode dimensionSets = directive.path("Dimensions");
            if (!dimensionSets.isArray()) {
                problems.add("Dimensions is not an array");
            }
            for (JsonNode set : dimensionSets) {
                if (!set.isArray() || set.size() > 30) {
                    problems.add("a dimension set is not an array of at most 30 names");
                    continue;
                }
                for (JsonNode name : set) {
                    JsonNode value = document.path(name.asText());
                    if (!name.isTextual() || !value.isTextual() || value.asText().isEmpty()
                            || value.asText().length() > 1024) {
                        problems.add("dimension " + name + " has no string value in the document");
                    }
                }
            }
            JsonNode metrics = directive.path("Metrics");
            if (!metrics.isArray() || metrics.size() > 100) {
                problems.add("Metrics is not an array of at most 100 definitions");
                continue;
            }
            Set<String> names = new HashSet<>();
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                if (name.isEmpty() || name.length() > 1024 || !names.add(name)) {
                    problems.add("metric without a unique Name: " + metric);
                }
                if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
                    problems.add("metric " + name + " has unit " + metric.path("Unit"));
                }
                if (metric.has("StorageResolution") && metric.path("StorageResolution").asInt() != 1
                        && metric.path("StorageResolution").asInt() != 60) {
                    problems.add("metric " + name + " has storage resolution " + metric.path("StorageResolution"));
                }
                JsonNode value = document.path(name);
                boolean number = value.isNumber();
                boolean numbers = value.isArray() && !value.isEmpty() && value.size() <= 100;
                if (numbers) {
                    for (JsonNode v : value) {
                        numbers &= v.isNumber();
                    }
                }
                if (!number && !numbers) {
                    problems.add("metric " + name + " has no numeric value in the document: " + value);
                }
            }
        }
        return problems;
    }
}
