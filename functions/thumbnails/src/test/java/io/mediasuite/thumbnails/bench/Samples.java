package io.mediasuite.thumbnails.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Wall and CPU times of repeated runs of one task, and their medians. Samples may come from this thread
 * ({@link #time(Runnable)}: the thread's own CPU time, which a shared machine disturbs less than wall time) or from
 * elsewhere ({@link #add}: e.g. sharp's, measured in node), so that several interleaved batches make one median.
 */
public final class Samples {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private double[] wallMs = new double[16];
    private double[] cpuMs = new double[16];
    private int count;

    /** Runs {@code task} once on this thread and records its wall and thread-CPU time. */
    public void time(Runnable task) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        task.run();
        long wall = System.nanoTime() - start;
        add(wall / 1e6, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }

    public void add(double wall, double cpu) {
        if (count == wallMs.length) {
            wallMs = Arrays.copyOf(wallMs, count * 2);
            cpuMs = Arrays.copyOf(cpuMs, count * 2);
        }
        wallMs[count] = wall;
        cpuMs[count] = cpu;
        count++;
    }

    public int count() {
        return count;
    }

    public double medianMs() {
        return median(wallMs);
    }

    public double medianCpuMs() {
        return median(cpuMs);
    }

    private double median(double[] values) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        // The upper median for an even count, as the benchmarks have always reported it.
        return sorted[count / 2];
    }
}
