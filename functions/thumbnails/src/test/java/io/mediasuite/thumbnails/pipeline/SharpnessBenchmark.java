package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.jpeg.JpegCodingVariantsTest;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The sharpness benchmark (not a test; run by {@code functions/thumbnails/bench/sharpness.sh}): per corpus photo
 * and box (fit inside; the boxes of the {@code BOXES} environment variable), the Java thumbnail's pixels and
 * sharp's (PPM files written by {@code sharp-pixels.cjs}) against a Lanczos3 reduction of the full-resolution
 * decode (ImageIO with TwelveMonkeys, EXIF orientation applied, double precision, no pre-shrink), as PSNR in dB
 * and SSIM (luma, Gaussian window), plus each one's Laplacian variance on luma. Prints a table and the worst PSNR
 * gap Java - sharp. Synthetic files (the alpha drawing, the 16-bit flag) are left out; a box the image already
 * fits in is a re-encode, not a resample, and is left out too.
 */
public final class SharpnessBenchmark {

    private SharpnessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        Path sharpDir = Path.of(args[1]);
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 80, false);
        List<Path> files;
        try (var list = Files.list(corpus)) {
            files = list.filter(p -> p.toString().matches(".*\\.(jpe?g|png)$"))
                    .filter(p -> !p.getFileName().toString().startsWith("alpha_"))
                    .filter(p -> !p.getFileName().toString().startsWith("16bit_")).sorted().toList();
        }
        String[] boxes = System.getenv().getOrDefault("BOXES", "400x300").split(",");
        System.out.printf("%-34s %-10s %9s %9s %8s %10s %10s %9s %9s %7s%n", "file", "box", "java_dB", "sharp_dB",
                "gap_dB", "java_ssim", "sharp_ssim", "lap_java", "lap_sharp", "ratio");
        double worstGap = Double.POSITIVE_INFINITY;
        String worst = "";
        for (Path file : files) {
            byte[] source = Files.readAllBytes(file);
            for (String box : boxes) {
                String[] sides = box.split("x");
                int bw = Integer.parseInt(sides[0]);
                int bh = Integer.parseInt(sides[1]);
                RasterImage java = pipeline.pixels(source, bw, bh, FitMode.INSIDE, Deadline.none());
                SourceInfo info = pipeline.inspect(source);
                int displayWidth = info.orientation() >= 5 ? info.height() : info.width();
                if (java.width() == displayWidth) {
                    continue; // already inside the box: nothing resampled
                }
                double gap = row(file, box, source, java, sharpDir.resolve(file.getFileName() + "." + box + ".ppm"));
                if (gap < worstGap) {
                    worstGap = gap;
                    worst = file.getFileName() + " " + box;
                }
            }
        }
        System.out.printf(Locale.ROOT, "worst gap Java - sharp: %.2f dB (%s)%n", worstGap, worst);
    }

    /** One table row; returns the PSNR gap Java - sharp. */
    private static double row(Path file, String box, byte[] source, RasterImage java, Path sharpFile)
            throws Exception {
        int[] javaRgb = packed(java);
        BufferedImage sharp = JpegCodingVariantsTest.readPnm(Files.readAllBytes(sharpFile));
        int[] sharpRgb = Reference.rgb(sharp);
        int[] reference = lanczosReference(source, java.width(), java.height());
        double javaDb = Reference.psnr(javaRgb, reference);
        // sharp may round the output size differently (368 vs 367 px): it is scored at its own size.
        int[] sharpReference = sharp.getWidth() == java.width() && sharp.getHeight() == java.height()
                ? reference : lanczosReference(source, sharp.getWidth(), sharp.getHeight());
        double sharpDb = Reference.psnr(sharpRgb, sharpReference);
        if (System.getenv("LUMA") != null) {
            System.out.printf(Locale.ROOT, "  luma dB java %.2f sharp %.2f; chroma dB java %.2f sharp %.2f%n",
                    lumaPsnr(javaRgb, reference), lumaPsnr(sharpRgb, sharpReference),
                    chromaPsnr(javaRgb, reference), chromaPsnr(sharpRgb, sharpReference));
        }
        double lapJava = laplacianVariance(javaRgb, java.width(), java.height());
        double lapSharp = laplacianVariance(sharpRgb, sharp.getWidth(), sharp.getHeight());
        double ssimJava = Reference.ssim(javaRgb, reference, java.width());
        double ssimSharp = Reference.ssim(sharpRgb, sharpReference, sharp.getWidth());
        System.out.printf(Locale.ROOT, "%-34s %-10s %9.2f %9.2f %8.2f %10.5f %10.5f %9.1f %9.1f %7.2f%n",
                file.getFileName(), box, javaDb, sharpDb, javaDb - sharpDb, ssimJava, ssimSharp, lapJava, lapSharp,
                lapJava / lapSharp);
        return javaDb - sharpDb;
    }

    /** Full decode, orientation applied, Lanczos3 to {@code w x h} in double precision; packed RGB. */
    static int[] lanczosReference(byte[] source, int w, int h) throws Exception {
        BufferedImage full = ImageIO.read(new java.io.ByteArrayInputStream(source));
        int sw = full.getWidth();
        int sh = full.getHeight();
        int[] argb = full.getRGB(0, 0, sw, sh, null, 0, sw);
        byte[] rgb = new byte[sw * sh * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        int orientation = ImageFormat.sniff(source) == ImageFormat.JPEG ? JpegHeader.read(source).orientation() : 1;
        RasterImage oriented = Orientation.apply(new RasterImage(sw, sh, 3, rgb), orientation);
        return Reference.lanczos3(oriented.toBufferedImage(), w, h);
    }

    /** Variance of the 4-neighbour Laplacian of luma (BT.601), a common sharpness score. */
    static double laplacianVariance(int[] rgb, int w, int h) {
        double[] luma = new double[w * h];
        for (int i = 0; i < luma.length; i++) {
            int p = rgb[i];
            luma[i] = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
        }
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                double l = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4 * luma[i];
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    private static double lumaPsnr(int[] a, int[] b) {
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            double d = luma(a[i]) - luma(b[i]);
            sq += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / (sq / a.length));
    }

    /** PSNR over Cb and Cr (BT.601, full range) together. */
    private static double chromaPsnr(int[] a, int[] b) {
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            double du = cb(a[i]) - cb(b[i]);
            double dv = cr(a[i]) - cr(b[i]);
            sq += du * du + dv * dv;
        }
        return 10 * Math.log10(255.0 * 255.0 / (sq / (2.0 * a.length)));
    }

    private static double cb(int p) {
        return -0.168736 * ((p >> 16) & 0xFF) - 0.331264 * ((p >> 8) & 0xFF) + 0.5 * (p & 0xFF);
    }

    private static double cr(int p) {
        return 0.5 * ((p >> 16) & 0xFF) - 0.418688 * ((p >> 8) & 0xFF) - 0.081312 * (p & 0xFF);
    }

    private static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    private static int[] packed(RasterImage raster) {
        return JpegCodingVariantsTest.packed(raster);
    }
}
