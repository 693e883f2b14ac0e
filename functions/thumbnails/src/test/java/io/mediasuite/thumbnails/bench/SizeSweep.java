package io.mediasuite.thumbnails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import io.mediasuite.thumbnails.ThumbnailConfig;
import io.mediasuite.thumbnails.ThumbnailSize;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.PipelineStages;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The size-sweep speed benchmark (not a test; run by {@code functions/thumbnails/bench/size-sweep.sh}): every corpus
 * image into every box a site uses - the default {@code THUMBNAIL_SIZES}, their 2x, fit inside, plus cover crops of
 * the boxes with both sides - by the Java pipeline and by sharp, measured side by side in one run.
 *
 * <p>sharp runs in a node child process ({@code sharp-bench.cjs --serve}) that renders one batch of a case per
 * request. For each case both sides warm up, then the iterations are taken in rounds of a few, Java and sharp
 * alternating (the first side alternates too), so a change of machine load lands on both: while one side renders
 * the other waits. Medians of wall time on one thread (sharp: {@code concurrency(1)}, no cache) and of CPU time
 * (Java: the rendering thread's; sharp: node's whole process, libvips' worker included). The output sizes of both
 * are compared and every difference is listed.
 *
 * <p>Then, for the cases slower than sharp (CPU-time ratio over {@code sweep.diagnose}), the Java CPU time per
 * pipeline stage ({@link PipelineStages}) and the methods where a JFR execution sampling of those stages finds it.
 *
 * <p>System properties: {@code bench.iterations} (per side and case, default 10), {@code bench.warmup} (4),
 * {@code bench.round} (iterations per alternation, 5), {@code bench.quality} (80), {@code bench.json} (JSON lines
 * out), {@code sweep.sizes} (fit-inside boxes, default {@link #defaultSizes()}), {@code sweep.cover} (cover
 * boxes, default every box with both sides), {@code sweep.images} (regex on file names), {@code sweep.sharp} (the
 * command that serves sharp, space-separated), {@code sweep.diagnose} (CPU-time ratio threshold, 1.0), {@code
 * sweep.diagnoseMax} (at most this many worst cases, 8).
 */
public final class SizeSweep {

    private static final String[] STAGES = {PipelineStages.INSPECT, PipelineStages.DECODE, PipelineStages.COLOUR,
        PipelineStages.ORIENT, PipelineStages.ENCODE};

    private SizeSweep() {
    }

    /** One image into one box in one mode. */
    record Case(Path file, int width, int height, FitMode mode) {
        String box() {
            return width + "x" + height;
        }

        String modeName() {
            return mode.name().toLowerCase(Locale.ROOT);
        }

        String label() {
            return file.getFileName() + " " + box() + " " + modeName();
        }
    }

    /** What both sides measured for a case. */
    record Result(Case c, Samples java, Samples sharp, String javaSize, String sharpSize, int javaBytes,
                  int sharpBytes, double load) {
        double ratio() {
            return java.medianMs() / sharp.medianMs();
        }

        double cpuRatio() {
            return java.medianCpuMs() / sharp.medianCpuMs();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/images");
        int iterations = Integer.getInteger("bench.iterations", 10);
        int warmup = Integer.getInteger("bench.warmup", 4);
        int round = Math.max(1, Integer.getInteger("bench.round", 5));
        int quality = Integer.getInteger("bench.quality", 80);
        double threshold = Double.parseDouble(System.getProperty("sweep.diagnose", "1.0"));
        int diagnoseMax = Integer.getInteger("sweep.diagnoseMax", 8);
        List<Case> cases = cases(dir, System.getProperty("sweep.images", ".*"),
                System.getProperty("sweep.sizes", defaultSizes()), System.getProperty("sweep.cover"));
        String sharpCommand = System.getProperty("sweep.sharp", "node sharp-bench.cjs --serve");

        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, quality, false);
        System.out.printf(Locale.ROOT, "%d cases, %d iterations per side (rounds of %d), %d warmup; load %.1f%n",
                cases.size(), iterations, round, warmup, load());
        jitWarmup(pipeline, cases);
        List<Result> results = new ArrayList<>();
        Process sharp = new ProcessBuilder(sharpCommand.split(" "))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream toSharp = sharp.getOutputStream();
             BufferedReader fromSharp = new BufferedReader(
                     new InputStreamReader(sharp.getInputStream(), StandardCharsets.UTF_8))) {
            SharpClient client = new SharpClient(toSharp, fromSharp);
            printHeader();
            for (int k = 0; k < cases.size(); k++) {
                Result r = measure(pipeline, client, cases.get(k), warmup, iterations, round, k % 2 == 0);
                results.add(r);
                printRow(r);
            }
        } finally {
            sharp.waitFor();
        }
        summarise(results, threshold);
        writeJson(results, System.getProperty("bench.json"));
        diagnose(results, threshold, diagnoseMax, quality, iterations);
    }

    /**
     * The boxes of {@code THUMBNAIL_SIZES} when it is not set (as ThumbnailConfig reads them) and their 2x, each once,
     * smallest first: "150x150,0x300,300x300,400x0,400x300,0x600,800x0,800x600,1600x1200" today.
     */
    static String defaultSizes() {
        Set<ThumbnailSize> boxes = new LinkedHashSet<>();
        for (ThumbnailSize size : ThumbnailConfig.from(Env.of(Map.of("IMAGES_BUCKET", "size-sweep")))
                .allowedSizes()) {
            boxes.add(size);
            boxes.add(new ThumbnailSize(2 * size.width(), 2 * size.height()));
        }
        return boxes.stream()
                .sorted(Comparator.comparingInt((ThumbnailSize s) -> Math.max(s.width(), s.height()))
                        .thenComparingInt(ThumbnailSize::width).thenComparingInt(ThumbnailSize::height))
                .map(ThumbnailSize::toString).collect(Collectors.joining(","));
    }

    static List<Case> cases(Path dir, String images, String sizes, String cover) throws IOException {
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)$"))
                    .filter(p -> p.getFileName().toString().matches(images)).sorted().toList();
        }
        Set<String> inside = new LinkedHashSet<>(List.of(sizes.split(",")));
        Set<String> covers = new LinkedHashSet<>();
        for (String box : cover == null ? inside : Set.of(cover.split(","))) {
            // Cover needs both sides; a free side makes it the same as fit inside.
            if (!box.isBlank() && !box.startsWith("0x") && !box.endsWith("x0")) {
                covers.add(box);
            }
        }
        List<Case> cases = new ArrayList<>();
        for (Path file : files) {
            for (String box : inside) {
                cases.add(newCase(file, box, FitMode.INSIDE));
            }
            for (String box : covers) {
                cases.add(newCase(file, box, FitMode.COVER));
            }
        }
        return cases;
    }

    private static Case newCase(Path file, String box, FitMode mode) {
        String[] sides = box.trim().split("x");
        return new Case(file, Integer.parseInt(sides[0]), Integer.parseInt(sides[1]), mode);
    }

    /** Two unmeasured passes over every case so that the first cases are not measured before C2 compiled. */
    private static void jitWarmup(ThumbnailPipeline pipeline, List<Case> cases) throws IOException {
        Map<Path, byte[]> sources = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (Case c : cases) {
                render(pipeline, sources.computeIfAbsent(c.file(), SizeSweep::read), c);
            }
        }
    }

    private static Result measure(ThumbnailPipeline pipeline, SharpClient sharp, Case c, int warmup, int iterations,
                                  int round, boolean javaFirst) throws IOException {
        byte[] source = Files.readAllBytes(c.file());
        Thumbnail[] last = new Thumbnail[1];
        for (int i = 0; i < warmup; i++) {
            last[0] = render(pipeline, source, c);
        }
        JsonNode sharpOut = sharp.run(c, Math.max(1, warmup), 0, null);
        Samples java = new Samples();
        Samples sharpSamples = new Samples();
        boolean first = javaFirst;
        double load = load();
        for (int done = 0; done < iterations; done += round) {
            int n = Math.min(round, iterations - done);
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == first) {
                    for (int i = 0; i < n; i++) {
                        java.time(() -> last[0] = render(pipeline, source, c));
                    }
                } else {
                    sharpOut = sharp.run(c, 0, n, sharpSamples);
                }
            }
            first = !first;
        }
        load = (load + load()) / 2;
        return new Result(c, java, sharpSamples, last[0].width() + "x" + last[0].height(),
                sharpOut.get("width").asInt() + "x" + sharpOut.get("height").asInt(), last[0].bytes().length,
                sharpOut.get("bytes").asInt(), load);
    }

    private static Thumbnail render(ThumbnailPipeline pipeline, byte[] source, Case c) {
        return pipeline.render(source, c.width(), c.height(), c.mode(), Deadline.none());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The node side: one JSON request line, one JSON answer line. */
    private record SharpClient(OutputStream out, BufferedReader in) {
        JsonNode run(Case c, int warmup, int iterations, Samples into) throws IOException {
            ObjectNode request = Json.MAPPER.createObjectNode()
                    .put("file", c.file().toAbsolutePath().toString())
                    .put("width", c.width()).put("height", c.height()).put("mode", c.modeName())
                    .put("warmup", warmup).put("iterations", iterations);
            out.write((Json.MAPPER.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the sharp process ended (see its error output above)");
            }
            JsonNode answer = Json.MAPPER.readTree(line);
            if (answer.has("error")) {
                throw new IOException("sharp failed on " + c.label() + ": " + answer.get("error").asText());
            }
            if (into != null) {
                JsonNode cpu = answer.get("cpu_ms");
                for (int i = 0; i < answer.get("wall_ms").size(); i++) {
                    into.add(answer.get("wall_ms").get(i).asDouble(), cpu.get(i).asDouble());
                }
            }
            return answer;
        }
    }

    private static void printHeader() {
        System.out.printf("%-32s %9s %-6s %9s %9s %8s %8s %6s %8s %8s %6s %8s %8s%n", "file", "box", "mode",
                "java_out", "sharp_out", "java_ms", "sharp_ms", "ratio", "java_cpu", "shrp_cpu", "c_rat", "java_B",
                "sharp_B");
    }

    private static void printRow(Result r) {
        // A sharp output size that differs from Java's is starred (and listed at the end).
        String sharpSize = r.sharpSize().equals(r.javaSize()) ? r.sharpSize() : r.sharpSize() + "*";
        System.out.printf(Locale.ROOT, "%-32s %9s %-6s %9s %9s %8.1f %8.1f %6.2f %8.1f %8.1f %6.2f %8d %8d%n",
                r.c().file().getFileName(), r.c().box(), r.c().modeName(), r.javaSize(), sharpSize,
                r.java().medianMs(), r.sharp().medianMs(), r.ratio(), r.java().medianCpuMs(),
                r.sharp().medianCpuMs(), r.cpuRatio(), r.javaBytes(), r.sharpBytes());
    }

    private static void summarise(List<Result> results, double threshold) {
        RatioSummary wall = new RatioSummary();
        RatioSummary cpu = new RatioSummary();
        Map<String, RatioSummary> byBox = new LinkedHashMap<>();
        Map<String, RatioSummary> byImage = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (Result r : results) {
            wall.add(r.ratio(), r.c().label());
            cpu.add(r.cpuRatio(), r.c().label());
            byBox.computeIfAbsent(r.c().box() + " " + r.c().modeName(), k -> new RatioSummary())
                    .add(r.ratio(), r.c().file().getFileName().toString());
            byImage.computeIfAbsent(r.c().file().getFileName().toString(), k -> new RatioSummary())
                    .add(r.ratio(), r.c().box() + " " + r.c().modeName());
            if (!r.javaSize().equals(r.sharpSize())) {
                mismatches.add(r.c().label() + ": java " + r.javaSize() + ", sharp " + r.sharpSize());
            }
        }
        System.out.println();
        System.out.println("geometric mean of the wall-time ratios per box (java/sharp):");
        byBox.forEach((box, s) -> System.out.printf("  %-16s %s%n", box, s.describe("images")));
        System.out.println("per image:");
        byImage.forEach((image, s) -> System.out.printf("  %-32s %s%n", image, s.describe("boxes")));
        System.out.printf(Locale.ROOT, "%noutput sizes differing from sharp's: %d%n", mismatches.size());
        mismatches.forEach(m -> System.out.println("  " + m));
        System.out.printf(Locale.ROOT,
                "%ncases over 1.0 / over 1.5 (of %d): wall %d / %d, CPU %d / %d; load now %.1f%n", results.size(),
                count(results, Result::ratio, 1.0), count(results, Result::ratio, 1.5),
                count(results, Result::cpuRatio, 1.0), count(results, Result::cpuRatio, 1.5), load());
        System.out.printf("geometric mean wall-time ratio (java/sharp): %s%n", wall.describe("cases"));
        System.out.printf("geometric mean CPU-time ratio (java/sharp):  %s%n", cpu.describe("cases"));
    }

    private static long count(List<Result> results, ToDoubleFunction<Result> ratio, double over) {
        return results.stream().filter(r -> ratio.applyAsDouble(r) > over).count();
    }

    private static void writeJson(List<Result> results, String out) throws IOException {
        if (out == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Result r : results) {
            ObjectNode line = Json.MAPPER.createObjectNode()
                    .put("file", r.c().file().getFileName().toString()).put("box", r.c().box())
                    .put("mode", r.c().modeName())
                    .put("java_ms", round(r.java().medianMs())).put("sharp_ms", round(r.sharp().medianMs()))
                    .put("ratio", round(r.ratio()))
                    .put("java_cpu_ms", round(r.java().medianCpuMs()))
                    .put("sharp_cpu_ms", round(r.sharp().medianCpuMs())).put("cpu_ratio", round(r.cpuRatio()))
                    .put("java_size", r.javaSize()).put("sharp_size", r.sharpSize())
                    .put("java_bytes", r.javaBytes()).put("sharp_bytes", r.sharpBytes())
                    .put("iterations", r.java().count()).put("load", round(r.load()));
            lines.add(Json.MAPPER.writeValueAsString(line));
        }
        Files.write(Path.of(out), lines);
        System.out.println("JSON lines: " + out);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * For the cases whose CPU-time ratio is over the threshold (worst first): median CPU ms per pipeline stage, and
     * the top methods of a JFR execution sampling (1 ms period) of those stage runs, by samples in the method itself.
     * CPU time, not wall time, picks and measures them: on a loaded machine the wall time of a long render grows
     * more than its CPU time (its thread waits for a core), and these cases are rerun later, under another load.
     */
    private static void diagnose(List<Result> results, double threshold, int max, int quality, int iterations)
            throws IOException {
        List<Result> slow = results.stream().filter(r -> r.cpuRatio() > threshold)
                .sorted(Comparator.comparingDouble(Result::cpuRatio).reversed()).limit(max).toList();
        if (slow.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nJava per stage for the %d worst cases by CPU-time ratio over %.2f (median CPU"
                + " ms; their sum against the whole render's, and sharp's), then JFR's hottest methods (self"
                + " samples):%n", slow.size(), threshold);
        System.out.printf("%-44s %6s", "case", "c_rat");
        for (String stage : STAGES) {
            System.out.printf(" %13s", stage);
        }
        System.out.printf(" %7s %7s %9s%n", "sum", "render", "sharp");
        PipelineStages stages = new PipelineStages(100_000_000L, quality);
        for (Result r : slow) {
            byte[] source = Files.readAllBytes(r.c().file());
            stages.time(source, r.c().width(), r.c().height(), r.c().mode(), 3, 0);
            Path jfr = Files.createTempFile("size-sweep", ".jfr");
            Map<String, Samples> timed;
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
                // Native code (zlib's inflate/deflate, the JDK's JPEG writer) is only seen by this event.
                recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
                recording.start();
                timed = stages.time(source, r.c().width(), r.c().height(), r.c().mode(), 0,
                        Math.max(iterations, 10));
                recording.stop();
                recording.dump(jfr);
            }
            System.out.printf(Locale.ROOT, "%-44s %6.2f", r.c().label(), r.cpuRatio());
            double sum = 0;
            for (String stage : STAGES) {
                double ms = timed.get(stage).medianCpuMs();
                sum += ms;
                System.out.printf(Locale.ROOT, " %13.1f", ms);
            }
            System.out.printf(Locale.ROOT, " %7.1f %7.1f %9.1f%n", sum, r.java().medianCpuMs(),
                    r.sharp().medianCpuMs());
            System.out.println("    hot: " + hotMethods(jfr, 6));
            Files.deleteIfExists(jfr);
        }
    }

    /**
     * The {@code top} methods with the most samples in their own code, as "Class.method 23%" (a native method as
     * "Class.method* 23%"), of the Java and native samples of this thread.
     */
    private static String hotMethods(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        int total = 0;
        String thread = Thread.currentThread().getName();
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            boolean nativeSample = type.equals("jdk.NativeMethodSample");
            if (!(nativeSample || type.equals("jdk.ExecutionSample")) || event.getStackTrace() == null
                    || event.getThread("sampledThread") == null
                    || !thread.equals(event.getThread("sampledThread").getJavaName())) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            var method = frames.get(0).getMethod();
            String owner = method.getType().getName();
            self.merge(owner.substring(owner.lastIndexOf('.') + 1) + "." + method.getName() + (nativeSample ? "*" : ""),
                    1, Integer::sum);
            total++;
        }
        int all = total;
        StringBuilder text = new StringBuilder();
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> text.append(String.format(Locale.ROOT, "%s %.0f%%, ", e.getKey(),
                        100.0 * e.getValue() / all)));
        return all == 0 ? "(no samples)" : text.append(all).append(" samples").toString();
    }
}
