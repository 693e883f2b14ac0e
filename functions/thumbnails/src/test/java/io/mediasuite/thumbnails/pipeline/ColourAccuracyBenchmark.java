package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.colour.ColourConverter;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegCodingVariantsTest;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The colour accuracy benchmark (not a test; run by {@code functions/thumbnails/bench/colour.sh}). Per image, at
 * full size so that only colour conversion differs: PSNR of Java's pixels against TwelveMonkeys' decode and
 * against sharp's (PPM files written by {@code colour-pixels.cjs}), of TwelveMonkeys against sharp, and Java's
 * mean signed error per channel against TwelveMonkeys. For 4-component JPEGs a second table asks what converting
 * after reduction (as the pipeline does) costs: the decoded ink planes reduced with Lanczos3 to the 400x300
 * thumbnail size and then converted, against the reference (TwelveMonkeys' decode reduced with Lanczos3), next to
 * Java's converted full-size pixels reduced the same way, and the pipeline's own thumbnail.
 */
public final class ColourAccuracyBenchmark {

    private ColourAccuracyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path sharpDir = Path.of(args[0]);
        ThumbnailPipeline pipeline = new ThumbnailPipeline(100_000_000L, 80, false);
        System.out.printf("%-26s %9s %9s %9s   %s%n", "full size", "java/tm", "java/vips", "tm/vips",
                "java - tm mean R G B");
        StringBuilder order = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            byte[] source = Files.readAllBytes(file);
            RasterImage java = pipeline.pixels(source, 100_000, 100_000, FitMode.INSIDE, Deadline.none());
            int[] javaRgb = JpegCodingVariantsTest.packed(java);
            // Lanczos3 at scale 1 is the identity: this is TwelveMonkeys' decode, oriented
            int[] reference = SharpnessBenchmark.lanczosReference(source, java.width(), java.height());
            int[] sharp = Reference.rgb(JpegCodingVariantsTest.readPnm(Files.readAllBytes(
                    sharpDir.resolve(file.getFileName() + ".ppm"))));
            double[] bias = meanError(javaRgb, reference);
            System.out.printf(Locale.ROOT, "%-26s %9.2f %9.2f %9.2f   %+.2f %+.2f %+.2f%n", file.getFileName(),
                    Reference.psnr(javaRgb, reference), Reference.psnr(javaRgb, sharp),
                    Reference.psnr(reference, sharp), bias[0], bias[1], bias[2]);
            if (ImageFormat.sniff(source) == ImageFormat.JPEG && JpegHeader.read(source).components().size() == 4) {
                order.append(reductionOrder(pipeline, file, source));
            }
        }
        if (!order.isEmpty()) {
            System.out.printf("%n%-26s %9s %9s %9s%n", "400x300 vs reference", "reduce1st", "convert1st",
                    "pipeline");
            System.out.print(order);
        }
    }

    /** One row of the second table (PSNR dB against the Lanczos3 reduction of TwelveMonkeys' decode). */
    private static String reductionOrder(ThumbnailPipeline pipeline, Path file, byte[] source) throws Exception {
        RasterImage thumbnail = pipeline.pixels(source, 400, 300, FitMode.INSIDE, Deadline.none());
        int w = thumbnail.width();
        int h = thumbnail.height();
        JpegHeader header = JpegHeader.read(source);
        ReducedImage planes = JpegDecoder.decode(source, header,
                ResizePlan.of(header.width(), header.height(), 1, header.width(), header.height(), FitMode.INSIDE),
                new DecodeBudget(DecodeBudget.DEFAULT_MAX_BYTES), Deadline.none());
        int[] reference = SharpnessBenchmark.lanczosReference(source, w, h);
        // Lanczos3 on the ink planes, three at a time (the reference kernel works on packed RGB)
        byte[][] full = planes.planes();
        int[] first = Reference.lanczos3(packed(full[0], full[1], full[2], planes.width(), planes.height()), w, h);
        int[] fourth = Reference.lanczos3(packed(full[3], full[3], full[3], planes.width(), planes.height()), w, h);
        byte[][] reduced = new byte[4][w * h];
        for (int i = 0; i < w * h; i++) {
            reduced[0][i] = (byte) (first[i] >> 16);
            reduced[1][i] = (byte) (first[i] >> 8);
            reduced[2][i] = (byte) first[i];
            reduced[3][i] = (byte) (fourth[i] >> 16);
        }
        RasterImage reduceFirst = ColourConverter.toSrgb(new ReducedImage(w, h, planes.kind(), reduced, null,
                header.icc()));
        RasterImage converted = ColourConverter.toSrgb(planes);
        int[] convertFirst = Reference.lanczos3(converted.toBufferedImage(), w, h);
        return String.format(Locale.ROOT, "%-26s %9.2f %9.2f %9.2f%n", file.getFileName(),
                Reference.psnr(JpegCodingVariantsTest.packed(reduceFirst), reference),
                Reference.psnr(convertFirst, reference),
                Reference.psnr(JpegCodingVariantsTest.packed(thumbnail), reference));
    }

    private static BufferedImage packed(byte[] r, byte[] g, byte[] b, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = r[i];
            rgb[3 * i + 1] = g[i];
            rgb[3 * i + 2] = b[i];
        }
        return new RasterImage(w, h, 3, rgb).toBufferedImage();
    }

    private static double[] meanError(int[] a, int[] b) {
        double[] sum = new double[3];
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < 3; c++) {
                int shift = 16 - 8 * c;
                sum[c] += ((a[i] >> shift) & 0xFF) - ((b[i] >> shift) & 0xFF);
            }
        }
        for (int c = 0; c < 3; c++) {
            sum[c] /= a.length;
        }
        return sum;
    }
}
