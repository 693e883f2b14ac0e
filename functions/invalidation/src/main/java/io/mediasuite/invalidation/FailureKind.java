package io.mediasuite.invalidation;

/** Why an item failed; every kind leaves the item failed, so its event source retries or dead-letters it. */
public enum FailureKind {
    /** {@code TooManyInvalidationsInProgress}: in-flight limits reached; retry once earlier ones complete. */
    LIMIT,
    /** {@code Throttling: Rate exceeded}, after the SDK's own retries. */
    THROTTLED,
    /** CloudFront answered 5xx or could not be reached. */
    UNAVAILABLE,
    /** CloudFront refused the request (no such distribution, access denied, invalid argument). */
    REJECTED,
    /** The item could not be read at all; retrying cannot help, it belongs in the dead-letter queue. */
    POISON
}
