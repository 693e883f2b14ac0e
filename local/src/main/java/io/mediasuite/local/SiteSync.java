package io.mediasuite.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deploys a static site folder into the stack's buckets the way {@code aws s3 sync} deploys it: a file is uploaded
 * only when it is new or its MD5 differs from the object's ETag (so a re-sync of an unchanged site sends nothing,
 * and the invalidation function hears only of real changes), with the Content-Type of its extension and the
 * Cache-Control a real deploy sets. Nothing is deleted (like {@code aws s3 sync} without {@code --delete}).
 *
 * <p>Files under {@code static/images/} are originals for the thumbnail origin and go to the images bucket under
 * the same keys; every other file goes to the site bucket. Hidden files and folders, and the glob patterns listed
 * in the folder's {@code .syncignore} (one per line, relative to the folder, {@code #} comments), stay out.
 */
public final class SiteSync {

    /** Key prefix of the originals the thumbnail origin reads (ThumbnailFunction: {prefix/}thumb/... -> {prefix/}name). */
    public static final String IMAGES_PREFIX = "static/images/";
    static final String IGNORE_FILE = ".syncignore";

    /** HTML names no version: browsers revalidate after a minute, the edge keeps it until an invalidation. */
    static final String HTML_CACHE = "public, max-age=60, s-maxage=86400";
    /** A content hash in the name (main.3f9a1c2b.js): a new version is a new name, so it never goes stale. */
    static final String IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
    /** Other assets (site.css, logo.png): an hour in browsers, a day at the edge, invalidated on deploy. */
    static final String ASSET_CACHE = "public, max-age=3600, s-maxage=86400";

    /** name.{8+ hex with a digit and a letter}.ext, or name-{hash}.ext: the usual bundler output. */
    private static final Pattern HASHED_NAME =
            Pattern.compile(".*[._-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\\.[A-Za-z0-9]+");

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("pdf", "application/pdf"));

    private final S3Client s3;
    private final String siteBucket;
    private final String imagesBucket;

    /**
     * @param s3           a client of the S3 the stack's buckets live in
     * @param siteBucket   the physical name of SiteBucket (what the distribution serves)
     * @param imagesBucket the physical name of ImagesBucket (the thumbnail origin's originals)
     */
    public SiteSync(S3Client s3, String siteBucket, String imagesBucket) {
        this.s3 = s3;
        this.siteBucket = siteBucket;
        this.imagesBucket = imagesBucket;
    }

    /**
     * A client of the S3 the suite uses (path style, as the runner's other clients), with the keys of
     * {@code env} ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}; an emulator accepts any).
     */
    public static S3Client s3Client(URI endpoint, String region, Map<String, String> env) {
        String key = env.getOrDefault("AWS_ACCESS_KEY_ID", "testing");
        String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "testing");
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .forcePathStyle(true).endpointOverride(endpoint).build();
    }

    /** One file put into a bucket. */
    public record Upload(Path file, String bucket, String key, String contentType, String cacheControl) {

        /** The line {@code aws s3 sync} prints for it. */
        @Override
        public String toString() {
            return "upload: " + file + " to s3://" + bucket + "/" + key;
        }
    }

    /** What a sync did: the uploads, in key order, and how many files were already up to date. */
    public record Result(List<Upload> uploads, int unchanged) {
    }

    /**
     * Uploads what changed under {@code dir}.
     *
     * @throws IllegalArgumentException when {@code dir} is not a folder
     */
    public Result sync(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no site folder " + dir);
        }
        Path root = dir.toAbsolutePath().normalize();
        List<PathMatcher> ignored = ignorePatterns(root);
        Map<String, String> siteEtags = etags(siteBucket, "");
        Map<String, String> imageEtags = etags(imagesBucket, IMAGES_PREFIX);
        List<Upload> uploads = new ArrayList<>();
        int unchanged = 0;
        for (Path file : files(root, ignored)) {
            String key = key(root.relativize(file));
            boolean image = key.startsWith(IMAGES_PREFIX);
            String bucket = image ? imagesBucket : siteBucket;
            String etag = (image ? imageEtags : siteEtags).get(key);
            if (md5(file).equals(etag)) {
                unchanged++;
                continue;
            }
            Upload upload = new Upload(dir.resolve(root.relativize(file)), bucket, key, contentType(key),
                    image ? IMMUTABLE_CACHE : cacheControl(key));
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(upload.contentType())
                    .cacheControl(upload.cacheControl()), RequestBody.fromFile(file));
            uploads.add(upload);
        }
        return new Result(List.copyOf(uploads), unchanged);
    }

    /** Content-Type by extension, as {@code aws s3 sync} guesses it; unknown ones are application/octet-stream. */
    public static String contentType(String key) {
        int dot = key.lastIndexOf('.');
        String extension = dot < 0 ? "" : key.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** Cache-Control of a site bucket object, as a deploy sets it: see the constants for why each. */
    public static String cacheControl(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (contentType(key).startsWith("text/html")) {
            return HTML_CACHE;
        }
        return HASHED_NAME.matcher(name).matches() ? IMMUTABLE_CACHE : ASSET_CACHE;
    }

    private Map<String, String> etags(String bucket, String prefix) {
        Map<String, String> etags = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            // A multipart ETag ("...-3") is no MD5 of the content: it never matches, so the file is re-sent.
            etags.put(object.key(), object.eTag().replace("\"", ""));
        }
        return etags;
    }

    private static List<Path> files(Path root, List<PathMatcher> ignored) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> {
                        Path relative = root.relativize(f);
                        for (Path part : relative) {
                            if (part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return ignored.stream().noneMatch(m -> m.matches(relative));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    private static List<PathMatcher> ignorePatterns(Path root) {
        Path file = root.resolve(IGNORE_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String key(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    private static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
