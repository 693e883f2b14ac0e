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
 *   <tr><td>{@code IMMUTABLE_KEY_PATTERN}</td><td>regex on the file name of content-hashed objects, which are
 *       never invalidated; {@code none} turns skipping off</td></tr>
 *   <tr><td>{@code MAX_PATHS_PER_INVALIDATION}</td><td>path budget of one invalidation (default 50, at most
 *       3000); above it, directories collapse into wildcards</td></tr>
 *   <tr><td>{@code MAX_WILDCARDS_PER_INVALIDATION}</td><td>wildcards one invalidation may use (default 5, at
 *       most 15, the per-distribution in-flight limit)</td></tr>
 *   <tr><td>{@code MAX_INVALIDATIONS_PER_BATCH}</td><td>invalidations one batch may create when no allowed plan
 *       fits one (default 10)</td></tr>
 *   <tr><td>{@code COLLATERAL_WEIGHT}</td><td>what one unchanged object a wildcard purges costs, in billed paths
 *       (default 0.01: purging 100 unchanged objects is worth one path saved)</td></tr>
 *   <tr><td>{@code ALLOW_FULL_PURGE}</td><td>{@code true} lets a plan use {@code /*} (default false)</td></tr>
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
        int maxPaths,
        int maxWildcards,
        int maxInvalidationsPerBatch,
        double collateralWeight,
        boolean allowEverything,
        Optional<String> queueUrl,
        int retryBaseSeconds,
        int retryMaxSeconds,
        int expectedCompletionSeconds) {

    /** CloudFront's limit on file paths in invalidations in progress, per distribution. */
    public static final int CLOUDFRONT_MAX_FILE_PATHS = 3000;
    /** CloudFront's limit on wildcard paths in invalidations in progress, per distribution. */
    public static final int CLOUDFRONT_MAX_WILDCARDS = 15;

    /**
     * Content-hashed file names: a hex hash of 8+ characters (with at least one digit and one letter, so dates
     * and words are not mistaken for hashes) after {@code .}, {@code -} or {@code _} and before an extension
     * ({@code main.3f9a1c2b.js}, {@code app-5d41402abc4b2a76.css}, {@code 2.3f9a1c2b.chunk.js}), or a whole name
     * of 20+ lower-case letters and digits that looks random: 6+ digits, 4+ letters, no run of 6 letters
     * ({@code 712vds57tr18929812312enb.png}).
     */
    public static final String DEFAULT_IMMUTABLE_KEY_PATTERN =
            "(?:.*[._-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\\..*)"
                    + "|(?:(?=[a-z0-9]{20,}\\.)(?![a-z0-9]*[a-z]{6})(?=(?:[a-z]*[0-9]){6})(?=(?:[0-9]*[a-z]){4})"
                    + "[a-z0-9]+\\.[^.]+)";

    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    public InvalidationConfig {
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
        String immutable = config.string("IMMUTABLE_KEY_PATTERN", DEFAULT_IMMUTABLE_KEY_PATTERN);
        String index = config.string("INDEX_DOCUMENT", "index.html");
        return new InvalidationConfig(
                routes,
                config.optional("SITE_BUCKET"),
                config.string("DEFAULT_ROOT_OBJECT", "index.html"),
                index.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(index),
                immutable.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(compile(immutable)),
                config.integer("MAX_PATHS_PER_INVALIDATION", 50, 1, CLOUDFRONT_MAX_FILE_PATHS),
                config.integer("MAX_WILDCARDS_PER_INVALIDATION", 5, 1, CLOUDFRONT_MAX_WILDCARDS),
                config.integer("MAX_INVALIDATIONS_PER_BATCH", 10, 1, 100),
                weight(config),
                config.bool("ALLOW_FULL_PURGE", false),
                config.optional("INVALIDATION_QUEUE_URL"),
                config.integer("RETRY_BASE_SECONDS", 30, 0, 43_200),
                config.integer("RETRY_MAX_SECONDS", 900, 0, 43_200),
                config.integer("EXPECTED_COMPLETION_SECONDS", 300, 0, 43_200));
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
