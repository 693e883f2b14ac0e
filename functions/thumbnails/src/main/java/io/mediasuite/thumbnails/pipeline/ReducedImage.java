package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.colour.ColourKind;

/**
 * A decoded and already reduced image, still in its source colour space: one {@code width x height} byte plane
 * per colour component, an optional alpha plane (colour planes are then premultiplied by alpha), and the
 * embedded ICC profile if there was one. Orientation is not applied yet. With {@code halfChroma} (YCbCr only),
 * planes 1 and 2 are {@code ceil(width / 2) x ceil(height / 2)}: the chroma of a 4:2:0 JPEG thumbnail.
 */
public record ReducedImage(int width, int height, ColourKind kind, byte[][] planes, byte[] alpha, byte[] icc,
                           boolean halfChroma) {

    /** Every plane {@code width x height}. */
    public ReducedImage(int width, int height, ColourKind kind, byte[][] planes, byte[] alpha, byte[] icc) {
        this(width, height, kind, planes, alpha, icc, false);
    }
}
