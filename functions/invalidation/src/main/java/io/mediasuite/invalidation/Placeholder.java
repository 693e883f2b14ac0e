package io.mediasuite.invalidation;
/** Placeholder. */
final class Placeholder { private Placeholder() { } }
