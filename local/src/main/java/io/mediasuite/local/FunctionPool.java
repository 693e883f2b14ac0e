package io.mediasuite.local;

import static io.mediasuite.local.template.SamTemplate.map;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The execution environments of one function, as Lambda keeps them: an invocation takes an idle instance, or
 * starts a new one (its own {@link LocalLambda}: own class loader, own init, i.e. its own cold start) when every
 * instance is busy and the function's concurrency allows one more; an instance goes back to the idle set when
 * its invocation ends and is reused by the next. Beyond the limit, a synchronous {@link #invoke} is throttled
 * ({@link ThrottledException}, Lambda's 429), while pollers use {@link #invokeWhenFree} and wait, as Lambda's
 * event source mappings back off.
 *
 * <p>The limit is the function's {@code ReservedConcurrentExecutions} when it has one, else the largest
 * {@code ScalingConfig.MaximumConcurrency} of its event sources, else {@link #LOCAL_DEFAULT_CONCURRENCY}; locally it
 * never exceeds {@link #LOCAL_MAX_CONCURRENCY}, because every instance holds its own copy of the function's
 * classes in this one JVM (see {@link #limitFor}).
 */
public final class FunctionPool implements FunctionInvoker, AutoCloseable {

    /** Instances a function may run at once when the template sets no bound (Lambda's is the account's quota). */
    public static final int LOCAL_DEFAULT_CONCURRENCY = 4;
    /** Ceiling on any function's local instances: each loads its artifact into the runner's heap. */
    public static final int LOCAL_MAX_CONCURRENCY = 10;

    private final FunctionSpec spec;
    private final int limit;
    private final Function<FunctionSpec, LocalLambda> loader;
    private final Semaphore permits;
    private final Deque<LocalLambda> idle = new ArrayDeque<>();
    private final List<LocalLambda> instances = new ArrayList<>();
    private final AtomicInteger throttles = new AtomicInteger();
    private boolean closed;

    /** A pool of at most {@code limit} instances of {@code spec}, loaded with {@link LocalLambda#load}. */
    public FunctionPool(FunctionSpec spec, int limit) {
        this(spec, limit, LocalLambda::load);
    }

    FunctionPool(FunctionSpec spec, int limit, Function<FunctionSpec, LocalLambda> loader) {
        if (limit < 0) {
            throw new IllegalArgumentException("concurrency limit must be >= 0, got " + limit);
        }
        this.spec = spec;
        this.limit = limit;
        this.loader = loader;
        this.permits = new Semaphore(limit, true);
    }

    /**
     * The function's local concurrency limit: its resolved {@code ReservedConcurrentExecutions}, else the largest
     * {@code ScalingConfig.MaximumConcurrency} of its SQS event sources, else {@link #LOCAL_DEFAULT_CONCURRENCY};
     * capped at {@link #LOCAL_MAX_CONCURRENCY}.
     */
    public static int limitFor(LocalCloud cloud, String logicalId) {
        Object reserved = cloud.template().functionProperty(logicalId, "ReservedConcurrentExecutions")
                .map(cloud::resolve).orElse(null);
        if (reserved != null) {
            return Math.min(LOCAL_MAX_CONCURRENCY, Integer.parseInt(String.valueOf(reserved)));
        }
        int fromSources = 0;
        for (Object raw : map(cloud.template().properties(logicalId).get("Events")).values()) {
            Object scaling = map(map(map(raw).get("Properties")).get("ScalingConfig")).get("MaximumConcurrency");
            if (scaling != null) {
                fromSources = Math.max(fromSources, Integer.parseInt(String.valueOf(cloud.resolve(scaling))));
            }
        }
        return Math.min(LOCAL_MAX_CONCURRENCY, fromSources > 0 ? fromSources : LOCAL_DEFAULT_CONCURRENCY);
    }

    /** One pool per function id, each with its {@link #limitFor limit}, for the given specs. */
    public static Map<String, FunctionPool> forFunctions(LocalCloud cloud, Map<String, FunctionSpec> specs) {
        Map<String, FunctionPool> pools = new java.util.LinkedHashMap<>();
        specs.forEach((id, spec) -> pools.put(id, new FunctionPool(spec, limitFor(cloud, id))));
        return pools;
    }

    @Override
    public FunctionSpec spec() {
        return spec;
    }

    /** The most instances this pool runs at once. */
    public int limit() {
        return limit;
    }

    /** Instances started so far (each one cold start). */
    public synchronized int instancesStarted() {
        return instances.size();
    }

    /** Invocations refused because every allowed instance was busy. */
    public int throttles() {
        return throttles.get();
    }

    /**
     * Runs the invocation on a free instance, or throttles it at once when the function already runs
     * {@link #limit()} invocations, as a synchronous Invoke does.
     *
     * @throws ThrottledException when every allowed instance is busy
     */
    @Override
    public byte[] invoke(byte[] event) {
        if (!permits.tryAcquire()) {
            throttles.incrementAndGet();
            throw new ThrottledException(spec.logicalId(), limit);
        }
        return runHoldingPermit(event);
    }

    /** Runs the invocation on the next free instance, waiting for one (how event source pollers invoke). */
    public byte[] invokeWhenFree(byte[] event) throws InterruptedException {
        while (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException(spec.logicalId() + ": pool closed");
                }
            }
        }
        return runHoldingPermit(event);
    }

    private byte[] runHoldingPermit(byte[] event) {
        LocalLambda instance = null;
        try {
            instance = take();
            return instance.invoke(event);
        } finally {
            if (instance != null) {
                giveBack(instance);
            }
            permits.release();
        }
    }

    private LocalLambda take() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(spec.logicalId() + ": pool closed");
            }
            LocalLambda free = idle.pollFirst();
            if (free != null) {
                return free;
            }
        }
        // Init outside the lock: a cold start must not hold up invocations that could use a warm instance.
        LocalLambda fresh = loader.apply(spec);
        synchronized (this) {
            instances.add(fresh);
            return fresh;
        }
    }

    private void giveBack(LocalLambda instance) {
        synchronized (this) {
            if (!closed) {
                // Most recently used first, as Lambda favours warm environments.
                idle.addFirst(instance);
                return;
            }
        }
        instance.close();
    }

    /**
     * Starts one instance ahead of the first invocation (as provisioned concurrency would), so an init failure
     * shows at start-up; returns its init time in milliseconds.
     */
    public long prewarm() {
        LocalLambda instance = loader.apply(spec);
        synchronized (this) {
            instances.add(instance);
            idle.addFirst(instance);
        }
        return instance.initMillis();
    }

    /** Closes every idle instance; busy ones close when their invocation ends. */
    @Override
    public void close() {
        List<LocalLambda> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(LocalLambda::close);
    }

    /** Lambda's TooManyRequestsException: the function runs as many invocations as its concurrency allows. */
    public static final class ThrottledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThrottledException(String logicalId, int limit) {
            super("Rate Exceeded: " + logicalId + " already runs " + limit + " concurrent invocation"
                    + (limit == 1 ? "" : "s"));
        }
    }
}
