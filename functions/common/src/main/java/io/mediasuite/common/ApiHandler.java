package io.mediasuite.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
        Json.MAPPER.writeValue(output, response);
    }

    /** Handles one request; throw {@link ApiException} for failures the client should see. */
    protected abstract APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context);

    /** Headers added to every error response (e.g. a short cache lifetime for CloudFront). */
    protected Map<String, String> errorHeaders() {
        return Map.of();
    }
}
