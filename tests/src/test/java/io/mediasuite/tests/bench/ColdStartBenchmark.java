package io.mediasuite.tests.bench;

import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold start per handler, without SnapStart: for every function in template.yaml, a fresh JVM whose class path
 * is the packaged artifact only, environment from the template (resources in the emulators), invoked with the
 * function's first sample event. Runs each several times and prints the median of each timing, as a table and
 * as JSON lines.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q -pl tests -am test-compile exec:java@coldstart}
 * (optional {@code -Druns=N}, {@code -Djvm.options="-XX:TieredStopAtLevel=1"}, and {@code -Dprime=true} to run the
 * SnapStart priming after init, as the snapshot would hold it, so "1st call" approximates the first call after a
 * restore).
 */
public final class ColdStartBenchmark {

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 5);
        String jvmOptions = System.getProperty("jvm.options", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        boolean prime = Boolean.getBoolean("prime");
        Path root = ProjectLayout.root();
        Path probeClasses = Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Emulators emulators = Emulators.start(root, root.resolve("tests/target/bench-emulators"), System.getenv());
             LocalCloud cloud = LocalCloud.start(root.resolve("template.yaml"), emulators, "coldstart", Map.of())) {
            List<String> lines = new ArrayList<>();
            System.out.printf("%-28s %8s %8s %8s %9s %9s %10s %8s%n", "function", "jvm→main", "init", "prime",
                    "1st call", "2nd call", "jvm→resp", "classes");
            for (String id : cloud.functionIds()) {
                FunctionSpec fn = cloud.function(id);
                if (fn.handler().startsWith("io.mediasuite.deployhooks.")) {
                    // CodeDeploy's PreTraffic hooks run once per deployment; their cold start serves no user.
                    continue;
                }
                Path event = firstEvent(root.resolve("events").resolve(id));
                if (event == null) {
                    continue;
                }
                List<Map<String, Double>> samples = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    samples.add(parse(probe(fn, event, probeClasses, jvmOptions, prime)));
                }
                Map<String, Double> median = median(samples);
                System.out.printf("%-28s %8.0f %8.0f %8.0f %9.0f %9.1f %10.0f %8.0f%n", id, median.get("jvm_to_main_ms"),
                        median.get("init_ms"), median.get("prime_ms"), median.get("first_invoke_ms"), median.get("second_invoke_ms"),
                        median.get("jvm_to_first_response_ms"), median.get("classes_total"));
                lines.add(String.format("{\"function\":\"%s\",\"runs\":%d,\"primed\":%b,\"init_ms\":%.1f,\"prime_ms\":%.1f,"
                                + "\"first_invoke_ms\":%.1f,"
                                + "\"second_invoke_ms\":%.1f,\"jvm_to_first_response_ms\":%.0f,\"classes_after_init\":%.0f,"
                                + "\"artifact_bytes\":%d}", id, runs, prime, median.get("init_ms"), median.get("prime_ms"),
                        median.get("first_invoke_ms"),
                        median.get("second_invoke_ms"), median.get("jvm_to_first_response_ms"),
                        median.get("classes_after_init"), size(fn.artifactDir())));
            }
            lines.forEach(System.out::println);
        }
    }

    private static String probe(FunctionSpec fn, Path event, Path probeClasses, String jvmOptions, boolean prime)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        if (prime) {
            command.add("-Dcoldstart.prime=true");
        }
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, probeClasses.toString(), fn.artifactDir().toString(),
                fn.artifactDir().resolve("lib") + File.separator + "*"));
        command.add(ColdStartProbe.class.getName());
        command.add(fn.handlerClass());
        command.add(event.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(fn.environment());
        builder.environment().put("PATH", System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(fn.logicalId() + " probe failed: " + output);
        }
        return output.lines().filter(l -> l.startsWith("{\"jvm_to_main_ms\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no timings from " + fn.logicalId() + ": " + output));
    }

    private static Map<String, Double> parse(String json) {
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        for (String pair : json.replaceAll("[{}\"]", "").split(",")) {
            String[] kv = pair.split(":");
            values.put(kv[0], Double.parseDouble(kv[1]));
        }
        return values;
    }

    private static Map<String, Double> median(List<Map<String, Double>> samples) {
        Map<String, Double> median = new java.util.LinkedHashMap<>();
        for (String key : samples.getFirst().keySet()) {
            List<Double> values = samples.stream().map(s -> s.get(key)).sorted().toList();
            median.put(key, values.get(values.size() / 2));
        }
        return median;
    }

    private static Path firstEvent(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).min(Comparator.naturalOrder()).orElse(null);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
