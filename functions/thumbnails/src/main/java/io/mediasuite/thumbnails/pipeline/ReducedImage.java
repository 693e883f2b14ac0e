package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.colour.ColourKind;

/**
 * A decoded and already reduced image, still in its source colour space: one {@code width x height} byte plane
 * per colour component, an optional alpha plane (colour planes are then premultiplied by alpha), and the
 * embedded ICC profile if there was one. Orientation is not applied yet.
 */
public record ReducedImage(int width, int height, ColourKind kind, byte[][] planes, byte[] alpha, byte[] icc) {
}
