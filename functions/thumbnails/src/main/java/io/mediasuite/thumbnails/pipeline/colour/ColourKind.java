package io.mediasuite.thumbnails.pipeline.colour;

/** What the decoded planes of an image mean, before conversion to sRGB. */
public enum ColourKind {
    /** One plane of gray levels. */
    GRAY,
    /** R, G, B planes. */
    RGB,
    /** JFIF Y, Cb, Cr planes (BT.601 full range). */
    YCBCR,
    /** C, M, Y, K ink planes, 0 = no ink. */
    CMYK,
    /** C, M, Y, K planes as Adobe writes them, 255 = no ink. */
    CMYK_INVERTED,
    /** Adobe YCCK: YCbCr-coded inverted C, M, Y plus inverted K. */
    YCCK,
    UNSUPPORTED;

    /** Whether the planes are printing ink (CMYK, inverted CMYK or YCCK), converted through a press profile. */
    public boolean ink() {
        return this == CMYK || this == CMYK_INVERTED || this == YCCK;
    }
}
