package io.mediasuite.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for API Gateway proxy responses: JSON, binary (base64, as API Gateway expects) and errors. */
public final class ApiResponses {

    public static final String JSON_TYPE = "application/json";

    private ApiResponses() {
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", JSON_TYPE);
        all.putAll(headers);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(body == null ? null : Json.write(body))
                .withIsBase64Encoded(false);
    }

    /** A response without a body (204, 304). */
    public static APIGatewayProxyResponseEvent empty(int status, Map<String, String> headers) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(new LinkedHashMap<>(headers))
                .withIsBase64Encoded(false);
    }

    /** A binary body. API Gateway decodes it back to bytes when the route's binary media types match. */
    public static APIGatewayProxyResponseEvent binary(int status, String contentType, byte[] body,
                                                      Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", contentType);
        all.putAll(headers);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true);
    }

    /**
     * The error body: {@code {"error":{"code":…,"message":…,"fields":[…],"requestId":…}}}. Only fixed public
     * text and validator field messages; never an exception message.
     */
    public static APIGatewayProxyResponseEvent error(ErrorMapper.MappedError error, String requestId,
                                                     Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.kind().code());
        body.put("message", error.kind().publicMessage());
        if (!error.fieldErrors().isEmpty()) {
            List<Map<String, String>> fields = new ArrayList<>();
            for (ApiException.FieldError field : error.fieldErrors()) {
                fields.add(Map.of("field", field.field(), "message", field.message()));
            }
            body.put("fields", fields);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Cache-Control", "no-store");
        all.putAll(headers);
        return json(error.status(), Map.of("error", body), all);
    }
}
