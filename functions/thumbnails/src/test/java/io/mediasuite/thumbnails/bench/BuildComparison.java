package io.mediasuite.thumbnails.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Two builds of the pipeline in one JVM (not a test): each loaded from its own class path by its own class loader,
 * the same thumbnail rendered by one and then the other, again and again, CPU time per render. On a machine whose
 * speed drifts by tens of percent within minutes, separate runs cannot show a change of a few percent; renders
 * interleaved one by one see the same drift, so the median of the per-pair ratios can. Prints per case the median
 * CPU ms of each build and the median ratio B / A with its quartiles.
 *
 * <p>Arguments: class path A, class path B, then cases {@code file:width:height[:cover]} (file relative to the
 * {@code corpus} property's folder, or absolute). Run with {@code functions/thumbnails/bench/ab.sh}.
 */
public final class BuildComparison {

    private BuildComparison() {
    }

    /** One build's pipeline and its render method, reached by reflection through the build's own loader. */
    private record Build(Object pipeline, Method render, Object inside, Object cover, Object deadline) {

        static Build load(String classPath) throws Exception {
            String[] parts = classPath.split(java.io.File.pathSeparator);
            URL[] urls = new URL[parts.length];
            for (int i = 0; i < parts.length; i++) {
                urls[i] = Path.of(parts[i]).toUri().toURL();
            }
            ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            Class<?> pipeline = loader.loadClass("io.mediasuite.thumbnails.pipeline.ThumbnailPipeline");
            Class<?> fit = loader.loadClass("io.mediasuite.thumbnails.pipeline.FitMode");
            Class<?> deadline = loader.loadClass("io.mediasuite.thumbnails.pipeline.Deadline");
            Object instance = pipeline.getConstructor(long.class, int.class, boolean.class)
                    .newInstance(100_000_000L, 80, false);
            Method render = pipeline.getMethod("render", byte[].class, int.class, int.class, fit, boolean.class,
                    deadline);
            return new Build(instance, render, fit.getField("INSIDE").get(null), fit.getField("COVER").get(null),
                    deadline.getMethod("none").invoke(null));
        }

        void render(byte[] source, int width, int height, boolean cover) throws Exception {
            render.invoke(pipeline, source, width, height, cover ? this.cover : inside, false, deadline);
        }
    }

    public static void main(String[] args) throws Exception {
        Build a = Build.load(args[0]);
        Build b = Build.load(args[1]);
        Path corpus = Path.of(System.getProperty("corpus", "."));
        int rounds = Integer.getInteger("rounds", 40);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int c = 2; c < args.length; c++) {
            String[] spec = args[c].split(":");
            byte[] source = Files.readAllBytes(corpus.resolve(spec[0]));
            int width = Integer.parseInt(spec[1]);
            int height = Integer.parseInt(spec[2]);
            boolean cover = spec.length > 3 && spec[3].equals("cover");
            double[] msA = new double[rounds];
            double[] msB = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = -10; r < rounds; r++) { // 10 warm-up pairs
                long start = cpu.getCurrentThreadCpuTime();
                a.render(source, width, height, cover);
                long middle = cpu.getCurrentThreadCpuTime();
                b.render(source, width, height, cover);
                long end = cpu.getCurrentThreadCpuTime();
                if (r >= 0) {
                    msA[r] = (middle - start) / 1e6;
                    msB[r] = (end - middle) / 1e6;
                    ratio[r] = msB[r] / msA[r];
                }
            }
            Arrays.sort(msA);
            Arrays.sort(msB);
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "%-34s %5dx%-5d %-6s A %7.1f ms  B %7.1f ms  B/A %.3f (quartiles %.3f-%.3f)%n",
                    spec[0], width, height, cover ? "cover" : "inside", msA[rounds / 2], msB[rounds / 2],
                    ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
        }
    }
}
