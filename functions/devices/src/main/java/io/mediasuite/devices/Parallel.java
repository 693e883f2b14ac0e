package io.mediasuite.devices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Bounded fan-out of blocking calls: one virtual thread per item, at most as many running as {@code permits}
 * allows. The SDK's sync clients block on I/O; a blocked virtual thread costs a few hundred bytes, so the bound
 * that matters is the semaphore (what the downstream service and the connection pool can take), not a pool size.
 */
public final class Parallel {

    private Parallel() {
    }

    /**
     * Runs {@code action} for every item and waits for all of them.
     *
     * @throws RuntimeException the first failure of an action (the others still ran to completion)
     */
    public static <T> void forEach(List<T> items, Semaphore permits, Consumer<T> action) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(executor.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        action.accept(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel calls", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("a parallel call failed", e.getCause());
        }
    }
}
