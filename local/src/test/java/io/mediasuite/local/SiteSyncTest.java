package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link SiteSync} against moto's S3: what goes where, with which headers, and only what changed. */
class SiteSyncTest {

    private static S3Client s3;

    @BeforeAll
    static void connect() {
        Map<String, String> env = Emulators.shared().environment();
        s3 = S3Client.builder().region(Region.of(env.get("AWS_REGION"))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build();
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    @Test
    void sync_shouldPutPagesInTheSiteBucketAndOriginalsInTheImagesBucket_whenTheBucketsAreEmpty() {
        String site = bucket("site");
        String images = bucket("images");
        Path dir = ProjectLayout.root().resolve("site");

        SiteSync.Result result = new SiteSync(s3, site, images).sync(dir);

        List<String> siteKeys = keys(site);
        assertTrue(siteKeys.containsAll(List.of("index.html", "about/index.html", "css/site.css")), siteKeys.toString());
        assertTrue(siteKeys.stream().noneMatch(k -> k.startsWith("static/") || k.startsWith("tools/")
                || k.equals("README.md") || k.startsWith(".")), "kept out of the site bucket: " + siteKeys);
        List<String> imageKeys = keys(images);
        assertTrue(imageKeys.containsAll(List.of("static/images/dunes.jpg", "static/images/orbit.png")),
                imageKeys.toString());
        assertTrue(imageKeys.stream().allMatch(k -> k.startsWith(SiteSync.IMAGES_PREFIX)), imageKeys.toString());
        assertEquals(siteKeys.size() + imageKeys.size(), result.uploads().size());
        assertEquals(0, result.unchanged());

        HeadObjectResponse page = s3.headObject(b -> b.bucket(site).key("about/index.html"));
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertEquals(SiteSync.HTML_CACHE, page.cacheControl());
        HeadObjectResponse css = s3.headObject(b -> b.bucket(site).key("css/site.css"));
        assertEquals("text/css; charset=utf-8", css.contentType());
        assertEquals(SiteSync.ASSET_CACHE, css.cacheControl());
        HeadObjectResponse png = s3.headObject(b -> b.bucket(images).key("static/images/orbit.png"));
        assertEquals("image/png", png.contentType());
        assertEquals(SiteSync.IMMUTABLE_CACHE, png.cacheControl());
        assertEquals("image/jpeg", s3.headObject(b -> b.bucket(images).key("static/images/tiles.jpg")).contentType());
    }

    @Test
    void sync_shouldUploadOnlyChangedAndNewFiles_whenRunAgain(@TempDir Path dir) throws Exception {
        String site = bucket("site");
        String images = bucket("images");
        write(dir.resolve("index.html"), "<h1>one</h1>");
        write(dir.resolve("docs/index.html"), "<h1>docs</h1>");
        write(dir.resolve("js/app.3f9a1c2b.js"), "console.log(1)");
        write(dir.resolve("static/images/a.png"), "not really a png");
        write(dir.resolve(".git/config"), "hidden");
        write(dir.resolve("notes/todo.txt"), "ignored");
        write(dir.resolve(SiteSync.IGNORE_FILE), "# comment\nnotes/**\n");
        SiteSync sync = new SiteSync(s3, site, images);

        assertEquals(4, sync.sync(dir).uploads().size());
        SiteSync.Result again = sync.sync(dir);
        assertEquals(List.of(), again.uploads());
        assertEquals(4, again.unchanged());

        write(dir.resolve("docs/index.html"), "<h1>docs, second edition</h1>");
        write(dir.resolve("docs/new.html"), "<h1>new</h1>");
        SiteSync.Result changed = sync.sync(dir);
        assertEquals(List.of("docs/index.html", "docs/new.html"),
                changed.uploads().stream().map(SiteSync.Upload::key).toList());
        assertEquals(3, changed.unchanged());
        String etag = s3.headObject(b -> b.bucket(site).key("docs/index.html")).eTag().replace("\"", "");
        assertEquals(md5(dir.resolve("docs/index.html")), etag);
        assertEquals(SiteSync.IMMUTABLE_CACHE, s3.headObject(b -> b.bucket(site).key("js/app.3f9a1c2b.js"))
                .cacheControl());
        assertEquals(List.of("docs/index.html", "docs/new.html", "index.html", "js/app.3f9a1c2b.js"), keys(site));
    }

    @Test
    void cacheControl_shouldBeImmutable_onlyWhenTheNameCarriesAContentHash() {
        assertEquals(SiteSync.IMMUTABLE_CACHE, SiteSync.cacheControl("assets/main.3f9a1c2b.js"));
        assertEquals(SiteSync.IMMUTABLE_CACHE, SiteSync.cacheControl("app-5d41402abc4b2a76.css"));
        assertEquals(SiteSync.ASSET_CACHE, SiteSync.cacheControl("css/site.css"));
        assertEquals(SiteSync.ASSET_CACHE, SiteSync.cacheControl("report-20241201.pdf"));
        assertEquals(SiteSync.ASSET_CACHE, SiteSync.cacheControl("deadbeef.css"));
        assertEquals(SiteSync.HTML_CACHE, SiteSync.cacheControl("index.a1b2c3d4e5.html"));
        assertEquals("application/octet-stream", SiteSync.contentType("LICENSE"));
        assertEquals("image/svg+xml", SiteSync.contentType("logo.SVG"));
    }

    @Test
    void sync_shouldRefuse_whenTheFolderDoesNotExist(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiteSync(s3, bucket("site"), bucket("images")).sync(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    private static String bucket(String role) {
        String name = "sync-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private static List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted()
                .toList();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }
}
