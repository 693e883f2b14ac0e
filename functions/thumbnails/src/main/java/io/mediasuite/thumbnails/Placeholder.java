package io.mediasuite.thumbnails;
/** Placeholder. */
final class Placeholder { private Placeholder() { } }
