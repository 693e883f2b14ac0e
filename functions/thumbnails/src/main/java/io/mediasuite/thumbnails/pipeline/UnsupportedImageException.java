package io.mediasuite.thumbnails.pipeline;

/**
 * A well-formed file using a feature a fast decoder does not implement. Inside the pipeline it means "try the
 * ImageIO decoder"; when that cannot read the file either, the request is answered with a 415.
 */
public final class UnsupportedImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedImageException(String detail) {
        super(detail);
    }
}
