package io.mediasuite.invalidation;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Configuration of the invalidation function, read once at init.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code DISTRIBUTION_ID}</td><td>the stack's distribution (required unless routes are given)</td></tr>
 *   <tr><td>{@code KEY_PREFIX}, {@code PATH_PREFIX}</td><td>the key prefix that distribution serves (default
 *       empty: the whole bucket) and the URL path it is served at (default {@code /})</td></tr>
 *   <tr><td>{@code DISTRIBUTION_ROUTES}</td><td>more prefixes with their own distribution:
 *       {@code docs/=E2EXAMPLE,media/=E3EXAMPLE:/media/}; the longest matching key prefix wins</td></tr>
 *   <tr><td>{@code SITE_BUCKET}</td><td>when set, events from other buckets are ignored</td></tr>
 *   <tr><td>{@code DEFAULT_ROOT_OBJECT}</td><td>the distribution's default root object (default
 *       {@code index.html}): changing it also invalidates {@code /}</td></tr>
 *   <tr><td>{@code INDEX_DOCUMENT}</td><td>the index document of sub-directories (default {@code index.html}):
 *       changing {@code dir/index.html} also invalidates {@code /dir/}; {@code none} turns it off</td></tr>
 *   <tr><td>{@code IMMUTABLE_BUNDLERS}</td><td>bundler naming conventions whose output is never invalidated,
 *       comma-separated: {@code vite}, {@code webpack}, {@code esbuild}, {@code angular}, {@code parcel},
 *       {@code next} (default none: opt in for the bundler you deploy)</td></tr>
 *   <tr><td>{@code IMMUTABLE_KEY_PATTERN}</td><td>your own regex on the key (relative to the route's prefix) of
 *       objects never invalidated (default none)</td></tr>
 *   <tr><td>{@code IMMUTABLE_FROM_CACHE_CONTROL}, {@code IMMUTABLE_MIN_MAX_AGE}</td><td>skip a created object
 *       with a hash-like name whose {@code Cache-Control} (HeadObject) says {@code immutable} or a max-age of at
 *       least {@code IMMUTABLE_MIN_MAX_AGE} seconds (defaults true, 31536000)</td></tr>
 *   <tr><td>{@code MAX_PATHS_PER_INVALIDATION}</td><td>path budget of one invalidation (default 50, at most
 *       3000); above it, directories collapse into wildcards</td></tr>
 *   <tr><td>{@code MAX_WILDCARDS_PER_INVALIDATION}</td><td>wildcards one invalidation may use (default 5, at
 *       most 15, the per-distribution in-flight limit)</td></tr>
 *   <tr><td>{@code MAX_INVALIDATIONS_PER_BATCH}</td><td>invalidations one batch may create when no allowed plan
 *       fits one (default 10)</td></tr>
 *   <tr><td>{@code COLLATERAL_WEIGHT}</td><td>what one unchanged object a wildcard purges costs, in billed paths
 *       (default 0.01: purging 100 unchanged objects is worth one path saved)</td></tr>
 *   <tr><td>{@code ALLOW_FULL_PURGE}</td><td>{@code true} lets a plan use {@code /*} (default false)</td></tr>
 *   <tr><td>{@code CACHE_BEHAVIOR_PATTERNS}</td><td>the distribution's other cache behaviours' path patterns,
 *       comma-separated: no wildcard may purge what they serve ({@link BucketWildcardCosts})</td></tr>
 *   <tr><td>{@code IMAGES_BUCKET}</td><td>the thumbnails' originals: where they are, thumbnails are; a change of an
 *       original invalidates its thumbnails</td></tr>
 *   <tr><td>{@code THUMBNAIL_SIZES}</td><td>the unsigned thumbnail sizes ({@code WIDTHxHEIGHT,...}, the template's
 *       {@code ThumbnailSizes}): each, fit and cover, is invalidated when its original changes</td></tr>
 *   <tr><td>{@code MAX_LISTED_KEYS}, {@code LISTING_TTL_SECONDS}</td><td>how many keys one listing of a
 *       top-level folder reads to count what wildcards purge (default 10000), and how long it is reused
 *       (default 60)</td></tr>
 *   <tr><td>{@code LEDGER_TABLE}, {@code LEDGER_TTL_SECONDS}</td><td>the table remembering which object
 *       versions are already invalidated ({@link InvalidationLedger}; none: no memory beyond CloudFront's caller
 *       references), and for how long (default 604800, 7 days)</td></tr>
 *   <tr><td>{@code INVALIDATION_QUEUE_URL}</td><td>the event source queue; when set, messages that must wait
 *       get a visibility delay ({@code RETRY_BASE_SECONDS}, default 30, doubling up to {@code RETRY_MAX_SECONDS},
 *       default 900, and at least until the oldest invalidation in progress should complete,
 *       {@code EXPECTED_COMPLETION_SECONDS} after its creation, default 300), and are sent again as new
 *       messages before they could reach the queue's {@code maxReceiveCount}</td></tr>
 * </table>
 */
public record InvalidationConfig(
        List<Route> routes,
        Optional<String> siteBucket,
        String defaultRootObject,
        Optional<String> indexDocument,
        Optional<Pattern> immutableKeyPattern,
        List<String> immutableBundlers,
        boolean immutableFromCacheControl,
        long immutableMinMaxAge,
        int headTimeoutSeconds,
        int maxPaths,
        int maxWildcards,
        int maxInvalidationsPerBatch,
        double collateralWeight,
        boolean allowEverything,
        List<String> cacheBehaviorPatterns,
        Optional<String> imagesBucket,
        List<String> thumbnailSizes,
        int maxListedKeys,
        int listingTtlSeconds,
        Optional<String> ledgerTable,
        long ledgerTtlSeconds,
        Optional<String> queueUrl,
        int retryBaseSeconds,
        int retryMaxSeconds,
        int expectedCompletionSeconds) {

    /** CloudFront's limit on file paths in invalidations in progress, per distribution. */
    public static final int CLOUDFRONT_MAX_FILE_PATHS = 3000;
    /** CloudFront's limit on wildcard paths in invalidations in progress, per distribution. */
    public static final int CLOUDFRONT_MAX_WILDCARDS = 15;

    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    public InvalidationConfig {
        cacheBehaviorPatterns = List.copyOf(cacheBehaviorPatterns);
        thumbnailSizes = List.copyOf(thumbnailSizes);
        routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.keyPrefix().length()).reversed())
                .toList();
        if (routes.isEmpty()) {
            throw new ConfigException("DISTRIBUTION_ID", "is required but not set (or give DISTRIBUTION_ROUTES)");
        }
    }

    public static InvalidationConfig from(Env env) {
        ConfigReader config = new ConfigReader(env);
        List<Route> routes = new ArrayList<>();
        config.optional("DISTRIBUTION_ID").ifPresent(id -> routes.add(route("KEY_PREFIX",
                config.string("KEY_PREFIX", ""), distributionId("DISTRIBUTION_ID", id),
                config.string("PATH_PREFIX", "/"))));
        config.optional("DISTRIBUTION_ROUTES").ifPresent(value -> routes.addAll(parseRoutes(value)));
        String immutable = config.string("IMMUTABLE_KEY_PATTERN", "none");
        String index = config.string("INDEX_DOCUMENT", "index.html");
        return new InvalidationConfig(
                routes,
                config.optional("SITE_BUCKET"),
                config.string("DEFAULT_ROOT_OBJECT", "index.html"),
                index.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(index),
                immutable.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(compile(immutable)),
                bundlers(config.list("IMMUTABLE_BUNDLERS", List.of())),
                config.bool("IMMUTABLE_FROM_CACHE_CONTROL", true),
                config.longValue("IMMUTABLE_MIN_MAX_AGE", 31_536_000L, 1, 315_360_000L),
                config.integer("HEAD_TIMEOUT_SECONDS", 10, 1, 60),
                config.integer("MAX_PATHS_PER_INVALIDATION", 50, 1, CLOUDFRONT_MAX_FILE_PATHS),
                config.integer("MAX_WILDCARDS_PER_INVALIDATION", 5, 1, CLOUDFRONT_MAX_WILDCARDS),
                config.integer("MAX_INVALIDATIONS_PER_BATCH", 10, 1, 100),
                weight(config),
                config.bool("ALLOW_FULL_PURGE", false),
                config.list("CACHE_BEHAVIOR_PATTERNS", List.of()),
                config.optional("IMAGES_BUCKET"),
                sizes(config.list("THUMBNAIL_SIZES", List.of())),
                config.integer("MAX_LISTED_KEYS", 10_000, 1_000, 1_000_000),
                config.integer("LISTING_TTL_SECONDS", 60, 0, 3_600),
                config.optional("LEDGER_TABLE"),
                config.longValue("LEDGER_TTL_SECONDS", 604_800L, 3_600L, 31_536_000L),
                config.optional("INVALIDATION_QUEUE_URL"),
                config.integer("RETRY_BASE_SECONDS", 30, 0, 43_200),
                config.integer("RETRY_MAX_SECONDS", 900, 0, 43_200),
                config.integer("EXPECTED_COMPLETION_SECONDS", 300, 0, 43_200));
    }

    /**
     * The thumbnail URL paths (relative, no leading {@code /}) of an original in the images bucket, for every
     * allowed size, fit and cover: {@code {prefix/}thumb/[cover/]{width}/{height}/{name}}.
     */
    public List<String> thumbnailPaths(String originalKey) {
        int slash = originalKey.lastIndexOf('/');
        String prefix = originalKey.substring(0, slash + 1);
        String name = originalKey.substring(slash + 1);
        List<String> paths = new ArrayList<>();
        for (String size : thumbnailSizes) {
            String box = size.replace('x', '/');
            paths.add(prefix + "thumb/" + box + "/" + name);
            paths.add(prefix + "thumb/cover/" + box + "/" + name);
        }
        return paths;
    }

    /** The route of the longest key prefix covering {@code key}, if any. */
    public Optional<Route> routeFor(String key) {
        for (Route route : routes) {
            if (route.covers(key)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static List<Route> parseRoutes(String value) {
        List<Route> routes = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new ConfigException("DISTRIBUTION_ROUTES",
                        "entries must look like keyPrefix=DISTRIBUTIONID[:/path/], got '" + trimmed + "'");
            }
            String target = trimmed.substring(equals + 1);
            int colon = target.indexOf(':');
            String id = colon < 0 ? target : target.substring(0, colon);
            String path = colon < 0 ? "/" : target.substring(colon + 1);
            routes.add(route("DISTRIBUTION_ROUTES", trimmed.substring(0, equals),
                    distributionId("DISTRIBUTION_ROUTES", id), path));
        }
        return routes;
    }

    private static Route route(String variable, String keyPrefix, String distributionId, String pathPrefix) {
        try {
            return new Route(keyPrefix, distributionId, pathPrefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, e.getMessage());
        }
    }

    private static String distributionId(String variable, String id) {
        if (!DISTRIBUTION_ID.matcher(id).matches()) {
            throw new ConfigException(variable, "must name a CloudFront distribution id, got '" + id + "'");
        }
        return id;
    }

    private static final Pattern SIZE = Pattern.compile("(0|[1-9][0-9]{0,3})x(0|[1-9][0-9]{0,3})");

    private static List<String> sizes(List<String> sizes) {
        for (String size : sizes) {
            if (!SIZE.matcher(size).matches() || size.equals("0x0")) {
                throw new ConfigException("THUMBNAIL_SIZES", "entries must look like 400x300, got '" + size + "'");
            }
        }
        return List.copyOf(sizes);
    }

    private static List<String> bundlers(List<String> names) {
        List<String> known = new ArrayList<>();
        for (String name : names) {
            String bundler = name.toLowerCase(java.util.Locale.ROOT);
            if (!ImmutableObjects.BUNDLERS.containsKey(bundler)) {
                throw new ConfigException("IMMUTABLE_BUNDLERS", "knows " + ImmutableObjects.BUNDLERS.keySet().stream()
                        .sorted().toList() + ", got '" + name + "'");
            }
            known.add(bundler);
        }
        return List.copyOf(known);
    }

    private static double weight(ConfigReader config) {
        String value = config.string("COLLATERAL_WEIGHT", "0.01");
        return config.parse("COLLATERAL_WEIGHT", value, text -> {
            double weight = Double.parseDouble(text);
            if (!(weight >= 0 && weight <= 1_000_000)) {
                throw new IllegalArgumentException("out of range");
            }
            return weight;
        }, "a number from 0 to 1000000");
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("IMMUTABLE_KEY_PATTERN", "must be a valid regular expression: " + e.getDescription());
        }
    }
}
