package io.mediasuite.local.edge;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CloudFront cache policy: TTL bounds and what goes into the cache key (and so to the origin). Managed policies
 * are known by their documented ids and settings; a template's {@code AWS::CloudFront::CachePolicy} is read from its
 * resolved {@code CachePolicyConfig}.
 *
 * @param queryStrings   behaviour {@code none | whitelist | allExcept | all} and its names
 * @param headers        behaviour {@code none | whitelist} and its names (lower case)
 * @param cookies        behaviour {@code none | whitelist | allExcept | all} and its names
 */
record CachePolicy(String name, long minTtl, long defaultTtl, long maxTtl, boolean gzip, boolean brotli,
                   Selection queryStrings, Selection headers, Selection cookies) {

    /** Which names of one kind (query string, header, cookie) a policy keys on. */
    record Selection(String behavior, Set<String> names) {

        static final Selection NONE = new Selection("none", Set.of());

        boolean includes(String name) {
            return switch (behavior) {
                case "all" -> true;
                case "whitelist" -> names.contains(name);
                case "allExcept" -> !names.contains(name);
                default -> false;
            };
        }
    }

    static final String CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    static final String CACHING_OPTIMIZED_UNCOMPRESSED = "b2884449-e4de-46a7-ac36-70bc7f1ddd6d";

    /** The managed policies the local edge knows, with the settings AWS documents for them. */
    private static final Map<String, CachePolicy> MANAGED = Map.of(
            CACHING_OPTIMIZED, new CachePolicy("Managed-CachingOptimized", 1, 86_400, 31_536_000, true, true,
                    Selection.NONE, Selection.NONE, Selection.NONE),
            CACHING_OPTIMIZED_UNCOMPRESSED, new CachePolicy("Managed-CachingOptimizedForUncompressedObjects", 1,
                    86_400, 31_536_000, false, false, Selection.NONE, Selection.NONE, Selection.NONE),
            CACHING_DISABLED, new CachePolicy("Managed-CachingDisabled", 0, 0, 0, false, false,
                    Selection.NONE, Selection.NONE, Selection.NONE));

    /** The managed policy with this id; an id the local edge does not know is refused by name. */
    static CachePolicy managed(String id) {
        CachePolicy policy = MANAGED.get(id);
        if (policy == null) {
            throw new IllegalStateException("cache policy " + id + " is neither a cache policy of the template nor a "
                    + "managed policy the local edge knows (" + String.join(", ", new TreeSet<>(MANAGED.keySet())) + ")");
        }
        return policy;
    }

    static boolean isManaged(String id) {
        return MANAGED.containsKey(id);
    }

    /** Reads a resolved {@code CachePolicyConfig}. */
    static CachePolicy fromConfig(Map<String, Object> config) {
        Map<String, Object> parameters = map(config.get("ParametersInCacheKeyAndForwardedToOrigin"));
        long min = number(config.get("MinTTL"), 0);
        long max = number(config.get("MaxTTL"), 31_536_000);
        long def = number(config.get("DefaultTTL"), 86_400);
        return new CachePolicy(String.valueOf(config.get("Name")), min, def, max,
                Boolean.parseBoolean(String.valueOf(parameters.get("EnableAcceptEncodingGzip"))),
                Boolean.parseBoolean(String.valueOf(parameters.get("EnableAcceptEncodingBrotli"))),
                selection(parameters.get("QueryStringsConfig"), "QueryStringBehavior", "QueryStrings", false),
                selection(parameters.get("HeadersConfig"), "HeaderBehavior", "Headers", true),
                selection(parameters.get("CookiesConfig"), "CookieBehavior", "Cookies", false));
    }

    private static Selection selection(Object raw, String behaviorKey, String namesKey, boolean lowerCase) {
        Map<String, Object> config = map(raw);
        String behavior = String.valueOf(config.getOrDefault(behaviorKey, "none"));
        Object names = config.get(namesKey);
        // CloudFormation takes a plain list; the API shape wraps it in {Quantity, Items}.
        List<Object> items = names instanceof Map<?, ?> wrapped ? list(map(wrapped).get("Items")) : list(names);
        Set<String> set = new TreeSet<>();
        items.forEach(item -> set.add(lowerCase ? String.valueOf(item).toLowerCase(Locale.ROOT) : String.valueOf(item)));
        return new Selection(behavior, Set.copyOf(set));
    }

    private static long number(Object value, long fallback) {
        return value == null ? fallback : Long.parseLong(String.valueOf(value));
    }
}
