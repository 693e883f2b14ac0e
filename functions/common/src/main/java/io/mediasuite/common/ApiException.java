package io.mediasuite.common;

import java.util.List;

/**
 * A failure with a known HTTP meaning. The {@link Kind} fixes the status and the public message; field errors
 * (for 400s) are public too and are written by validators from fixed text. {@link #getMessage()} is the
 * internal detail: it goes to the logs, never into a response body.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Status, stable error code and fixed public message of each failure the API reports. */
    public enum Kind {
        BAD_REQUEST(400, "bad_request", "The request is invalid."),
        UNAUTHORIZED(401, "unauthorized", "Authentication is required."),
        FORBIDDEN(403, "forbidden", "Access denied."),
        NOT_FOUND(404, "not_found", "Not found."),
        METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed."),
        CONFLICT(409, "conflict", "The resource was changed concurrently; retry the request."),
        PAYLOAD_TOO_LARGE(413, "payload_too_large", "The content is too large."),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "The content type is not supported."),
        TOO_MANY_REQUESTS(429, "too_many_requests", "Too many requests; retry later."),
        INTERNAL(500, "internal_error", "Internal error."),
        SERVICE_UNAVAILABLE(503, "service_unavailable", "The service is busy; retry later.");

        private final int status;
        private final String code;
        private final String publicMessage;

        Kind(int status, String code, String publicMessage) {
            this.status = status;
            this.code = code;
            this.publicMessage = publicMessage;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String publicMessage() {
            return publicMessage;
        }
    }

    /** One invalid field of a request, e.g. {@code location.lat: must be between -90 and 90}. */
    public record FieldError(String field, String message) {
    }

    private final Kind kind;
    private final transient List<FieldError> fieldErrors;

    public ApiException(Kind kind, String detail) {
        this(kind, detail, List.of(), null);
    }

    public ApiException(Kind kind, String detail, Throwable cause) {
        this(kind, detail, List.of(), cause);
    }

    public ApiException(Kind kind, String detail, List<FieldError> fieldErrors, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** A 400 listing the invalid fields. */
    public static ApiException invalid(List<FieldError> fieldErrors) {
        return new ApiException(Kind.BAD_REQUEST, "validation failed: " + fieldErrors, fieldErrors, null);
    }

    /** A 400 for a single invalid field. */
    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
