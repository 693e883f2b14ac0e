package io.mediasuite.thumbnails;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.ApiHandler;
import java.util.Map;

/** Minimal origin; the pipeline lands with the thumbnail issue. */
public final class ThumbnailHandler extends ApiHandler {

    @Override
    protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
        throw new ApiException(ApiException.Kind.NOT_FOUND, "no thumbnail for " + request.getPath());
    }

    @Override
    protected Map<String, String> errorHeaders() {
        return Map.of("Cache-Control", "public, max-age=60");
    }
}
