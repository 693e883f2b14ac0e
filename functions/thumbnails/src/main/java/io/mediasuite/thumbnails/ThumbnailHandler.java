package io.mediasuite.thumbnails;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.ApiHandler;
import io.mediasuite.common.ApiResponses;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.HttpRequests;
import io.mediasuite.common.SnapStart;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The CloudFront origin for {@code *}{@code /thumb/*}: {@code GET /{prefix}/thumb/[cover/]{w}/{h}/{name}} answers the
 * thumbnail of {@code {prefix}/{name}} from the images bucket (see {@link ThumbnailRequest} for the URL grammar).
 *
 * <p>Success: the image bytes (base64 with {@code isBase64Encoded}, which API Gateway turns back into bytes for
 * the binary media type {@code *}{@code /*}), {@code Cache-Control: public, max-age=31536000, immutable} (originals
 * are versioned by name, so thumbnails are too) and a strong ETag; a matching {@code If-None-Match} gets a 304.
 * Errors carry a fixed public message and {@code max-age=60}, so CloudFront absorbs repeats without pinning a
 * transient failure for long: 400 bad URL or size not allowed, 403 bad signature, 404 no original, 413 original
 * (or resulting thumbnail) too large, 415 not a supported image, 503 out of time.
 */
public final class ThumbnailHandler extends ApiHandler {

    static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
    static final String CACHE_ERROR = "public, max-age=60";

    private final ThumbnailConfig config;
    private final UrlSigner signer;
    private final ThumbnailService service;

    /** Lambda's constructor: configuration and clients from the environment, once per instance. */
    public ThumbnailHandler() {
        this(Env.current());
    }

    /** Built from an explicit environment (tests, the local runner). */
    public ThumbnailHandler(Env env) {
        this(ThumbnailConfig.from(env), s3(env));
    }

    public ThumbnailHandler(ThumbnailConfig config, S3Client s3) {
        this.config = config;
        this.signer = new UrlSigner(config.signingKeys());
        ThumbnailPipeline pipeline = new ThumbnailPipeline(config.maxSourcePixels(), config.jpegQuality(),
                config.jpegProgressive());
        this.service = new ThumbnailService(s3, config, pipeline);
        SnapStart.beforeSnapshot("thumbnail pipeline", () -> ThumbnailPriming.run(pipeline));
    }

    private static S3Client s3(Env env) {
        AwsClients clients = new AwsClients(env);
        return clients.build(S3Client.builder(), "S3");
    }

    @Override
    protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
        if (request.getHttpMethod() != null && !"GET".equalsIgnoreCase(request.getHttpMethod())) {
            throw new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, "method " + request.getHttpMethod());
        }
        String path = HttpRequests.pathParameter(request, "proxy").orElse(request.getPath());
        ThumbnailRequest thumbnail = ThumbnailRequest.parse(path, config, signer);
        Deadline deadline = context == null ? Deadline.inMillis(20_000)
                : Deadline.inMillis(context.getRemainingTimeInMillis() - config.deadlineMarginMillis());
        long started = System.nanoTime();
        ThumbnailService.Result result = service.thumbnail(thumbnail,
                HttpRequests.header(request, "If-None-Match"), deadline);
        long renderMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", CACHE_FOREVER);
        headers.put("ETag", result.etag());
        if (result instanceof ThumbnailService.NotModified) {
            ThumbnailMetrics.notModified();
            return ApiResponses.empty(304, headers);
        }
        byte[] bytes = ((ThumbnailService.Rendered) result).thumbnail().bytes();
        long encoded = base64Length(bytes.length);
        if (encoded > config.maxResponseBytes()) {
            // Lambda would fail the whole response (API Gateway answers 502); never send a truncated image.
            throw new ApiException(ApiException.Kind.PAYLOAD_TOO_LARGE, "thumbnail of " + bytes.length
                    + " bytes is " + encoded + " in base64, over the response limit " + config.maxResponseBytes());
        }
        headers.put("X-Content-Type-Options", "nosniff");
        Thumbnail rendered = ((ThumbnailService.Rendered) result).thumbnail();
        ThumbnailMetrics.rendered(rendered.format().name().toLowerCase(Locale.ROOT), renderMillis,
                bytes.length);
        return ApiResponses.binary(200, ((ThumbnailService.Rendered) result).thumbnail().contentType(), bytes,
                headers);
    }

    /** Length of the base64 text of {@code n} bytes: 4 characters per started group of 3. */
    static long base64Length(long n) {
        return 4 * ((n + 2) / 3);
    }

    @Override
    protected void recordResponse(APIGatewayProxyResponseEvent response) {
        int status = response.getStatusCode() == null ? 0 : response.getStatusCode();
        if (status >= 400) {
            ThumbnailMetrics.refused(status);
        }
    }

    @Override
    protected Map<String, String> errorHeaders() {
        return Map.of("Cache-Control", CACHE_ERROR);
    }
}
