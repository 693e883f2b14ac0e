package io.mediasuite.thumbnails.pipeline;

/**
 * What the guard learnt from a source's header: format, stored dimensions and EXIF orientation. Holds the parsed
 * header so the decoder does not parse it twice.
 */
public record SourceInfo(ImageFormat format, int width, int height, int orientation, Object header) {

    public long pixels() {
        return (long) width * height;
    }
}
