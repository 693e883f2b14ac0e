package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.common.ApiException;
import java.util.List;

/**
 * Why a source image is refused, in fixed public words: the reason goes into the error body's {@code fields}
 * as {@code {"field": "source", "message": ...}} next to the status's fixed message, so a client learns what to
 * change (re-save the file as 8-bit, make it smaller) while the internal detail stays in the log.
 */
public enum ImageRefusal {
    TWELVE_BIT_JPEG(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "JPEG with 12-bit samples is not supported"),
    CORRUPT(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "the image is corrupt or truncated"),
    UNSUPPORTED(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "this image format or variant is not supported"),
    OVER_BUDGET(ApiException.Kind.PAYLOAD_TOO_LARGE, "decoding this image needs more memory or time than allowed"),
    TOO_MANY_PIXELS(ApiException.Kind.PAYLOAD_TOO_LARGE, "the image has more pixels than allowed"),
    BAD_DIMENSIONS(ApiException.Kind.PAYLOAD_TOO_LARGE, "the image's width or height is out of range");

    private final ApiException.Kind kind;
    private final String reason;

    ImageRefusal(ApiException.Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    public ApiException.Kind kind() {
        return kind;
    }

    /** The public reason (fixed text). */
    public String reason() {
        return reason;
    }

    /** The exception answering it; {@code detail} is for the log only. */
    public ApiException exception(String detail, Throwable cause) {
        return new ApiException(kind, detail, List.of(new ApiException.FieldError("source", reason)), cause);
    }

    public ApiException exception(String detail) {
        return exception(detail, null);
    }
}
