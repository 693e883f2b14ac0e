package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Decides which changed objects need no invalidation because nothing at their URL can ever be stale. Skipping a
 * mutable object leaves it stale until its TTL, the worse error, so an object is skipped only on facts:
 * <ul>
 *   <li>its {@code Cache-Control} (HeadObject) says {@code immutable}, or a {@code max-age}/{@code s-maxage} of at
 *       least {@code IMMUTABLE_MIN_MAX_AGE} (default a year): what build tools and deploy scripts set on hashed
 *       assets. Only created objects whose name carries a hash-like token are asked (a HeadObject costs far less
 *       than a billed path, but a batch has thousands of objects); a removed object cannot be asked;</li>
 *   <li>or its key follows a bundler convention the operator opted into ({@code IMMUTABLE_BUNDLERS}: {@code vite}
 *       (Rollup), {@code webpack}, {@code esbuild}, {@code angular}, {@code parcel}, {@code next}), or their own
 *       {@code IMMUTABLE_KEY_PATTERN}.</li>
 * </ul>
 * A name that merely looks random (a UUID, a SKU, a git SHA) is never enough.
 */
public final class ImmutableObjects {

    /** The bundler conventions that may be opted into, each a pattern on the whole key. */
    public static final Map<String, Pattern> BUNDLERS = bundlers();

    /** A token of 8+ letters and digits with both, after '.', '-' or '_' and before an extension: worth a HEAD. */
    private static final Pattern HASH_LIKE = Pattern.compile(
            ".*[._-](?=[A-Za-z0-9_]*[0-9])(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{8,}\\.[^/]+|(?:.*/)?_next/static/.*");
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*(?:s-maxage|max-age)\\s*=\\s*\"?(\\d{1,12})");
    private static final int PARALLEL_HEADS = 16;

    private ImmutableObjects() {
    }

    private static Map<String, Pattern> bundlers() {
        String assets = "(?:js|mjs|cjs|css|map|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|avif|ico|wasm)";
        Map<String, Pattern> map = new LinkedHashMap<>();
        // Vite / Rollup: assets/[name]-[hash].[ext], an 8-character base64url hash (index-BpXZL7ax.js)
        map.put("vite", Pattern.compile("(?:.*/)?assets/[^/]+-[A-Za-z0-9_-]{8}\\." + assets + "(?:\\.map)?"));
        // webpack (and Create React App): [name].[contenthash].ext, 8-32 hex, optional .chunk
        map.put("webpack", Pattern.compile("(?:.*/)?[^/]+\\.[0-9a-f]{8,32}(?:\\.chunk)?\\." + assets + "(?:\\.map)?"));
        // esbuild: [name]-[hash], 8 characters of upper-case base32
        map.put("esbuild", Pattern.compile("(?:.*/)?[^/]+-[A-Z2-7]{8}\\." + assets + "(?:\\.map)?"));
        // Angular's application builder (esbuild): main-, polyfills-, styles-, chunk-, worker- + 8 upper-case
        map.put("angular", Pattern.compile(
                "(?:.*/)?(?:main|polyfills|styles|chunk|worker|scripts)-[A-Z0-9]{8}\\.(?:js|css|mjs)(?:\\.map)?"));
        // Parcel 2: [name].[hash].[ext], 8 hex
        map.put("parcel", Pattern.compile("(?:.*/)?[^/]+\\.[0-9a-f]{8}\\." + assets + "(?:\\.map)?"));
        // Next.js: everything under _next/static/ is content-addressed (and served immutable by Next itself)
        map.put("next", Pattern.compile("(?:.*/)?_next/static/.+"));
        return Map.copyOf(map);
    }

    /** The opt-in name rules of {@code config}: its bundlers and its own pattern. */
    public static Predicate<ObjectChange> byName(InvalidationConfig config) {
        List<Pattern> patterns = new ArrayList<>();
        config.immutableBundlers().forEach(b -> patterns.add(BUNDLERS.get(b)));
        config.immutableKeyPattern().ifPresent(patterns::add);
        return change -> {
            if (config.imagesBucket().map(change.bucket()::equals).orElse(false)) {
                return false; // a thumbnail of a changed original: stale whatever its name
            }
            String relative = config.routeFor(change.key()).map(r -> change.key().substring(r.keyPrefix().length()))
                    .orElse(change.key());
            return patterns.stream().anyMatch(p -> p.matcher(relative).matches());
        };
    }

    /** Whether a {@code Cache-Control} value says the response never changes. */
    static boolean immutableCacheControl(String cacheControl, long minMaxAge) {
        if (cacheControl == null) {
            return false;
        }
        String value = cacheControl.toLowerCase(Locale.ROOT);
        for (String directive : value.split(",")) {
            String d = directive.trim();
            if (d.equals("no-cache") || d.equals("no-store")) {
                return false;
            }
        }
        for (String directive : value.split(",")) {
            if (directive.trim().equals("immutable")) {
                return true;
            }
        }
        Matcher age = MAX_AGE.matcher(value);
        while (age.find()) {
            if (Long.parseLong(age.group(1)) >= minMaxAge) {
                return true;
            }
        }
        return false;
    }

    /**
     * The immutable changes of a batch: by name (opt-in) or by {@code Cache-Control} read with HeadObject,
     * concurrently. Any doubt (not found, not allowed, an error, a timeout) means mutable.
     */
    public static Set<ObjectChange> of(List<ObjectChange> changes, InvalidationConfig config, Optional<S3Client> s3) {
        Predicate<ObjectChange> byName = byName(config);
        Set<ObjectChange> immutable = ConcurrentHashMap.newKeySet();
        List<ObjectChange> toAsk = new ArrayList<>();
        for (ObjectChange change : changes) {
            if (byName.test(change)) {
                immutable.add(change);
            } else if (s3.isPresent() && config.immutableFromCacheControl()
                    && !config.imagesBucket().map(change.bucket()::equals).orElse(false)
                    && change.kind() == ObjectChange.Kind.CREATED
                    && HASH_LIKE.matcher(change.key()).matches()) {
                toAsk.add(change);
            }
        }
        if (toAsk.isEmpty()) {
            return immutable;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_HEADS, toAsk.size()));
        try {
            List<Future<?>> heads = new ArrayList<>();
            for (ObjectChange change : toAsk) {
                heads.add(pool.submit(() -> {
                    if (head(s3.get(), change, config.immutableMinMaxAge())) {
                        immutable.add(change);
                    }
                }));
            }
            pool.shutdown();
            if (!pool.awaitTermination(config.headTimeoutSeconds(), TimeUnit.SECONDS)) {
                Log.warn("HeadObject calls did not finish in time; the objects not asked are invalidated",
                        "asked", toAsk.size());
                heads.forEach(h -> h.cancel(true));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        return Set.copyOf(immutable);
    }

    private static boolean head(S3Client s3, ObjectChange change, long minMaxAge) {
        try {
            String cacheControl = s3.headObject(b -> b.bucket(change.bucket()).key(change.key())).cacheControl();
            return immutableCacheControl(cacheControl, minMaxAge);
        } catch (SdkException e) {
            Log.debug("HeadObject failed; the object is invalidated", "key", change.key(),
                    "errorType", e.getClass().getSimpleName());
            return false;
        }
    }
}
