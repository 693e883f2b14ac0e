package io.mediasuite.devices;
/** Placeholder. */
final class Placeholder { private Placeholder() { } }
