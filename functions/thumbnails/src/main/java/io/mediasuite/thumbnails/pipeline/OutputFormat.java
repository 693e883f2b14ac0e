package io.mediasuite.thumbnails.pipeline;

/** What a thumbnail is encoded as. */
public enum OutputFormat {
    JPEG("image/jpeg"), PNG("image/png"), WEBP("image/webp");

    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** JPEG stays JPEG, PNG stays PNG, GIF becomes PNG (first frame), others JPEG unless they carry alpha. */
    static OutputFormat forSource(ImageFormat source, boolean alpha) {
        return switch (source) {
            case JPEG -> JPEG;
            case PNG, GIF -> PNG;
            case BMP -> alpha ? PNG : JPEG;
        };
    }
}
