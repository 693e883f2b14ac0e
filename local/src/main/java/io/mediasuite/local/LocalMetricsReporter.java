package io.mediasuite.local;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a developer the numbers CloudWatch would show: every few seconds, when the functions emitted new metrics,
 * prints a summary table on stderr and rewrites {@code metrics.json} (sums per metric and invocations per
 * function) beside the suite's state file, for scripts such as {@code bench/cost-model.py}.
 */
public final class LocalMetricsReporter implements AutoCloseable {

    private final LocalMetrics metrics;
    private final Path file;
    private final ScheduledExecutorService timer;
    private long reported = -1;

    private LocalMetricsReporter(LocalMetrics metrics, Path file) {
        this.metrics = metrics;
        this.file = file;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sam-local-metrics");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reports {@link LocalMetrics#shared()} into {@code file} every {@code periodSeconds}. */
    public static LocalMetricsReporter start(Path file, int periodSeconds) {
        LocalMetricsReporter reporter = new LocalMetricsReporter(LocalMetrics.shared(), file);
        reporter.timer.scheduleWithFixedDelay(reporter::reportIfChanged, periodSeconds, periodSeconds,
                TimeUnit.SECONDS);
        return reporter;
    }

    /** Writes the file and prints the table when something was emitted since the last report. */
    synchronized void reportIfChanged() {
        long changes = metrics.changes();
        if (changes == reported) {
            return;
        }
        reported = changes;
        Jsons.writeAtomically(file, metrics.toJson());
        System.err.println("sam-local: metrics so far (sums; " + file + "):");
        metrics.summary().forEach(line -> System.err.println("  " + line));
    }

    /** Stops the timer after a last report. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            reportIfChanged();
        } catch (UncheckedIOException e) {
            System.err.println("sam-local: " + e.getMessage());
        }
    }
}
