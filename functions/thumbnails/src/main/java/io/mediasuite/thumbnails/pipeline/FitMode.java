package io.mediasuite.thumbnails.pipeline;

/** How a thumbnail fills its box. */
public enum FitMode {
    /** The whole image, fitted inside the box, aspect ratio kept (the default). */
    INSIDE,
    /** The box filled exactly: the image is scaled to cover it and the overflow is cropped around the centre. */
    COVER
}
