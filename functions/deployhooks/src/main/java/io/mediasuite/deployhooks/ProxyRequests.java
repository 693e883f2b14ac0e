package io.mediasuite.deployhooks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway REST proxy events as API Gateway builds them for a route, so a smoke request exercises the same
 * parsing the real traffic does.
 */
final class ProxyRequests {

    /** Identifies smoke traffic in the target's logs. */
    static final String USER_AGENT = "media-suite-pretraffic-hook";

    private ProxyRequests() {
    }

    /**
     * @param resource       the route as declared, e.g. {@code /devices/{deviceId}}
     * @param path           the concrete path, e.g. {@code /devices/abc}
     * @param pathParameters the route's parameters
     * @param body           a JSON body, or {@code null}
     */
    static APIGatewayProxyRequestEvent request(String method, String resource, String path,
                                               Map<String, String> pathParameters, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("User-Agent", USER_AGENT);
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        String requestId = UUID.randomUUID().toString();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withResourcePath(resource)
                .withHttpMethod(method)
                .withPath(path)
                .withRequestId(requestId)
                .withStage("pretraffic")
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                        .withSourceIp("127.0.0.1").withUserAgent(USER_AGENT));
        context.setExtendedRequestId(requestId);
        context.setRequestTimeEpoch(Instant.now().toEpochMilli());
        return new APIGatewayProxyRequestEvent()
                .withResource(resource)
                .withPath(path)
                .withHttpMethod(method)
                .withHeaders(headers)
                .withPathParameters(pathParameters.isEmpty() ? null : Map.copyOf(pathParameters))
                .withRequestContext(context)
                .withBody(body)
                .withIsBase64Encoded(false);
    }
}
