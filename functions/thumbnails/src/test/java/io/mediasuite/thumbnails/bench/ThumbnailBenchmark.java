package io.mediasuite.thumbnails.bench;

import com.sun.management.ThreadMXBean;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thumbnail benchmark (not a test): for every image of the corpus, 400x300 fit-inside at JPEG quality 80,
 * in memory (no S3), warm:
 *
 * <ul>
 *   <li>median ms of one thumbnail on one thread,</li>
 *   <li>thumbnails per second with two threads working concurrently,</li>
 *   <li>MB allocated per thumbnail (ThreadMXBean),</li>
 *   <li>output bytes,</li>
 * </ul>
 *
 * printed as a table and as JSON lines ({@code {"file","median_ms","per_s_2threads","alloc_mb","out_bytes"}}).
 * {@code compare JAVA.jsonl OTHER.jsonl} prints the ratio table against another run (e.g. sharp's).
 *
 * <p>Run with {@code functions/thumbnails/bench/thumbnails.sh}.
 */
public final class ThumbnailBenchmark {

    private ThumbnailBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("compare")) {
            compare(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/images");
        int iterations = Integer.parseInt(System.getProperty("bench.iterations", "40"));
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "30"));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        int quality = Integer.parseInt(System.getProperty("bench.quality", "80"));
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, quality, false);
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().matches(".*\\.(jpe?g|png|gif)$")).sorted().toList();
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> json = new ArrayList<>();
        System.out.printf("%-34s %10s %8s %13s %9s %9s %9s%n", "file", "median_ms", "cpu_ms", "per_s_2thr",
                "alloc_mb", "out_bytes", "out_size");
        for (Path file : files) {
            byte[] source = Files.readAllBytes(file);
            Thumbnail thumbnail = null;
            for (int i = 0; i < warmup; i++) {
                thumbnail = render(pipeline, source);
            }
            Samples samples = new Samples();
            Thumbnail[] last = {thumbnail};
            long id = Thread.currentThread().threadId();
            long allocatedBefore = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < iterations; i++) {
                samples.time(() -> last[0] = render(pipeline, source));
            }
            thumbnail = last[0];
            double allocMb = (threads.getThreadAllocatedBytes(id) - allocatedBefore) / (double) iterations / 1e6;
            double median = samples.medianMs();
            // CPU time of the measuring thread: less disturbed than wall time when the machine is shared.
            double medianCpu = samples.medianCpuMs();
            double perSecond = throughput(pipeline, source, 2, seconds);
            String name = file.getFileName().toString();
            System.out.printf(Locale.ROOT, "%-34s %10.1f %8.1f %13.1f %9.2f %9d %9s%n", name, median, medianCpu,
                    perSecond, allocMb, thumbnail.bytes().length, thumbnail.width() + "x" + thumbnail.height());
            json.add(String.format(Locale.ROOT, "{\"file\":\"%s\",\"median_ms\":%.2f,\"per_s_2threads\":%.1f,"
                    + "\"alloc_mb\":%.3f,\"out_bytes\":%d,\"median_cpu_ms\":%.2f}",
                    name, median, perSecond, allocMb, thumbnail.bytes().length, medianCpu));
        }
        System.out.println();
        json.forEach(System.out::println);
        String out = System.getProperty("bench.json");
        if (out != null) {
            Files.write(Path.of(out), json);
        }
    }

    private static Thumbnail render(ThumbnailPipeline pipeline, byte[] source) {
        return pipeline.render(source, 400, 300, FitMode.INSIDE, Deadline.none());
    }

    private static double throughput(ThumbnailPipeline pipeline, byte[] source, int threadCount, double seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            Thread worker = new Thread(() -> {
                while (!stop.get()) {
                    render(pipeline, source);
                    done.incrementAndGet();
                }
            });
            workers.add(worker);
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Prints, per file, this run against another and the geometric mean of the time ratios. */
    private static void compare(Path ours, Path theirs) throws IOException {
        Map<String, double[]> a = read(ours);
        Map<String, double[]> b = read(theirs);
        System.out.printf("%-34s %9s %9s %7s %8s %8s %7s %10s %10s %7s %9s %9s %7s%n", "file", "java_ms", "other_ms",
                "ratio", "java_cpu", "oth_cpu", "c_ratio", "java_2t/s", "other_2t/s", "t_ratio", "java_B", "other_B",
                "B_ratio");
        RatioSummary wall = new RatioSummary();
        // The same over median CPU ms (when both runs report it): steadier than wall time on a shared machine.
        RatioSummary cpu = new RatioSummary();
        double javaThroughput = 0;
        double otherThroughput = 0;
        for (Map.Entry<String, double[]> entry : a.entrySet()) {
            double[] o = b.get(entry.getKey());
            if (o == null) {
                continue;
            }
            double[] j = entry.getValue();
            double ratio = j[0] / o[0];
            wall.add(ratio, entry.getKey());
            javaThroughput += j[1];
            otherThroughput += o[1];
            double cpuRatio = j[4] / o[4];
            cpu.add(cpuRatio, entry.getKey());
            System.out.printf(Locale.ROOT,
                    "%-34s %9.1f %9.1f %7.2f %8.1f %8.1f %7.2f %10.1f %10.1f %7.2f %9.0f %9.0f %7.2f%n",
                    entry.getKey(), j[0], o[0], ratio, j[4], o[4], cpuRatio, j[1], o[1], j[1] / o[1], j[3], o[3],
                    j[3] / o[3]);
        }
        System.out.printf("%ngeometric mean time ratio (java/other): %s%n", wall.describe("images"));
        if (cpu.count() > 0) {
            System.out.printf("geometric mean CPU-time ratio (java/other): %s%n", cpu.describe("images"));
        }
        System.out.printf(Locale.ROOT, "sum of 2-thread throughputs: java %.1f/s, other %.1f/s%n", javaThroughput,
                otherThroughput);
    }

    private static Map<String, double[]> read(Path jsonLines) throws IOException {
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonLines)) {
            if (!line.startsWith("{")) {
                continue;
            }
            var node = io.mediasuite.common.Json.MAPPER.readTree(line);
            rows.put(node.get("file").asText(), new double[] {node.get("median_ms").asDouble(),
                node.get("per_s_2threads").asDouble(), node.path("alloc_mb").asDouble(Double.NaN),
                node.get("out_bytes").asDouble(), node.path("median_cpu_ms").asDouble(Double.NaN)});
        }
        return rows;
    }
}
