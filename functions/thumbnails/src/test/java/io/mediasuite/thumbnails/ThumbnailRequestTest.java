package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ApiException;
import io.mediasuite.common.ConfigException;
import io.mediasuite.common.Env;
import io.mediasuite.thumbnails.pipeline.FitMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** URL grammar, allow-list, signatures and configuration validation. */
class ThumbnailRequestTest {

    private static final String KEY = "k".repeat(32);
    private final ThumbnailConfig config = ThumbnailConfig.from(Env.of(Map.of("IMAGES_BUCKET", "images",
            "SIGNING_KEYS", KEY)));
    private final UrlSigner signer = new UrlSigner(config.signingKeys());

    @Test
    void parse_shouldMapToTheOriginalKey_asTheSeedDoes() {
        ThumbnailRequest request = ThumbnailRequest.parse("a/b/thumb/400/300/c.png", config, signer);
        assertEquals("a/b/c.png", request.originalKey());
        assertEquals(new ThumbnailSize(400, 300), request.size());
        assertEquals(FitMode.INSIDE, request.mode());
        assertEquals("static/images/b723eh0f0df.png", ThumbnailRequest.parse(
                "/static/images/thumb/400/300/b723eh0f0df.png", config, signer).originalKey());
        assertEquals("c.png", ThumbnailRequest.parse("thumb/400/300/c.png", config, signer).originalKey());
        assertEquals("a/x/thumb/y.png", ThumbnailRequest.parse("a/thumb/400/300/x/thumb/y.png", config, signer)
                .originalKey(), "the first thumb segment is the marker");
    }

    @Test
    void parse_shouldReadCoverMode_fromThePath() {
        ThumbnailRequest request = ThumbnailRequest.parse("a/thumb/cover/400/300/c.jpg", config, signer);
        assertEquals(FitMode.COVER, request.mode());
        assertEquals("a/c.jpg", request.originalKey());
        assertThrows(ApiException.class, () -> ThumbnailRequest.parse("a/thumb/cover/400/0/c.jpg", config, signer));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../b/thumb/400/300/c.png", "a/thumb/400/300/../../etc/passwd", "a/./thumb/400/300/c",
        "a//thumb/400/300/c.png", "a/thumb/400/300/%2e%2e/c.png", "a/thumb/400/300/c\\..\\d.png", "a/thumb/+400/300/c",
        "a/thumb/400/0300/c.png", "a/thumb/400/300/", "a/thumb/400/300", "a/b/c.png", "a/thumb/0/0/c.png",
        "a/thumb/400/300/c\u0000.png", "a/thumb/400/300/caf\u00e9.png", "a/thumb/400/-300/c.png"})
    void parse_shouldRefuseWith400_whenPathIsNotCanonicalOrEscapes(String path) {
        ApiException e = assertThrows(ApiException.class, () -> ThumbnailRequest.parse(path, config, signer));
        assertEquals(400, e.kind().status());
    }

    @Test
    void parse_shouldRefuseSizesOutsideTheAllowList_unlessSigned() {
        ApiException e = assertThrows(ApiException.class,
                () -> ThumbnailRequest.parse("a/thumb/401/300/c.png", config, signer));
        assertEquals("size", e.fieldErrors().get(0).field());
        String signature = signer.sign("a/thumb/401/300/c.png");
        ThumbnailRequest signed = ThumbnailRequest.parse("a/thumb/s/" + signature + "/401/300/c.png", config, signer);
        assertTrue(signed.signed());
        assertEquals("a/thumb/401/300/c.png", signed.canonicalPath());
        String tooBig = signer.sign("a/thumb/5000/300/c.png");
        assertEquals(400, assertThrows(ApiException.class, () -> ThumbnailRequest.parse(
                "a/thumb/s/" + tooBig + "/5000/300/c.png", config, signer)).kind().status());
    }

    @Test
    void verify_shouldAcceptBothRotationKeys_andRejectTamperedPaths() {
        byte[] current = "c".repeat(32).getBytes(StandardCharsets.UTF_8);
        byte[] previous = "p".repeat(32).getBytes(StandardCharsets.UTF_8);
        UrlSigner both = new UrlSigner(List.of(current, previous));
        String oldSignature = new UrlSigner(List.of(previous)).sign("x/thumb/1/2/y.png");
        assertTrue(both.verify("x/thumb/1/2/y.png", oldSignature));
        assertTrue(both.verify("x/thumb/1/2/y.png", both.sign("x/thumb/1/2/y.png")));
        assertFalse(both.verify("x/thumb/1/3/y.png", oldSignature));
        assertFalse(both.verify("x/thumb/1/2/y.png", "not*base64"));
        assertFalse(both.verify("x/thumb/1/2/y.png", ""));
    }

    @Test
    void from_shouldFailNamingTheVariable_whenConfigurationIsInvalid() {
        assertEquals("IMAGES_BUCKET", assertThrows(ConfigException.class,
                () -> ThumbnailConfig.from(Env.of(Map.of()))).variable());
        assertEquals("THUMBNAIL_SIZES", assertThrows(ConfigException.class, () -> ThumbnailConfig.from(Env.of(Map.of(
                "IMAGES_BUCKET", "b", "THUMBNAIL_SIZES", "400*300")))).variable());
        assertEquals("SIGNING_KEYS", assertThrows(ConfigException.class, () -> ThumbnailConfig.from(Env.of(Map.of(
                "IMAGES_BUCKET", "b", "SIGNING_KEYS", "short")))).variable());
        assertEquals("JPEG_QUALITY", assertThrows(ConfigException.class, () -> ThumbnailConfig.from(Env.of(Map.of(
                "IMAGES_BUCKET", "b", "JPEG_QUALITY", "101")))).variable());
        assertEquals("MAX_RESPONSE_BYTES", assertThrows(ConfigException.class, () -> ThumbnailConfig.from(Env.of(
                Map.of("IMAGES_BUCKET", "b", "MAX_RESPONSE_BYTES", "7000000")))).variable());
        assertTrue(ThumbnailConfig.from(Env.of(Map.of("IMAGES_BUCKET", "b"))).allows(new ThumbnailSize(400, 300)),
                "the default allow-list includes the seed's 400x300");
    }
}
