package io.mediasuite.thumbnails.pipeline.png;

import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.ResizePlan;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The PNG speed benchmark (not a test): each PNG into each fit-inside box, warm, one thread, with the time split
 * into the PNG stages, next to sharp's figures for the same files and boxes (JSON lines of png-sizes-sharp.cjs).
 *
 * <p>Stages (CPU ms), each timed on its own over the same data, so they add up to about the whole:
 * {@code inflate} ({@link PngInflater} alone, in the decoder's 256 KB batches), {@code unfilter}, {@code convert} (16 to
 * 8 bits, palette, premultiply), {@code reduce} (what the decoder takes beyond those three: mostly
 * {@code PlaneReducer}), {@code colour} (un-premultiply and the rest of the pipeline up to the raster),
 * {@code encode} (of which {@code deflate} is zlib alone).
 *
 * <p>Run with {@code functions/thumbnails/bench/png-speed.sh}.
 */
public final class PngSpeedBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PngSpeedBenchmark() {
    }

    /** Args: sharp JSON lines file (or "-"), boxes ("400x300,800x600"), then the PNG files. */
    public static void main(String[] args) throws Exception {
        Map<String, double[]> sharp = args[0].equals("-") ? Map.of() : readSharp(Path.of(args[0]));
        String[] boxes = args[1].split(",");
        int iterations = Integer.parseInt(System.getProperty("bench.iterations", "15"));
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "15"));
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 80, false);
        System.out.printf("%-24s %-9s %8s %8s %8s %8s %6s %6s %9s %9s | %6s %6s %6s %6s %6s %6s %6s%n", "file", "box",
                "java_ms", "java_cpu", "sharp_ms", "shp_cpu", "ratio", "c_rat", "java_B", "sharp_B", "inflat",
                "unfilt", "convrt", "reduce", "colour", "encode", "deflat");
        double logSum = 0;
        double cpuLogSum = 0;
        double worst = 0;
        int count = 0;
        List<String> json = new ArrayList<>();
        for (int f = 2; f < args.length; f++) {
            Path file = Path.of(args[f]);
            byte[] source = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            for (String box : boxes) {
                String[] wh = box.split("x");
                int bw = Integer.parseInt(wh[0]);
                int bh = Integer.parseInt(wh[1]);
                Stages s = stages(pipeline, source, bw, bh, warmup, iterations);
                double[] other = sharp.get(name + "@" + box);
                double ratio = other == null ? Double.NaN : s.renderMs / other[0];
                double cpuRatio = other == null ? Double.NaN : s.renderCpuMs / other[1];
                if (other != null) {
                    logSum += Math.log(ratio);
                    cpuLogSum += Math.log(cpuRatio);
                    worst = Math.max(worst, ratio);
                    count++;
                }
                System.out.printf(Locale.ROOT,
                        "%-24s %-9s %8.1f %8.1f %8.1f %8.1f %6.2f %6.2f %9d %9.0f | "
                                + "%6.1f %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f%n",
                        name, box, s.renderMs, s.renderCpuMs, other == null ? Double.NaN : other[0],
                        other == null ? Double.NaN : other[1], ratio, cpuRatio, s.outBytes,
                        other == null ? Double.NaN : other[2], s.inflate, s.unfilter, s.convert,
                        s.decode - s.inflate - s.unfilter - s.convert, s.pixels - s.decode, s.encode, s.deflate);
                json.add(String.format(Locale.ROOT, "{\"file\":\"%s\",\"box\":\"%s\",\"median_ms\":%.2f,"
                        + "\"median_cpu_ms\":%.2f,\"out_bytes\":%d}", name, box, s.renderMs, s.renderCpuMs,
                        s.outBytes));
            }
        }
        if (count > 0) {
            System.out.printf(Locale.ROOT, "geometric mean java/sharp: wall %.2f, cpu %.2f over %d cases; worst wall "
                    + "%.2f%n", Math.exp(logSum / count), Math.exp(cpuLogSum / count), count, worst);
        }
        json.forEach(System.out::println);
    }

    private record Stages(double renderMs, double renderCpuMs, int outBytes, double decode, double pixels,
                          double inflate, double unfilter, double convert, double encode, double deflate) {
    }

    private static Stages stages(ThumbnailPipeline pipeline, byte[] source, int bw, int bh, int warmup,
                                 int iterations) {
        PngDecoder.Header h = PngDecoder.readHeader(source);
        ResizePlan plan = ResizePlan.of(h.width, h.height, h.orientation, bw, bh, FitMode.INSIDE);
        Thumbnail[] last = new Thumbnail[1];
        double[] render = time(warmup, iterations,
                () -> last[0] = pipeline.render(source, bw, bh, FitMode.INSIDE, Deadline.none()));
        if (!Boolean.parseBoolean(System.getProperty("bench.stages", "true"))) {
            // Whole renders only: runs against another build's classes (BEFORE_CLASSES in png-speed.sh).
            return new Stages(render[0], render[1], last[0].bytes().length, 0, 0, 0, 0, 0, 0, 0);
        }
        double decode = cpu(warmup, iterations, () -> PngDecoder.decode(source, h, plan, Deadline.none()));
        RasterImage[] raster = new RasterImage[1];
        double pixels = cpu(warmup, iterations,
                () -> raster[0] = pipeline.pixels(source, bw, bh, FitMode.INSIDE, Deadline.none()));
        double encode = cpu(warmup, iterations, () -> PngEncoder.encode(raster[0]));
        RasterImage image = raster[0];
        int stride = image.width() * image.bands();
        byte[] raw = new byte[image.height() * (stride + 1)];
        PngEncoder.Coding coding = PngEncoder.choose(image.pixels(), stride, image.height());
        PngEncoder.filterRows(image.pixels(), stride, 0, image.height(), coding.filter(), raw, 0);
        double deflate = cpu(warmup, iterations, () -> deflate(raw, coding.strategy()));
        byte[] idat = idat(source, h);
        int bitsPerPixel = h.channelsIn() * h.bitDepth;
        int rowBytes = (h.width * bitsPerPixel + 7) / 8;
        byte[] inflated = new byte[(rowBytes + 1) * h.height];
        double inflate = cpu(warmup, iterations, () -> inflate(idat, inflated));
        int bpp = Math.max(1, bitsPerPixel / 8);
        double unfilter = cpu(warmup, iterations, () -> {
            // As the decoder does: each row copied out of the inflated stream and unfiltered against the one above.
            PngUnfilter rows = new PngUnfilter(rowBytes, bpp);
            for (int y = 0, at = 0; y < h.height; y++, at += rowBytes + 1) {
                rows.next(inflated, at);
            }
        });
        int channels = h.channelsOut();
        boolean direct = h.bitDepth == 8 && h.colourType != 3 && !h.hasAlpha();
        byte[] out = new byte[h.width * channels];
        double convert = direct ? 0 : cpu(warmup, iterations, () -> {
            for (int y = 0, at = 1; y < h.height; y++, at += rowBytes + 1) {
                PngDecoder.convert(h, inflated, at, out, channels);
                if (h.hasAlpha()) {
                    PngDecoder.premultiply(out, h.width, channels);
                }
            }
        });
        return new Stages(render[0], render[1], last[0].bytes().length, decode, pixels, inflate, unfilter, convert,
                encode, deflate);
    }

    /** Median CPU ms of {@code task} (steadier than wall time on a shared machine). */
    private static double cpu(int warmup, int iterations, Runnable task) {
        return time(warmup, iterations, task)[1];
    }

    /** Median wall and CPU ms of {@code task}. */
    private static double[] time(int warmup, int iterations, Runnable task) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        long[] wall = new long[iterations];
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            task.run();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {wall[iterations / 2] / 1e6, cpu[iterations / 2] / 1e6};
    }

    private static int deflate(byte[] raw, int strategy) {
        Deflater deflater = new Deflater(PngEncoder.LEVEL);
        try {
            deflater.setStrategy(strategy);
            deflater.setInput(raw);
            deflater.finish();
            byte[] out = new byte[raw.length + 1024];
            int n = 0;
            while (!deflater.finished()) {
                n += deflater.deflate(out, n, out.length - n);
            }
            return n;
        } finally {
            deflater.end();
        }
    }

    private static byte[] idat(byte[] data, PngDecoder.Header h) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pos = h.firstChunk;
        while (pos + 8 <= data.length) {
            int len = PngDecoder.i32(data, pos);
            if (PngDecoder.i32(data, pos + 4) == 0x49444154) {
                out.write(data, pos + 8, len);
            }
            pos += 12 + len;
        }
        return out.toByteArray();
    }

    /** The decoder's inflate stage alone, in the decoder's batch size. */
    private static void inflate(byte[] idat, byte[] into) {
        int batch = 256 << 10;
        PngInflater inflater = new PngInflater(idat, 0, idat.length, batch, Deadline.none());
        for (int at = 0; at < into.length; at += batch) {
            inflater.readFully(into, at, Math.min(batch, into.length - at));
        }
    }

    private static Map<String, double[]> readSharp(Path jsonLines) throws Exception {
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonLines)) {
            if (!line.startsWith("{")) {
                continue;
            }
            var node = io.mediasuite.common.Json.MAPPER.readTree(line);
            rows.put(node.get("file").asText() + "@" + node.get("box").asText(), new double[] {
                node.get("median_ms").asDouble(), node.get("median_cpu_ms").asDouble(),
                node.get("out_bytes").asDouble()});
        }
        return rows;
    }
}
