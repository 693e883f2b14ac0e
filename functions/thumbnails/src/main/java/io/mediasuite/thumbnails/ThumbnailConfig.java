package io.mediasuite.thumbnails;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The thumbnail origin's configuration, read once at init; a bad value fails the cold start naming the variable.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>IMAGES_BUCKET</td><td>bucket holding the originals (required)</td></tr>
 *   <tr><td>THUMBNAIL_SIZES</td><td>allow-list for unsigned URLs, e.g. {@code 150x150,400x300,400x0}</td></tr>
 *   <tr><td>SIGNED_MAX_DIMENSION</td><td>largest side a signed URL may ask for (default 2048)</td></tr>
 *   <tr><td>SIGNING_KEYS</td><td>0-2 comma-separated HMAC keys (each at least 32 characters); the first signs,
 *       both verify, so keys rotate without broken links</td></tr>
 *   <tr><td>MAX_SOURCE_BYTES</td><td>largest original read from S3 (default 32 MiB)</td></tr>
 *   <tr><td>MAX_SOURCE_PIXELS</td><td>largest original decoded (default 50 MP)</td></tr>
 *   <tr><td>JPEG_QUALITY</td><td>1-100 (default 80, as sharp)</td></tr>
 *   <tr><td>JPEG_PROGRESSIVE</td><td>progressive JPEG output (default false)</td></tr>
 *   <tr><td>WEBP_ENABLED</td><td>answer WebP to requests whose {@code Accept} names {@code image/webp}
 *       (default true)</td></tr>
 *   <tr><td>WEBP_QUALITY</td><td>1-100, libwebp's lossy quality (default 80, as sharp)</td></tr>
 *   <tr><td>MAX_RESPONSE_BYTES</td><td>largest base64 body returned (default: Lambda's 6 MB payload limit minus
 *       room for headers)</td></tr>
 *   <tr><td>DEADLINE_MARGIN_MS</td><td>time kept back from the Lambda timeout to answer a 503 (default 1000)</td></tr>
 * </table>
 */
public record ThumbnailConfig(String bucket, Set<ThumbnailSize> allowedSizes, int signedMaxDimension,
                              List<byte[]> signingKeys, long maxSourceBytes, long maxSourcePixels, int jpegQuality,
                              boolean jpegProgressive, boolean webpEnabled, int webpQuality, int maxResponseBytes,
                              long deadlineMarginMillis) {

    /** Lambda's synchronous response payload limit (6 MB), which the JSON envelope and headers share. */
    public static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
    /** Kept for the envelope: status, headers and JSON quoting around the base64 body. */
    static final int ENVELOPE_ALLOWANCE = 16 * 1024;
    static final String DEFAULT_SIZES = "150x150,400x300,400x0,0x300,800x600";

    public static ThumbnailConfig from(Env env) {
        ConfigReader reader = new ConfigReader(env);
        String bucket = reader.required("IMAGES_BUCKET");
        int signedMax = reader.integer("SIGNED_MAX_DIMENSION", 2048, 1, 8192);
        Set<ThumbnailSize> sizes = new LinkedHashSet<>();
        for (String entry : reader.list("THUMBNAIL_SIZES", List.of(DEFAULT_SIZES.split(",")))) {
            ThumbnailSize size = reader.parse("THUMBNAIL_SIZES", entry, ThumbnailSize::parse,
                    "a comma-separated list of WIDTHxHEIGHT");
            if (size.width() > 8192 || size.height() > 8192) {
                throw new ConfigException("THUMBNAIL_SIZES", "sides must be at most 8192, got " + size);
            }
            sizes.add(size);
        }
        List<byte[]> keys = new ArrayList<>();
        for (String key : reader.list("SIGNING_KEYS", List.of())) {
            if (key.length() < 32) {
                throw new ConfigException("SIGNING_KEYS", "each key must be at least 32 characters");
            }
            keys.add(key.getBytes(StandardCharsets.UTF_8));
        }
        if (keys.size() > 2) {
            throw new ConfigException("SIGNING_KEYS", "at most two keys (current and previous)");
        }
        if (sizes.isEmpty() && keys.isEmpty()) {
            throw new ConfigException("THUMBNAIL_SIZES", "is empty and SIGNING_KEYS is not set: no URL could work");
        }
        long maxBytes = reader.longValue("MAX_SOURCE_BYTES", 32L << 20, 1024, 1L << 30);
        long maxPixels = reader.longValue("MAX_SOURCE_PIXELS", 50_000_000L, 1, 500_000_000L);
        int quality = reader.integer("JPEG_QUALITY", 80, 1, 100);
        boolean progressive = reader.bool("JPEG_PROGRESSIVE", false);
        boolean webp = reader.bool("WEBP_ENABLED", true);
        int webpQuality = reader.integer("WEBP_QUALITY", 80, 1, 100);
        int maxResponse = reader.integer("MAX_RESPONSE_BYTES", LAMBDA_RESPONSE_LIMIT - ENVELOPE_ALLOWANCE, 1024,
                LAMBDA_RESPONSE_LIMIT - ENVELOPE_ALLOWANCE);
        long margin = reader.longValue("DEADLINE_MARGIN_MS", 1000, 0, 60_000);
        return new ThumbnailConfig(bucket, Set.copyOf(sizes), signedMax, List.copyOf(keys), maxBytes, maxPixels,
                quality, progressive, webp, webpQuality, maxResponse, margin);
    }

    /** Whether {@code size} may be served without a signature. */
    public boolean allows(ThumbnailSize size) {
        return allowedSizes.contains(size);
    }
}
