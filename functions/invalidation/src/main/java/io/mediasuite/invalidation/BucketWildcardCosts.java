package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What wildcards purge, from the buckets' listings.
 *
 * <p>Collateral: a wildcard on {@code /docs/} purges every cached object under {@code docs/}; those that did not
 * change are counted from the site bucket's listing. Counting is cheap: one listing per top-level folder (up to
 * {@code MAX_LISTED_KEYS} keys) gives the count of every directory beneath it, and it is reused for
 * {@code LISTING_TTL_SECONDS} (default 60), so a deploy's batches share it.
 *
 * <p>Other behaviours: a wildcard may not purge what another cache behaviour serves
 * ({@code CACHE_BEHAVIOR_PATTERNS}, the distribution's other path patterns). A pattern with a fixed head
 * ({@code /api/*}) forbids wildcards above or inside it. A pattern that matches under any folder
 * (the thumbnails' star, {@code /thumb/}, star) forbids a wildcard whose directory contains its fixed part, and one under
 * which that behaviour has cached objects: for the thumbnails, where the images bucket ({@code IMAGES_BUCKET})
 * holds originals, since every original has thumbnails at {@code {its folder}/thumb/...}. Without an images
 * bucket to look at, such a pattern forbids every wildcard. What cannot be listed is treated the safe way:
 * collateral unknown, thumbnails assumed present.
 */
public final class BucketWildcardCosts implements WildcardCosts {

    private static final int MAX_ENTRIES = 256;

    /** Object counts of every directory under one listed prefix. */
    private record Listing(Map<String, Long> counts, String lastKey, boolean truncated, Instant at) {
        /** The count under {@code prefix} (within the listed prefix), or -1 when the listing stopped inside it. */
        long count(String prefix) {
            if (truncated && (lastKey.startsWith(prefix) || lastKey.compareTo(prefix) < 0)) {
                return UNKNOWN_COUNT;
            }
            return counts.getOrDefault(prefix, 0L);
        }
    }

    private final S3Client s3;
    private final InvalidationConfig config;
    private final Clock clock;
    private final Map<String, Listing> listings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Listing> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public BucketWildcardCosts(S3Client s3, InvalidationConfig config, Clock clock) {
        this.s3 = s3;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public long collateral(String distributionId, String directory, int createdBelow) {
        Optional<String> prefix = keyPrefix(distributionId, directory);
        if (prefix.isEmpty() || config.siteBucket().isEmpty()) {
            return UNKNOWN_COUNT;
        }
        long objects = count(config.siteBucket().get(), prefix.get());
        return objects < 0 ? UNKNOWN_COUNT : Math.max(0, objects - createdBelow);
    }

    @Override
    public Optional<String> forbidden(String distributionId, String directory) {
        for (String pattern : config.cacheBehaviorPatterns()) {
            int star = pattern.indexOf('*');
            String head = star < 0 ? pattern : pattern.substring(0, star);
            if (!head.isEmpty()) {
                String fixed = head.startsWith("/") ? head : "/" + head;
                if (fixed.startsWith(directory) || directory.startsWith(fixed)) {
                    return Optional.of("would purge behaviour " + pattern);
                }
                continue;
            }
            String middle = pattern.substring(1, pattern.lastIndexOf('*') > 0 ? pattern.lastIndexOf('*') : pattern.length());
            if (!middle.isEmpty() && directory.contains(middle)) {
                return Optional.of("inside behaviour " + pattern);
            }
            if (config.imagesBucket().isEmpty()) {
                return Optional.of("behaviour " + pattern + " may have objects under any folder");
            }
            long originals = count(config.imagesBucket().get(), directory.substring(1));
            if (originals != 0) {
                return Optional.of("would purge behaviour " + pattern + " ("
                        + (originals < 0 ? "originals not countable" : originals + " originals") + ")");
            }
        }
        return Optional.empty();
    }

    /** Originals under {@code prefix} in the images bucket, -1 when not countable or not configured. */
    public long originals(String prefix) {
        return config.imagesBucket().map(bucket -> count(bucket, prefix)).orElse(UNKNOWN_COUNT);
    }

    /** The key prefix a URL directory of {@code distributionId} stands for, if it lies within one of its routes. */
    private Optional<String> keyPrefix(String distributionId, String directory) {
        for (Route route : config.routes()) {
            if (route.distributionId().equals(distributionId) && directory.startsWith(route.pathPrefix())) {
                return Optional.of(route.keyPrefix() + directory.substring(route.pathPrefix().length()));
            }
        }
        return Optional.empty();
    }

    /** Objects under {@code prefix} in {@code bucket}: from the listing of its top-level folder. */
    private long count(String bucket, String prefix) {
        int slash = prefix.indexOf('/');
        String top = slash < 0 ? "" : prefix.substring(0, slash + 1);
        Listing listing = listing(bucket, top);
        return listing == null ? UNKNOWN_COUNT : listing.count(prefix);
    }

    private Listing listing(String bucket, String top) {
        String cacheKey = bucket + "\n" + top;
        Instant now = clock.instant();
        synchronized (listings) {
            Listing cached = listings.get(cacheKey);
            if (cached != null && Duration.between(cached.at(), now).toSeconds() < config.listingTtlSeconds()) {
                return cached;
            }
        }
        Listing fresh;
        try {
            fresh = Tracing.span("S3.ListObjectsV2", () -> list(bucket, top, now));
        } catch (SdkException e) {
            Log.warn("bucket not listable; wildcard costs unknown", "bucket", bucket, "prefix", top,
                    "errorType", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
            return null;
        }
        synchronized (listings) {
            listings.put(cacheKey, fresh);
        }
        return fresh;
    }

    private Listing list(String bucket, String top, Instant now) {
        Map<String, Long> counts = new HashMap<>();
        String token = null;
        String last = "";
        int listed = 0;
        boolean truncated;
        do {
            String from = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(top).continuationToken(from));
            List<S3Object> objects = page.contents();
            for (S3Object object : objects) {
                String key = object.key();
                last = key;
                listed++;
                for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
                    counts.merge(key.substring(0, i + 1), 1L, Long::sum);
                }
                counts.merge("", 1L, Long::sum);
            }
            truncated = Boolean.TRUE.equals(page.isTruncated());
            token = page.nextContinuationToken();
        } while (truncated && listed < config.maxListedKeys());
        return new Listing(Map.copyOf(counts), last, truncated, now);
    }
}
