package io.mediasuite.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Small, allocation-light accessors for proxy request events. */
public final class HttpRequests {

    private HttpRequests() {
    }

    /** A header by case-insensitive name (API Gateway keeps the client's case; HTTP names are case-insensitive). */
    public static Optional<String> header(APIGatewayProxyRequestEvent request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(entry.getValue());
            }
        }
        return Optional.empty();
    }

    public static Optional<String> pathParameter(APIGatewayProxyRequestEvent request, String name) {
        Map<String, String> parameters = request.getPathParameters();
        return parameters == null ? Optional.empty() : Optional.ofNullable(parameters.get(name));
    }

    /** The body as UTF-8 text, decoding base64 when API Gateway marked it so; empty when there is none. */
    public static String bodyText(APIGatewayProxyRequestEvent request) {
        String body = request.getBody();
        if (body == null) {
            return "";
        }
        if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("body", "is not valid base64");
            }
        }
        return body;
    }
}
