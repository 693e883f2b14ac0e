package io.mediasuite.local.edge;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How long CloudFront keeps a response, from the origin's {@code Cache-Control} / {@code Expires} and the cache
 * policy's bounds, as the developer guide's expiration rules state:
 * <ul>
 *   <li>{@code no-cache}, {@code no-store} or {@code private}: not cached when MinTTL is 0, else kept MinTTL;</li>
 *   <li>{@code s-maxage}, else {@code max-age}, else {@code Expires}: that lifetime, raised to MinTTL and capped at
 *       MaxTTL ({@code max-age} wins over {@code Expires});</li>
 *   <li>none of them: DefaultTTL;</li>
 *   <li>a policy with MaxTTL 0 keeps nothing.</li>
 * </ul>
 * Error responses follow the error-caching rules instead: only the status codes CloudFront caches, for the greater
 * of the header's lifetime (capped at MaxTTL) and the error-caching minimum TTL (10 s by default); {@code no-store},
 * {@code no-cache} or {@code private} prevent caching only for 404, 410, 414 and 501.
 */
final class Freshness {

    /** The 4xx and 5xx codes CloudFront caches (416 is not among them). */
    static final Set<Integer> CACHED_ERRORS = Set.of(400, 403, 404, 405, 410, 414, 500, 501, 502, 503, 504);
    /** CloudFront's default error-caching minimum TTL. */
    static final Duration ERROR_CACHING_MIN_TTL = Duration.ofSeconds(10);
    private static final Set<Integer> ERRORS_HONOURING_NO_STORE = Set.of(404, 410, 414, 501);
    /** Successful and redirect statuses kept by their headers like any object. */
    private static final Set<Integer> CACHED_SUCCESSES = Set.of(200, 203, 300, 301, 302, 307, 308);

    private Freshness() {
    }

    /**
     * The time to keep a response, or empty when CloudFront would not keep it. {@link Duration#ZERO} means kept but
     * stale at once: the next request revalidates it with the origin.
     *
     * @param headers the origin's response headers, names in lower case
     */
    static Optional<Duration> ttl(int status, Map<String, String> headers, CachePolicy policy, Instant now) {
        Map<String, String> directives = directives(headers.get("cache-control"));
        boolean restrictive = directives.containsKey("no-cache") || directives.containsKey("no-store")
                || directives.containsKey("private");
        OptionalLong declared = declaredLifetime(directives, headers.get("expires"), now);
        if (CACHED_ERRORS.contains(status)) {
            if (declared.isPresent()) {
                long capped = Math.min(declared.getAsLong(), policy.maxTtl());
                return Optional.of(Duration.ofSeconds(Math.max(capped, ERROR_CACHING_MIN_TTL.toSeconds())));
            }
            if (restrictive && ERRORS_HONOURING_NO_STORE.contains(status)) {
                return Optional.empty();
            }
            return Optional.of(ERROR_CACHING_MIN_TTL);
        }
        if (!CACHED_SUCCESSES.contains(status) || policy.maxTtl() == 0) {
            // A policy whose MaxTTL is 0 (Managed-CachingDisabled) caches nothing: every request is a miss.
            return Optional.empty();
        }
        if (restrictive) {
            return policy.minTtl() == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(policy.minTtl()));
        }
        if (declared.isPresent()) {
            long bounded = Math.min(Math.max(declared.getAsLong(), policy.minTtl()), policy.maxTtl());
            return Optional.of(Duration.ofSeconds(bounded));
        }
        return Optional.of(Duration.ofSeconds(policy.defaultTtl()));
    }

    /** {@code s-maxage}, else {@code max-age}, else seconds until {@code Expires} (0 when past or malformed). */
    private static OptionalLong declaredLifetime(Map<String, String> directives, String expires, Instant now) {
        for (String name : new String[] {"s-maxage", "max-age"}) {
            if (directives.containsKey(name)) {
                return OptionalLong.of(seconds(directives.get(name)));
            }
        }
        if (expires != null) {
            try {
                Instant at = ZonedDateTime.parse(expires.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return OptionalLong.of(Math.max(0, Duration.between(now, at).toSeconds()));
            } catch (DateTimeParseException e) {
                // HTTP says an invalid Expires means "already expired".
                return OptionalLong.of(0);
            }
        }
        return OptionalLong.empty();
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value == null ? "" : value.replace("\"", "").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Cache-Control directives by lower-case name; a directive without a value maps to "". */
    static Map<String, String> directives(String cacheControl) {
        Map<String, String> directives = new java.util.LinkedHashMap<>();
        if (cacheControl == null) {
            return directives;
        }
        for (String part : cacheControl.split(",")) {
            String directive = part.trim();
            if (directive.isEmpty()) {
                continue;
            }
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            directives.putIfAbsent(name, eq < 0 ? "" : directive.substring(eq + 1).trim());
        }
        return directives;
    }
}
