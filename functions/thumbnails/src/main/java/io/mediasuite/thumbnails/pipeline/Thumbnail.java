package io.mediasuite.thumbnails.pipeline;

/** An encoded thumbnail. */
public record Thumbnail(byte[] bytes, OutputFormat format, int width, int height) {

    public String contentType() {
        return format.contentType();
    }
}
