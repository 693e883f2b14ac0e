package io.mediasuite.thumbnails;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import io.mediasuite.thumbnails.pipeline.Deadline;
import io.mediasuite.thumbnails.pipeline.Thumbnail;
import io.mediasuite.thumbnails.pipeline.ThumbnailPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Fetches an original from S3 and renders its thumbnail. One GetObject per request: the object's size and ETag
 * arrive with the response headers, so an oversized original (413) or a conditional request the client already
 * holds (304) is answered before a byte of the body is read, and the connection is aborted rather than drained.
 */
public final class ThumbnailService {

    /** Bumped whenever the pipeline's output for the same input changes, so ETags change with it. */
    static final String PIPELINE_VERSION = "1";

    private final S3Client s3;
    private final ThumbnailConfig config;
    private final ThumbnailPipeline pipeline;

    public ThumbnailService(S3Client s3, ThumbnailConfig config, ThumbnailPipeline pipeline) {
        this.s3 = s3;
        this.config = config;
        this.pipeline = pipeline;
    }

    /** The outcome: a rendered thumbnail, or "not modified" for a matching If-None-Match. */
    public sealed interface Result permits Rendered, NotModified {
        String etag();
    }

    public record Rendered(Thumbnail thumbnail, String etag) implements Result {
    }

    public record NotModified(String etag) implements Result {
    }

    /**
     * @param webp the client accepts WebP (see {@link AcceptedFormats}); ignored when the operator switched WebP
     *             off. The choice is part of the ETag, so a 304 never confirms the other format's bytes.
     */
    public Result thumbnail(ThumbnailRequest request, boolean webp, Optional<String> ifNoneMatch, Deadline deadline) {
        boolean asWebp = webp && config.webpEnabled();
        ResponseInputStream<GetObjectResponse> object = open(request.originalKey(), deadline);
        byte[] source;
        String etag;
        try {
            GetObjectResponse meta = object.response();
            long length = meta.contentLength() == null ? -1 : meta.contentLength();
            if (length > config.maxSourceBytes()) {
                object.abort();
                throw new ApiException(ApiException.Kind.PAYLOAD_TOO_LARGE, "original has " + length
                        + " bytes, limit " + config.maxSourceBytes());
            }
            etag = etag(meta.eTag(), request, asWebp);
            if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), etag)) {
                object.abort();
                return new NotModified(etag);
            }
            source = readBody(object, length, deadline);
        } finally {
            closeQuietly(object);
        }
        Thumbnail thumbnail = Tracing.span("render", () -> pipeline.render(source, request.size().width(),
                request.size().height(), request.mode(), asWebp, deadline));
        Log.info("thumbnail rendered", "key", request.originalKey(), "size", request.size().toString(),
                "mode", request.mode().name(), "sourceBytes", source.length, "outBytes", thumbnail.bytes().length);
        return new Rendered(thumbnail, etag);
    }

    private ResponseInputStream<GetObjectResponse> open(String key, Deadline deadline) {
        long budget = Math.max(1, Math.min(60_000, deadline.remainingMillis()));
        try {
            return Tracing.span("s3.get", () -> s3.getObject(GetObjectRequest.builder()
                    .bucket(config.bucket())
                    .key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(budget)))
                    .build(), ResponseTransformer.toInputStream()));
        } catch (NoSuchKeyException e) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no original " + key, e);
        }
    }

    private byte[] readBody(InputStream in, long length, Deadline deadline) {
        try {
            if (length >= 0) {
                byte[] body = new byte[(int) length];
                int read = 0;
                while (read < body.length) {
                    int n = in.read(body, read, Math.min(body.length - read, 1 << 20));
                    if (n < 0) {
                        throw new ApiException(ApiException.Kind.SERVICE_UNAVAILABLE, "S3 body ended early");
                    }
                    read += n;
                    deadline.check();
                }
                return body;
            }
            byte[] body = in.readNBytes((int) config.maxSourceBytes() + 1);
            if (body.length > config.maxSourceBytes()) {
                throw new ApiException(ApiException.Kind.PAYLOAD_TOO_LARGE, "original over the byte limit");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the original failed", e);
        }
    }

    /**
     * A strong ETag for the thumbnail: a digest of the original's ETag (which changes whenever its bytes do) and
     * everything that shapes the output, the negotiated format included.
     */
    String etag(String originalEtag, ThumbnailRequest request, boolean webp) {
        String format = webp ? "webp|" + config.webpQuality()
                : config.jpegQuality() + "|" + config.jpegProgressive();
        String input = String.join("|", String.valueOf(originalEtag), request.mode().name(),
                request.size().toString(), format, PIPELINE_VERSION);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; {@code *} matches. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            Log.debug("closing the S3 stream failed", "error", e.toString());
        }
    }
}
