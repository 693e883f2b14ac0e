package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.TestImages;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The hostile-input run (a program, run in its own JVM with a Lambda-like heap cap by
 * {@link HostileInputFuzzTest} and by {@code functions/thumbnails/bench/fuzz.sh}): first the known expensive
 * files of {@link HostileImages}, which must be refused with a 4xx, then {@code count} seeded mutations of seed
 * images. Every render must end in a thumbnail or a 4xx, within {@link #TIME_BUDGET_MS} of CPU time (CPU, not
 * wall time: the CI machine is shared, and a busy neighbour must not fail the run), and a refusal must come from
 * the pipeline's own validation: an {@code ApiException} caused by a raw {@code RuntimeException} means a decoder
 * tripped over bytes it did not check. Prints one line per violation and a summary; exits 1 on any violation.
 *
 * <p>Arguments: {@code seed count [corpus-dir]}; with a corpus directory its JPEG/PNG/GIF files join the seeds.
 */
public final class FuzzRun {

    static final long TIME_BUDGET_MS = 2_000;
    private static final int[][] BOXES = {{400, 300}, {150, 150}, {800, 600}, {400, 0}};

    private FuzzRun() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        Map<String, byte[]> seeds = seeds(args.length > 2 ? Path.of(args[2]) : null);
        ThumbnailPipeline pipeline = new ThumbnailPipeline(50_000_000L, 80, false);
        List<String> violations = new ArrayList<>();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        long worstMs = 0;

        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("png 1x49000000", HostileImages.tallPng());
        hostile.put("png 49000000x1", HostileImages.widePng());
        hostile.put("lossless jpeg 7071x7071", HostileImages.losslessJpeg(7071, 38_000));
        hostile.put("png 7000x7000 16-bit", HostileImages.sixteenBitPng());
        hostile.put("png 7000x7000 adam7", HostileImages.interlacedPng());
        for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
            Outcome o = render(pipeline, e.getValue(), BOXES[0], false, false);
            worstMs = Math.max(worstMs, o.cpuMs);
            if (o.status < 400 || o.status >= 500 || o.problem != null) {
                violations.add(e.getKey() + ": expected a 4xx, got " + o);
            }
        }

        Random random = new Random(seed);
        List<String> names = new ArrayList<>(seeds.keySet());
        for (int i = 0; i < count; i++) {
            String name = names.get(random.nextInt(names.size()));
            byte[] mutated = mutate(seeds.get(name), random);
            int[] box = BOXES[random.nextInt(BOXES.length)];
            boolean cover = random.nextInt(4) == 0 && box[1] > 0;
            boolean webp = random.nextInt(4) == 0; // a quarter as WebP: libwebp gets whatever the decoders made
            Outcome o = render(pipeline, mutated, box, cover, webp);
            worstMs = Math.max(worstMs, o.cpuMs);
            outcomes.merge(o.status == 200 ? "200" : o.status + " " + o.detailKind, 1, Integer::sum);
            if (o.status >= 500 || o.problem != null || o.cpuMs > TIME_BUDGET_MS) {
                String file = "fuzz-" + seed + "-" + i + "-" + name;
                violations.add(file + ": " + o);
                Path dump = Path.of(System.getProperty("java.io.tmpdir"), file);
                Files.write(dump, mutated);
            }
        }
        for (String v : violations) {
            System.out.println("VIOLATION " + v);
        }
        System.out.printf(Locale.ROOT, "fuzz seed=%d mutations=%d hostile=%d violations=%d worst_cpu_ms=%d "
                        + "max_heap_mb=%d outcomes=%s%n", seed, count, hostile.size(), violations.size(), worstMs,
                Runtime.getRuntime().maxMemory() >> 20, outcomes);
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    record Outcome(int status, String detailKind, long cpuMs, String problem) {
    }

    private static Outcome render(ThumbnailPipeline pipeline, byte[] source, int[] box, boolean cover,
                                  boolean webp) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int status;
        String kind = "";
        String problem = null;
        try {
            pipeline.render(source, box[0], box[1], cover ? FitMode.COVER : FitMode.INSIDE, webp, Deadline.none());
            status = 200;
        } catch (ApiException e) {
            status = e.kind().status();
            kind = e.fieldErrors().isEmpty() ? "-" : e.fieldErrors().get(0).message();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException && !(cause instanceof CorruptImageException)
                    && !(cause instanceof UnsupportedImageException) && !(cause instanceof ApiException)) {
                problem = "unvalidated " + cause;
            }
        } catch (Throwable e) {
            status = 500;
            problem = e.toString();
        }
        long cpuMs = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;
        return new Outcome(status, kind, cpuMs, problem);
    }

    /** One to three random edits: flipped bytes, a random range, a truncation, a duplicated or deleted run. */
    static byte[] mutate(byte[] source, Random random) {
        byte[] data = source.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && data.length > 16; e++) {
            // Headers decide what decoders allocate: half the edits land in the first 1 KB.
            int limit = random.nextBoolean() ? Math.min(1024, data.length) : data.length;
            int at = random.nextInt(limit);
            switch (random.nextInt(6)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) random.nextInt(256);
                case 2 -> {
                    int n = Math.min(data.length - at, 1 + random.nextInt(64));
                    for (int i = 0; i < n; i++) {
                        data[at + i] = (byte) random.nextInt(256);
                    }
                }
                case 3 -> data = java.util.Arrays.copyOf(data, Math.max(8, at));
                case 4 -> {
                    int n = Math.min(data.length - at, 1 + random.nextInt(256));
                    byte[] longer = new byte[data.length + n];
                    System.arraycopy(data, 0, longer, 0, at + n);
                    System.arraycopy(data, at, longer, at + n, data.length - at);
                    data = longer;
                }
                default -> {
                    int n = Math.min(data.length - at - 1, 1 + random.nextInt(256));
                    byte[] shorter = new byte[data.length - Math.max(0, n)];
                    System.arraycopy(data, 0, shorter, 0, at);
                    System.arraycopy(data, at + Math.max(0, n), shorter, at, data.length - at - Math.max(0, n));
                    data = shorter;
                }
            }
        }
        return data;
    }

    /** Small seeds of every decoder path: JPEG codings, PNG kinds, GIF, BMP, interlaced PNG. */
    static Map<String, byte[]> seeds(Path corpus) throws Exception {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String file : new String[] {"small_480x369.jpg", "progressive_restart1row_480x369.jpg",
            "arithmetic_480x369.jpg", "progressive_arithmetic_restart1block_480x369.jpg", "16bit_900x600.png"}) {
            seeds.put(file, TestImages.resource(file));
        }
        BufferedImage rgb = TestImages.photoLike(160, 120, BufferedImage.TYPE_3BYTE_BGR);
        seeds.put("progressive.jpg", ThumbnailEncoderTest.progressiveJpeg(rgb));
        seeds.put("rgba.png", TestImages.encode(TestImages.photoLike(160, 120, BufferedImage.TYPE_INT_ARGB), "png"));
        seeds.put("gray.png", TestImages.encode(TestImages.photoLike(160, 120, BufferedImage.TYPE_BYTE_GRAY), "png"));
        seeds.put("palette.gif", TestImages.encode(rgb, "gif"));
        seeds.put("rgb.bmp", TestImages.encode(rgb, "bmp"));
        seeds.put("adam7.png", HostileImages.png(97, 61, 8, 6, true));
        seeds.put("lossless.jpg", HostileImages.losslessJpeg(64, 600));
        if (corpus != null && Files.isDirectory(corpus)) {
            try (var files = Files.list(corpus)) {
                for (Path f : files.filter(p -> p.toString().matches(".*\\.(jpe?g|png|gif)$")).sorted().toList()) {
                    seeds.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
        }
        return seeds;
    }
}
