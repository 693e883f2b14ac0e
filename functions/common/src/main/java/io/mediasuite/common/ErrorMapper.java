package io.mediasuite.common;

import com.fasterxml.jackson.core.JacksonException;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one mapping from an exception to what a client is told. Known failures keep their {@link ApiException.Kind};
 * malformed JSON is a 400; AWS throttling and timeouts are a 503 the client may retry; anything else is a 500
 * with the fixed public message. The exception itself is logged here, with its detail, and nowhere else.
 */
public final class ErrorMapper {

    /** What a failure maps to: a kind plus the public field errors, if any. */
    public record MappedError(ApiException.Kind kind, List<ApiException.FieldError> fieldErrors) {
        public int status() {
            return kind.status();
        }
    }

    private ErrorMapper() {
    }

    public static MappedError map(Throwable error) {
        MappedError mapped = classify(error);
        if (mapped.status() >= 500) {
            Log.error("request failed", error, "status", mapped.status(), "code", mapped.kind().code());
        } else {
            Log.info("request rejected", "status", mapped.status(), "code", mapped.kind().code(),
                    "detail", String.valueOf(error.getMessage()));
        }
        return mapped;
    }

    private static MappedError classify(Throwable error) {
        if (error instanceof ApiException api) {
            return new MappedError(api.kind(), api.fieldErrors());
        }
        if (error instanceof JacksonException) {
            return new MappedError(ApiException.Kind.BAD_REQUEST,
                    List.of(new ApiException.FieldError("body", "must be a valid JSON document of the documented shape")));
        }
        if (error instanceof SdkServiceException service && (service.isThrottlingException() || service.statusCode() >= 500)) {
            return new MappedError(ApiException.Kind.SERVICE_UNAVAILABLE, List.of());
        }
        if (error instanceof SdkClientException) {
            return new MappedError(ApiException.Kind.SERVICE_UNAVAILABLE, List.of());
        }
        return new MappedError(ApiException.Kind.INTERNAL, List.of());
    }
}
