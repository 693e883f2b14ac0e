package io.mediasuite.thumbnails.pipeline;

/** The bytes claim to be an image of a known format but are truncated or malformed (answered with a 415). */
public final class CorruptImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptImageException(String detail) {
        super(detail);
    }

    public CorruptImageException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
