package io.mediasuite.thumbnails.bench;

import com.sun.management.ThreadMXBean;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import io.mediasuite.thumbnails.pipeline.jpeg.ImageIoJpegWriter;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * JPEG encode time alone, at quality 80 (4:2:0, optimised Huffman tables, baseline), on the pixels of one corpus
 * photo at several output sizes (cover crops, so each size is exact; the largest is the photo itself): median CPU
 * ms per encode, bytes, and PSNR of the decoded file (JDK reader) against the pixels that were encoded.
 *
 * <p>With an exchange folder (second argument) the pixels are written there as raw RGB ({@code WxH.rgb},
 * {@code WxH.json}) for jpeg-sharp.cjs, and sharp's files and timings ({@code WxH.sharp.jpg},
 * {@code WxH.sharp.txt}) are read back when present, so the table puts sharp beside the Java encoders on the
 * same pixels. Run with {@code functions/thumbnails/bench/jpeg-encode.sh}.
 */
public final class JpegEncodeBenchmark {

    private static final int QUALITY = 80;

    private JpegEncodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path exchange = args.length > 1 ? Path.of(args[1]) : null;
        String sizes = args.length > 2 ? args[2] : "150x113,400x300,800x600,1600x1200,2725x2225";
        byte[] original = Files.readAllBytes(source);
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, QUALITY, false);
        Map<String, Function<RasterImage, byte[]>> encoders = new LinkedHashMap<>();
        encoders.put("jdk", image -> ImageIoJpegWriter.encode(image, QUALITY, false));
        encoders.put("ours", image -> JpegEncoder.encode(image, QUALITY));
        System.out.printf("%-10s %-6s %9s %9s %7s%n", "size", "coder", "cpu_ms", "bytes", "psnr_dB");
        for (String size : sizes.split(",")) {
            String[] wh = size.split("x");
            RasterImage pixels = pipeline.pixels(original, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]),
                    FitMode.COVER, Deadline.none());
            String name = pixels.width() + "x" + pixels.height();
            for (Map.Entry<String, Function<RasterImage, byte[]>> coder : encoders.entrySet()) {
                byte[] jpeg = coder.getValue().apply(pixels);
                double ms = cpuMedian(() -> coder.getValue().apply(pixels));
                System.out.printf(Locale.ROOT, "%-10s %-6s %9.2f %9d %7.2f%n", name, coder.getKey(), ms, jpeg.length,
                        psnr(pixels, jpeg));
            }
            if (exchange != null) {
                exchange(exchange, name, pixels);
            }
        }
    }

    /** Writes the pixels for sharp; prints sharp's line when its file and timing are there. */
    private static void exchange(Path folder, String name, RasterImage pixels) throws IOException {
        Files.createDirectories(folder);
        Path jpeg = folder.resolve(name + ".sharp.jpg");
        Path timing = folder.resolve(name + ".sharp.txt");
        if (Files.exists(jpeg) && Files.exists(timing)) {
            byte[] bytes = Files.readAllBytes(jpeg);
            System.out.printf(Locale.ROOT, "%-10s %-6s %9.2f %9d %7.2f%n", name, "sharp",
                    Double.parseDouble(Files.readString(timing).trim()), bytes.length, psnr(pixels, bytes));
        }
        Path raw = folder.resolve(name + ".rgb");
        if (!Files.exists(raw)) {
            Files.write(raw, pixels.pixels());
            Files.writeString(folder.resolve(name + ".json"), String.format(Locale.ROOT,
                    "{\"width\":%d,\"height\":%d,\"channels\":%d}", pixels.width(), pixels.height(), pixels.bands()));
        }
    }

    /**
     * Median thread CPU time of one encode after a warm-up of at least 20 runs and half a second (the JIT's
     * steady state, what a primed function instance runs); enough runs for about 1.5 s of work, at least 7.
     */
    private static double cpuMedian(Runnable encode) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long warm = System.nanoTime();
        int warmRuns = 0;
        while (warmRuns < 20 || System.nanoTime() - warm < 500_000_000L) {
            encode.run();
            warmRuns++;
        }
        double eachMs = (System.nanoTime() - warm) / 1e6 / warmRuns;
        int runs = (int) Math.max(7, Math.min(200, 1500 / Math.max(eachMs, 0.01)));
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = threads.getCurrentThreadCpuTime();
            encode.run();
            cpu[i] = threads.getCurrentThreadCpuTime() - start;
        }
        Arrays.sort(cpu);
        return cpu[runs / 2] / 1e6;
    }

    /** PSNR over all samples of the decoded JPEG against the encoded pixels (RGB or grey). */
    static double psnr(RasterImage reference, byte[] jpeg) throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        int w = reference.width();
        int h = reference.height();
        if (decoded.getWidth() != w || decoded.getHeight() != h) {
            throw new IllegalStateException("decoded " + decoded.getWidth() + "x" + decoded.getHeight());
        }
        int[] rgb = decoded.getRGB(0, 0, w, h, null, 0, w);
        double squared = 0;
        int bands = reference.bands();
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < bands; c++) {
                int got = bands == 1 ? rgb[i] & 0xFF : rgb[i] >> (16 - 8 * c) & 0xFF;
                int d = got - (reference.pixels()[i * bands + c] & 0xFF);
                squared += d * d;
            }
        }
        double mse = squared / ((double) w * h * bands);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
