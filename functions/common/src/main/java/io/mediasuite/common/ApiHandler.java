package io.mediasuite.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Base of every API Gateway (REST, proxy integration) handler: reads the proxy event with the shared mapper,
 * calls {@link #handle}, and turns any exception into an error response through {@link ErrorMapper}, so a
 * client never sees a stack trace or an internal message.
 *
 * <p>A stream handler rather than {@code RequestHandler<I, O>}: the runtime's own reflection-based
 * serialization is skipped (faster cold start) and the local runner can invoke the handler without knowing its
 * types.
 */
public abstract class ApiHandler implements RequestStreamHandler {

    /** A proxy event with every field API Gateway sends, to warm the JSON paths before a SnapStart snapshot. */
    private static final String PRIMING_EVENT = """
            {"resource":"/{proxy+}","path":"/priming","httpMethod":"GET","headers":{"Accept":"*/*"},
             "multiValueHeaders":{"Accept":["*/*"]},"queryStringParameters":{"q":"1"},
             "multiValueQueryStringParameters":{"q":["1"]},"pathParameters":{"proxy":"priming"},
             "stageVariables":null,"requestContext":{"resourcePath":"/{proxy+}","httpMethod":"GET","stage":"prime",
             "requestId":"priming","requestTimeEpoch":0,"identity":{"sourceIp":"127.0.0.1","userAgent":"priming"}},
             "body":"{}","isBase64Encoded":false}""";

    /** Registers the JSON priming of every API handler (runs only before a SnapStart snapshot). */
    protected ApiHandler() {
        SnapStart.beforeSnapshot(getClass().getSimpleName() + " proxy JSON", ApiHandler::primeJson);
    }

    private static void primeJson() {
        try {
            Json.MAPPER.readValue(PRIMING_EVENT, APIGatewayProxyRequestEvent.class);
            Json.MAPPER.writeValueAsBytes(ApiResponses.json(200, Map.of("primed", true)));
            Json.MAPPER.writeValueAsBytes(ApiResponses.error(new ErrorMapper.MappedError(ApiException.Kind.BAD_REQUEST,
                    List.of(new ApiException.FieldError("priming", "primed"))), "priming", Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        Log.setRequestId(requestId);
        APIGatewayProxyResponseEvent response;
        try {
            APIGatewayProxyRequestEvent request = Json.MAPPER.readValue(input, APIGatewayProxyRequestEvent.class);
            response = handle(request, context);
        } catch (Throwable error) {
            if (error instanceof VirtualMachineError fatal && !(fatal instanceof OutOfMemoryError)) {
                throw fatal;
            }
            response = ApiResponses.error(ErrorMapper.map(error), requestId, errorHeaders());
        }
        try {
            recordResponse(response);
        } catch (RuntimeException e) {
            Log.warn("response metrics not recorded", "error", e.getClass().getSimpleName());
        } finally {
            Metrics.flush();
        }
        Json.MAPPER.writeValue(output, response);
    }

    /** Handles one request; throw {@link ApiException} for failures the client should see. */
    protected abstract APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context);

    /**
     * Records the handler's metrics of an answered request (its status, say); called for every response, errors
     * included, before the invocation's metrics are written. Does nothing by default.
     */
    protected void recordResponse(APIGatewayProxyResponseEvent response) {
    }

    /** Headers added to every error response (e.g. a short cache lifetime for CloudFront). */
    protected Map<String, String> errorHeaders() {
        return Map.of();
    }
}
