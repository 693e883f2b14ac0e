package io.mediasuite.thumbnails.bench;

import com.sun.management.ThreadMXBean;
import io.mediasuite.thumbnails.TestImages;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.FitMode;
import io.mediasuite.thumbnails.pipeline.OutputFormat;
import io.mediasuite.thumbnails.pipeline.RasterImage;
import io.mediasuite.thumbnails.pipeline.ThumbnailEncoder;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import io.mediasuite.thumbnails.pipeline.WebpEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * WebP against our JPEG, on the thumbnail pixels of each corpus photo (400x300 fit inside, the pipeline's own
 * decode + scale): bytes and SSIM of JPEG q80 and WebP q80, then the smallest WebP whose SSIM is at least the
 * JPEG's (quality searched 1-100) and its saving; median CPU ms of each encode. Optional second argument: a folder
 * where the pixels are written as raw RGB ({@code name.rgb}, {@code name.json}) and where sharp's WebP files
 * ({@code name.sharp.webp}, from webp-sharp.cjs) are read back for their SSIM, so both encoders see the same pixels.
 *
 * <p>SSIM: luma (BT.601) of both images, 8x8 windows every 4 pixels, the usual constants (K1 0.01, K2 0.03),
 * averaged. Decoding WebP here uses the library's reader directly: our own output, in a benchmark only.
 *
 * <p>Run with {@code functions/thumbnails/bench/webp.sh}.
 */
public final class WebpBenchmark {

    private WebpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path exchange = args.length > 1 ? Path.of(args[1]) : null;
        int iterations = Integer.parseInt(System.getProperty("bench.iterations", "30"));
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 80, false);
        ThumbnailEncoder jpegEncoder = new ThumbnailEncoder(80, false);
        WebpEncoder webp80 = new WebpEncoder(80);
        System.out.printf("%-32s %7s %6s %7s %6s %6s %8s %7s %9s %9s%n", "file", "jpeg_B", "ssim", "webp_B", "ssim",
                "q_eq", "webp_eq_B", "saving", "jpeg_cpu", "webp_cpu");
        for (String name : args.length > 2 ? args[2].split(",") : new String[] {"small_480x369.jpg",
                "medium_1800x1200.jpg", "photo_2725x2225.jpg", "large_3840x2160.jpg", "up12mp_3834x3130.jpg",
                "photopng_2725x2225.png"}) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no " + file + " (corpus folder as first argument)");
            }
            RasterImage pixels = pipeline.pixels(Files.readAllBytes(file), 400, 300, FitMode.INSIDE, Deadline.none());
            byte[] jpeg = jpegEncoder.encode(pixels, OutputFormat.JPEG);
            double jpegSsim = ssim(pixels, ImageIO.read(new ByteArrayInputStream(jpeg)));
            byte[] webp = webp80.encode(pixels);
            double webpSsim = ssim(pixels, TestImages.decodeWebp(webp));
            int low = 1;
            int high = 100;
            while (low < high) { // smallest quality reaching the JPEG's SSIM (SSIM rises with quality)
                int mid = (low + high) / 2;
                if (ssim(pixels, TestImages.decodeWebp(new WebpEncoder(mid).encode(pixels))) >= jpegSsim) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            byte[] equal = new WebpEncoder(low).encode(pixels);
            double jpegMs = cpuMedian(() -> jpegEncoder.encode(pixels, OutputFormat.JPEG), iterations);
            double webpMs = cpuMedian(() -> webp80.encode(pixels), iterations);
            System.out.printf(Locale.ROOT, "%-32s %7d %6.4f %7d %6.4f %6d %8d %6.1f%% %9.2f %9.2f%n", name,
                    jpeg.length, jpegSsim, webp.length, webpSsim, low, equal.length,
                    100.0 * (jpeg.length - equal.length) / jpeg.length, jpegMs, webpMs);
            if (exchange != null) {
                exchange(exchange, name, pixels, jpegSsim);
            }
        }
    }

    /** Writes the pixels for sharp, or (second pass) reads sharp's WebP back and prints its size and SSIM. */
    private static void exchange(Path folder, String name, RasterImage pixels, double jpegSsim) throws IOException {
        Files.createDirectories(folder);
        Path sharp = folder.resolve(name + ".sharp.webp");
        if (Files.exists(sharp)) {
            byte[] bytes = Files.readAllBytes(sharp);
            System.out.printf(Locale.ROOT, "  sharp webp q80: %d bytes, ssim %.4f (jpeg %.4f)%n", bytes.length,
                    ssim(pixels, TestImages.decodeWebp(bytes)), jpegSsim);
            return;
        }
        Files.write(folder.resolve(name + ".rgb"), pixels.pixels());
        Files.writeString(folder.resolve(name + ".json"), String.format(Locale.ROOT,
                "{\"width\":%d,\"height\":%d,\"channels\":%d}", pixels.width(), pixels.height(), pixels.bands()));
    }

    private static double cpuMedian(Supplier<byte[]> encode, int iterations) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 10; i++) {
            encode.get();
        }
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = threads.getCurrentThreadCpuTime();
            encode.get();
            cpu[i] = threads.getCurrentThreadCpuTime() - start;
        }
        Arrays.sort(cpu);
        return cpu[iterations / 2] / 1e6;
    }

    /** Mean SSIM of the luma of {@code reference} and {@code decoded} (same size). */
    static double ssim(RasterImage reference, BufferedImage decoded) {
        int w = reference.width();
        int h = reference.height();
        double[] a = new double[w * h];
        double[] b = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                a[i] = reference.bands() >= 3 ? luma(reference.sample(x, y, 0), reference.sample(x, y, 1),
                        reference.sample(x, y, 2)) : reference.sample(x, y, 0);
                int rgb = decoded.getRGB(x, y);
                b[i] = luma(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF);
            }
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double total = 0;
        int windows = 0;
        for (int y = 0; y + 8 <= h; y += 4) {
            for (int x = 0; x + 8 <= w; x += 4) {
                double ma = 0;
                double mb = 0;
                for (int dy = 0; dy < 8; dy++) {
                    for (int dx = 0; dx < 8; dx++) {
                        ma += a[(y + dy) * w + x + dx];
                        mb += b[(y + dy) * w + x + dx];
                    }
                }
                ma /= 64;
                mb /= 64;
                double va = 0;
                double vb = 0;
                double cov = 0;
                for (int dy = 0; dy < 8; dy++) {
                    for (int dx = 0; dx < 8; dx++) {
                        double da = a[(y + dy) * w + x + dx] - ma;
                        double db = b[(y + dy) * w + x + dx] - mb;
                        va += da * da;
                        vb += db * db;
                        cov += da * db;
                    }
                }
                va /= 63;
                vb /= 63;
                cov /= 63;
                total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        return total / windows;
    }

    private static double luma(int r, int g, int b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }
}
