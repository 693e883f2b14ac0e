package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigException;
import io.mediasuite.common.Env;
import io.mediasuite.local.LocalCloud;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Only what is surely immutable is skipped: opted-in bundler conventions, or Cache-Control read from S3 (moto). */
class ImmutableObjectsTest {

    private static final String ALL_BUNDLERS = "vite,webpack,esbuild,angular,parcel,next";

    private static S3Client s3;
    private static String bucket;
    private static Map<String, String> environment;

    @BeforeAll
    static void start() {
        LocalCloud cloud = LocalCloud.shared();
        environment = cloud.functionEnvironment("InvalidationFunction");
        s3 = new AwsClients(Env.of(environment)).build(S3Client.builder(), "S3");
        bucket = "immutable-test-" + Long.toHexString(System.nanoTime());
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            // real output names of each bundler, with the convention to opt into
            "vite, assets/index-BpXZL7ax.js",
            "vite, assets/index-D2b4K5hF.css",
            "vite, assets/vendor-C7h1YQ9_.js",
            "vite, assets/logo-Dk3k_9Zq.svg",
            "webpack, static/js/main.8f3c2a1b.js",
            "webpack, static/js/453.2d9f1c3a.chunk.js",
            "webpack, static/css/main.073c9b0a.css",
            "webpack, static/media/logo.6ce24c58023cc2f8fd88fe9d219db6c6.svg",
            "webpack, dist/app.5d41402abc4b2a76b971.js.map",
            "esbuild, out/app-5HHVZ6OP.js",
            "esbuild, out/chunk-XRKD7W3E.js",
            "angular, browser/main-7FVO2YPA.js",
            "angular, browser/polyfills-FFHMD2TL.js",
            "angular, browser/styles-5INURTSO.css",
            "parcel, index.975ef6c8.js",
            "parcel, index.2c5e4a1b.css",
            "next, _next/static/chunks/pages/_app-2d8e8f8a9c0b1d2e.js",
            "next, _next/static/css/5c5a2d1f0e3b4a6c.css",
            "next, _next/static/e3Kl9xQw8pLmN0oP1aBcD/_buildManifest.js"})
    void byName_shouldSkipBundlerOutput_whenItsConventionIsOptedInto(String bundler, String key) {
        // given / when / then
        assertTrue(ImmutableObjects.byName(config(Map.of("IMMUTABLE_BUNDLERS", bundler))).test(change(key)), key);
        assertFalse(ImmutableObjects.byName(config(Map.of())).test(change(key)), key + " skipped without opt-in");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "products/product-3f2a9c1b.json",
            "products/sku-A1B2C3D4.html",
            "sku/AB12CD34.json",
            "downloads/report-550e8400-e29b-41d4-a716-446655440000.pdf",
            "downloads/550e8400e29b41d4a716446655440000.pdf",
            "builds/release-9fceb02d0ae598e95dc970b74767f19372d61af8.zip",
            "builds/9fceb02.tar.gz",
            "images/IMG_20240504_123456.jpg",
            "index.html",
            "assets/index.html"})
    void byName_shouldNeverSkipMutableNames_whenEveryBundlerConventionIsOptedInto(String key) {
        // given / when / then
        assertFalse(ImmutableObjects.byName(config(Map.of("IMMUTABLE_BUNDLERS", ALL_BUNDLERS))).test(change(key)),
                key);
    }

    @Test
    void of_shouldSkipOnlyObjectsWhoseCacheControlSaysImmutable_whenHashLikeNamesAreChanged() {
        // given objects as a deploy script would write them
        put("assets/app.3f9a1c2b.js", "public, max-age=31536000, immutable");
        put("assets/vendor.77aa11bb.js", "max-age=31536000");
        put("products/product-3f2a9c1b.json", "public, max-age=300");
        put("downloads/report-550e8400-e29b-41d4-a716-446655440000.pdf", null);
        put("builds/release-9fceb02d0ae598e95dc970b74767f19372d61af8.zip", "no-cache, max-age=31536000");
        List<ObjectChange> changes = List.of(change("assets/app.3f9a1c2b.js"), change("assets/vendor.77aa11bb.js"),
                change("products/product-3f2a9c1b.json"),
                change("downloads/report-550e8400-e29b-41d4-a716-446655440000.pdf"),
                change("builds/release-9fceb02d0ae598e95dc970b74767f19372d61af8.zip"),
                change("assets/gone.5e5e5e5e.js"),
                new ObjectChange("m", bucket, "assets/old.1a2b3c4d.js", ObjectChange.Kind.REMOVED,
                        "ObjectRemoved:Delete"));

        // when
        Set<ObjectChange> immutable = ImmutableObjects.of(changes, config(Map.of()), Optional.of(s3));

        // then the SKU, UUID and SHA names are invalidated; so are a vanished and a removed object
        assertEquals(Set.of(changes.get(0), changes.get(1)), immutable);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "public, max-age=31536000, immutable | true",
            "max-age=31536000                    | true",
            "public, s-maxage=40000000           | true",
            "public, max-age=86400               | false",
            "no-cache                            | false",
            "no-store, immutable                 | false",
            "Immutable                           | true"})
    void immutableCacheControl_shouldTrustImmutableOrAYearOfMaxAge(String cacheControl, boolean expected) {
        // given / when / then
        assertEquals(expected, ImmutableObjects.immutableCacheControl(cacheControl, 31_536_000));
    }

    @Test
    void from_shouldNameTheVariable_whenABundlerIsUnknown() {
        // given / when / then
        assertEquals("IMMUTABLE_BUNDLERS", assertThrows(ConfigException.class,
                () -> config(Map.of("IMMUTABLE_BUNDLERS", "vite,gulp"))).variable());
    }

    private static void put(String key, String cacheControl) {
        s3.putObject(b -> {
            b.bucket(bucket).key(key);
            if (cacheControl != null) {
                b.cacheControl(cacheControl);
            }
        }, RequestBody.fromString("x"));
    }

    private static ObjectChange change(String key) {
        return new ObjectChange("m-" + key, bucket, key, ObjectChange.Kind.CREATED, "ObjectCreated:Put");
    }

    private static InvalidationConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        return InvalidationConfig.from(Env.of(env));
    }
}
