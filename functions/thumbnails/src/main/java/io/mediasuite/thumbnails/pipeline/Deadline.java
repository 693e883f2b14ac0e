package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.common.ApiException;

/**
 * A point in time after which work on a request is abandoned with a 503, checked cooperatively by the decoders
 * (every few MCU rows or PNG rows), so a slow image cannot run into the Lambda timeout and leave the client with
 * API Gateway's generic 502/504.
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    private final long expiresAtNanos;

    private Deadline(long expiresAtNanos) {
        this.expiresAtNanos = expiresAtNanos;
    }

    /** A deadline {@code millis} from now (0 or less: already expired). */
    public static Deadline inMillis(long millis) {
        return new Deadline(System.nanoTime() + Math.max(0, millis) * 1_000_000L);
    }

    /** No deadline (benchmarks, tests of pure pipeline steps). */
    public static Deadline none() {
        return NONE;
    }

    public boolean expired() {
        return expiresAtNanos != Long.MAX_VALUE && System.nanoTime() - expiresAtNanos >= 0;
    }

    /** Milliseconds left (Long.MAX_VALUE without a deadline, 0 once expired). */
    public long remainingMillis() {
        if (expiresAtNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (expiresAtNanos - System.nanoTime()) / 1_000_000L);
    }

    /** Throws a 503 when the deadline has passed. */
    public void check() {
        if (expired()) {
            throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE, "thumbnail deadline exceeded");
        }
    }
}
