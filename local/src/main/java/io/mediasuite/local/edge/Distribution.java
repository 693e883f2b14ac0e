package io.mediasuite.local.edge;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.LocalCloud;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The distribution template.yaml declares, with every intrinsic resolved through the local stack: its origins,
 * default root object and cache behaviours, each behaviour with its cache policy and CloudFront Functions.
 */
record Distribution(String logicalId, String id, String domainName, String defaultRootObject,
                    Map<String, Origin> origins, List<Behavior> behaviors, Behavior defaultBehavior,
                    Map<String, String> functionCode) {

    /** An origin: {@code s3} (a bucket, read through OAC) or {@code custom} (an HTTP server). */
    record Origin(String id, String domainName, String originPath, boolean s3) {
    }

    /**
     * A cache behaviour; {@code pathPattern} is null for the default one. {@code functions} maps an event type
     * ({@code viewer-request}, {@code viewer-response}) to the logical id of its CloudFront Function.
     */
    record Behavior(String pathPattern, String targetOriginId, Set<String> allowedMethods, Set<String> cachedMethods,
                    boolean compress, CachePolicy cachePolicy, String viewerProtocolPolicy,
                    Map<String, String> functions) {
    }

    /** The behaviour for a request path: the first pattern that matches, in the template's order, else the default. */
    Behavior behaviorFor(String path) {
        for (Behavior behavior : behaviors) {
            if (Paths.patternMatches(behavior.pathPattern(), path)) {
                return behavior;
            }
        }
        return defaultBehavior;
    }

    /** Logical ids of the template's enabled distributions. */
    static List<String> declared(LocalCloud cloud) {
        return cloud.template().resourcesOfType("AWS::CloudFront::Distribution").stream()
                .filter(id -> enabled(cloud, id)).toList();
    }

    /** Reads distribution {@code logicalId} of the cloud's template. */
    static Distribution load(LocalCloud cloud, String logicalId) {
        Map<String, Object> config = map(map(cloud.resolve(cloud.template().properties(logicalId)))
                .get("DistributionConfig"));
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (Object raw : list(config.get("Origins"))) {
            Map<String, Object> origin = map(raw);
            String id = String.valueOf(origin.get("Id"));
            String path = origin.get("OriginPath") == null ? "" : String.valueOf(origin.get("OriginPath"));
            origins.put(id, new Origin(id, String.valueOf(origin.get("DomainName")), path,
                    origin.containsKey("S3OriginConfig")));
        }
        Map<String, CachePolicy> policies = templatePolicies(cloud);
        Map<String, String> functionsByArn = new LinkedHashMap<>();
        Map<String, String> code = new LinkedHashMap<>();
        for (String function : cloud.template().resourcesOfType("AWS::CloudFront::Function")) {
            if (enabled(cloud, function)) {
                functionsByArn.put(cloud.attribute(function, "FunctionARN"), function);
                code.put(function, String.valueOf(cloud.resolve(cloud.template().properties(function).get("FunctionCode"))));
                String runtime = String.valueOf(map(cloud.resolve(cloud.template().properties(function)
                        .get("FunctionConfig"))).get("Runtime"));
                if (!runtime.startsWith("cloudfront-js-")) {
                    throw new IllegalStateException(function + ": runtime " + runtime + " is not a CloudFront Functions "
                            + "JavaScript runtime");
                }
            }
        }
        List<Behavior> behaviors = new ArrayList<>();
        for (Object raw : list(config.get("CacheBehaviors"))) {
            behaviors.add(behavior(logicalId, map(raw), origins, policies, functionsByArn));
        }
        Behavior fallback = behavior(logicalId, map(config.get("DefaultCacheBehavior")), origins, policies, functionsByArn);
        Object root = config.get("DefaultRootObject");
        return new Distribution(logicalId, cloud.physicalId(logicalId), cloud.attribute(logicalId, "DomainName"),
                root == null || String.valueOf(root).isEmpty() ? null : String.valueOf(root), Map.copyOf(origins),
                List.copyOf(behaviors), fallback, Map.copyOf(code));
    }

    private static Behavior behavior(String distribution, Map<String, Object> raw, Map<String, Origin> origins,
                                     Map<String, CachePolicy> policies, Map<String, String> functionsByArn) {
        String pattern = raw.get("PathPattern") == null ? null : String.valueOf(raw.get("PathPattern"));
        String where = distribution + (pattern == null ? " DefaultCacheBehavior" : " behaviour " + pattern);
        String origin = String.valueOf(raw.get("TargetOriginId"));
        if (!origins.containsKey(origin)) {
            throw new IllegalStateException(where + ": TargetOriginId " + origin + " is not an origin of the distribution");
        }
        Object policyId = raw.get("CachePolicyId");
        if (policyId == null) {
            throw new IllegalStateException(where + " has no CachePolicyId: the local edge serves cache policies only "
                    + "(legacy ForwardedValues/TTL settings are not read)");
        }
        CachePolicy policy = policies.containsKey(String.valueOf(policyId)) ? policies.get(String.valueOf(policyId))
                : CachePolicy.managed(String.valueOf(policyId));
        Set<String> allowed = methods(raw.get("AllowedMethods"));
        Set<String> cached = methods(raw.get("CachedMethods"));
        Map<String, String> functions = new LinkedHashMap<>();
        for (Object association : list(raw.get("FunctionAssociations"))) {
            Map<String, Object> fa = map(association);
            String arn = String.valueOf(fa.get("FunctionARN"));
            String function = functionsByArn.get(arn);
            if (function == null) {
                throw new IllegalStateException(where + ": function " + arn + " is not an AWS::CloudFront::Function of "
                        + "the template");
            }
            functions.put(String.valueOf(fa.get("EventType")), function);
        }
        return new Behavior(pattern, origin, allowed.isEmpty() ? Set.of("GET", "HEAD") : allowed,
                cached.isEmpty() ? Set.of("GET", "HEAD") : cached,
                Boolean.parseBoolean(String.valueOf(raw.get("Compress"))), policy,
                String.valueOf(raw.getOrDefault("ViewerProtocolPolicy", "allow-all")), Map.copyOf(functions));
    }

    /** The template's cache policies by the id their {@code Ref} gives. */
    private static Map<String, CachePolicy> templatePolicies(LocalCloud cloud) {
        Map<String, CachePolicy> policies = new LinkedHashMap<>();
        for (String id : cloud.template().resourcesOfType("AWS::CloudFront::CachePolicy")) {
            if (enabled(cloud, id)) {
                policies.put(cloud.physicalId(id), CachePolicy.fromConfig(map(map(cloud.resolve(
                        cloud.template().properties(id))).get("CachePolicyConfig"))));
            }
        }
        return policies;
    }

    private static Set<String> methods(Object raw) {
        return list(raw).stream().map(m -> String.valueOf(m).toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static boolean enabled(LocalCloud cloud, String logicalId) {
        Object condition = cloud.template().resource(logicalId).get("Condition");
        return condition == null || Boolean.parseBoolean(String.valueOf(cloud.resolve(Map.of("Condition", condition))));
    }

    Optional<Origin> origin(String id) {
        return Optional.ofNullable(origins.get(id));
    }
}
