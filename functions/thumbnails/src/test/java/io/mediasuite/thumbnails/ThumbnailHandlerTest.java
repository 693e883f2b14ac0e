package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.ProjectLayout;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The origin end to end through {@link ThumbnailHandler#handleRequest}, built from the environment template.yaml
 * gives ThumbnailFunction, against the images bucket LocalCloud creates in moto's S3.
 */
class ThumbnailHandlerTest {

    private static final String OLD_KEY = "an-older-signing-key-0123456789abcdef";
    private static final String NEW_KEY = "the-current-signing-key-0123456789abcdef";

    private static Map<String, String> environment;
    private static S3Client s3;
    private static String bucket;
    private static ThumbnailHandler handler;

    @BeforeAll
    static void provision() {
        environment = LocalCloud.shared().functionEnvironment("ThumbnailFunction");
        bucket = environment.get("IMAGES_BUCKET");
        AwsClients clients = new AwsClients(Env.of(environment));
        s3 = clients.build(S3Client.builder().forcePathStyle(true), "S3");
        put("static/images/photo.jpg", TestImages.resource("small_480x369.jpg"));
        put("static/images/b723eh0f0df.png", TestImages.resource("16bit_900x600.png"));
        put("static/images/flag.png", TestImages.resource("16bit_900x600.png"));
        put("static/images/anim.gif", TestImages.encode(TestImages.quadrants(200, 100), "gif"));
        put("static/images/notes.txt", "not an image".getBytes(StandardCharsets.UTF_8));
        put("static/images/bomb.png", io.mediasuite.thumbnails.pipeline.PipelineFixtures.pngBomb());
        put("static/images/tall.png", io.mediasuite.thumbnails.pipeline.HostileImages.tallPng());
        put("static/images/noise.png", TestImages.encode(TestImages.photoLike(600, 600, BufferedImage.TYPE_INT_ARGB),
                "png"));
        handler = new ThumbnailHandler(Env.of(environment));
    }

    private static void put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    @Test
    void handle_shouldReturnCacheableJpeg_whenFitInsideAllowedSize() {
        // when
        APIGatewayProxyResponseEvent response = get("/static/images/thumb/400/300/photo.jpg");

        // then
        assertEquals(200, response.getStatusCode());
        assertEquals("image/jpeg", response.getHeaders().get("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", response.getHeaders().get("Cache-Control"));
        assertTrue(response.getHeaders().get("ETag").matches("\"[A-Za-z0-9_-]{27}\""));
        assertTrue(response.getIsBase64Encoded());
        BufferedImage image = image(response);
        assertEquals(390, image.getWidth());
        assertEquals(300, image.getHeight());
    }

    @Test
    void handle_shouldKeepAspectFromTheOtherSide_whenOneSideIsZero() {
        BufferedImage image = image(get("/static/images/thumb/400/0/flag.png"));
        assertEquals(400, image.getWidth());
        assertEquals(267, image.getHeight());
        image = image(get("/static/images/thumb/0/300/photo.jpg"));
        assertEquals(390, image.getWidth());
    }

    @Test
    void handle_shouldFillTheBoxExactly_whenCoverMode() {
        APIGatewayProxyResponseEvent response = get("/static/images/thumb/cover/150/150/photo.jpg");
        assertEquals(200, response.getStatusCode());
        BufferedImage image = image(response);
        assertEquals(150, image.getWidth());
        assertEquals(150, image.getHeight());
    }

    @Test
    void handle_shouldAnswerPngForPngAndGif() {
        APIGatewayProxyResponseEvent png = get("/static/images/thumb/400/300/flag.png");
        assertEquals("image/png", png.getHeaders().get("Content-Type"));
        APIGatewayProxyResponseEvent gif = get("/static/images/thumb/150/150/anim.gif");
        assertEquals(200, gif.getStatusCode());
        assertEquals("image/png", gif.getHeaders().get("Content-Type"));
        assertEquals(150, image(gif).getWidth());
    }

    @Test
    void handle_shouldAnswer304_whenIfNoneMatchHoldsTheETag_andChangeETag_whenTheOriginalChanges() {
        // given
        put("static/images/versioned.jpg", TestImages.resource("small_480x369.jpg"));
        String etag = get("/static/images/thumb/400/300/versioned.jpg").getHeaders().get("ETag");

        // when
        APIGatewayProxyResponseEvent notModified = get("/static/images/thumb/400/300/versioned.jpg",
                Map.of("If-None-Match", "W/\"other\", " + etag));

        // then
        assertEquals(304, notModified.getStatusCode());
        assertNull(notModified.getBody());
        assertEquals(etag, notModified.getHeaders().get("ETag"));
        assertEquals(200, get("/static/images/thumb/400/300/versioned.jpg",
                Map.of("If-None-Match", "\"something-else\"")).getStatusCode());
        assertNotEquals(etag, get("/static/images/thumb/150/150/versioned.jpg").getHeaders().get("ETag"),
                "another size is another ETag");

        // and when the original is replaced
        put("static/images/versioned.jpg", TestImages.encode(TestImages.quadrants(300, 200), "jpeg"));
        APIGatewayProxyResponseEvent changed = get("/static/images/thumb/400/300/versioned.jpg",
                Map.of("If-None-Match", etag));
        assertEquals(200, changed.getStatusCode());
        assertNotEquals(etag, changed.getHeaders().get("ETag"));
    }

    @Test
    void handle_shouldAnswer400WithShortCache_whenSizeNotAllowed() {
        APIGatewayProxyResponseEvent response = get("/static/images/thumb/401/300/photo.jpg");
        assertError(response, 400, "bad_request");
        assertTrue(response.getBody().contains("\"field\":\"size\""));
    }

    @Test
    void handle_shouldAnswer400_whenPathTriesTraversal() {
        for (String path : new String[] {"/static/../private/thumb/400/300/x.jpg", "/static/thumb/400/300/../x.jpg",
            "/static/thumb/400/300/%2e%2e/x.jpg", "/static//thumb/400/300/x.jpg", "/static/thumb/400/300/a\\b.jpg",
            "/static/thumb/0400/300/photo.jpg", "/static/thumb/400/300"}) {
            assertError(get(path), 400, "bad_request");
        }
    }

    @Test
    void handle_shouldAnswer404_whenOriginalMissing() {
        assertError(get("/static/images/thumb/400/300/nothing-here.jpg"), 404, "not_found");
    }

    @Test
    void handle_shouldAnswer415_whenOriginalIsNotAnImage() {
        assertError(get("/static/images/thumb/400/300/notes.txt"), 415, "unsupported_media_type");
    }

    @Test
    void handle_shouldAnswer413_whenOriginalHasTooManyPixelsOrBytes() {
        assertError(get("/static/images/thumb/400/300/bomb.png"), 413, "payload_too_large");
        ThumbnailHandler small = handlerWith(Map.of("MAX_SOURCE_BYTES", "4096"));
        assertError(invoke(small, event("/static/images/thumb/400/300/photo.jpg", Map.of()), null), 413,
                "payload_too_large");
    }

    @Test
    void handle_shouldSayWhyInFixedWords_whenTheSourceImageIsRefused() throws Exception {
        // given: a 1 x 49 000 000 PNG, within the pixel limit but refused by the guard
        APIGatewayProxyResponseEvent response = get("/static/images/thumb/400/300/tall.png");

        // then
        assertError(response, 413, "payload_too_large");
        JsonNode field = Json.MAPPER.readTree(response.getBody()).get("error").get("fields").get(0);
        assertEquals("source", field.get("field").asText());
        assertEquals("the image's width or height is out of range", field.get("message").asText());
    }

    @Test
    void handle_shouldAnswer413NotATruncatedImage_whenEncodedBodyExceedsTheResponseLimit() {
        ThumbnailHandler limited = handlerWith(Map.of("MAX_RESPONSE_BYTES", "20000", "THUMBNAIL_SIZES", "600x600"));
        assertError(invoke(limited, event("/static/images/thumb/600/600/noise.png", Map.of()), null), 413,
                "payload_too_large");
        assertEquals(8, ThumbnailHandler.base64Length(6));
        assertEquals(8, ThumbnailHandler.base64Length(4));
    }

    @Test
    void handle_shouldAnswer503_whenTheDeadlineHasPassed() {
        // given: less time left than the configured margin
        APIGatewayProxyResponseEvent response = invoke(handler, event("/static/images/thumb/400/300/photo.jpg",
                Map.of()), new TestContext(500));

        // then
        assertError(response, 503, "service_unavailable");
    }

    @Test
    void handle_shouldServeAnySize_whenSignedWithCurrentOrPreviousKey() {
        // given
        ThumbnailHandler signing = handlerWith(Map.of("SIGNING_KEYS", NEW_KEY + "," + OLD_KEY));
        String canonical = "static/images/thumb/123/77/photo.jpg";
        String current = new UrlSigner(java.util.List.of(NEW_KEY.getBytes(StandardCharsets.UTF_8))).sign(canonical);
        String previous = new UrlSigner(java.util.List.of(OLD_KEY.getBytes(StandardCharsets.UTF_8))).sign(canonical);

        // when / then
        for (String signature : new String[] {current, previous}) {
            APIGatewayProxyResponseEvent response = invoke(signing,
                    event("/static/images/thumb/s/" + signature + "/123/77/photo.jpg", Map.of()), null);
            assertEquals(200, response.getStatusCode());
            assertEquals(100, image(response).getWidth());
        }
        assertError(invoke(signing, event("/static/images/thumb/s/" + current + "/124/77/photo.jpg", Map.of()),
                null), 403, "forbidden");
        assertError(get("/static/images/thumb/s/" + current + "/123/77/photo.jpg"), 403, "forbidden");
        assertError(invoke(signing, event("/static/images/thumb/123/77/photo.jpg", Map.of()), null), 400,
                "bad_request");
    }

    @Test
    void handle_shouldServeTheCommittedSampleEvents() throws Exception {
        // given: events/ThumbnailFunction/*.json as `sam local invoke -e` would send them
        APIGatewayProxyResponseEvent fit = invokeRaw(fixture("fit.json"));
        assertEquals(200, fit.getStatusCode());
        assertEquals("image/png", fit.getHeaders().get("Content-Type"));
        assertError(invokeRaw(fixture("error-size-not-allowed.json")), 400, "bad_request");
        assertEquals(200, invokeRaw(fixture("conditional.json")).getStatusCode());
        put("static/images/b723eh0f0df.jpg", TestImages.resource("small_480x369.jpg"));
        assertEquals(200, invokeRaw(fixture("cover.json")).getStatusCode());
        assertEquals(400, image(invokeRaw(fixture("fit-width-only.json"))).getWidth());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static ThumbnailHandler handlerWith(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        return new ThumbnailHandler(Env.of(env));
    }

    private static APIGatewayProxyResponseEvent get(String path) {
        return get(path, Map.of());
    }

    private static APIGatewayProxyResponseEvent get(String path, Map<String, String> headers) {
        return invoke(handler, event(path, headers), null);
    }

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(ProjectLayout.root().resolve("events/ThumbnailFunction").resolve(name));
    }

    /** A REST proxy event shaped like events/ThumbnailFunction/fit.json, for another path. */
    private static byte[] event(String path, Map<String, String> headers) {
        try {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(fixture("fit.json"));
            event.put("path", path);
            ((ObjectNode) event.get("pathParameters")).put("proxy", path.substring(1));
            headers.forEach(((ObjectNode) event.get("headers"))::put);
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static APIGatewayProxyResponseEvent invokeRaw(byte[] event) {
        return invoke(handler, event, null);
    }

    private static APIGatewayProxyResponseEvent invoke(ThumbnailHandler target, byte[] event, Context context) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            target.handleRequest(new ByteArrayInputStream(event), out, context);
            return Json.MAPPER.readValue(out.toByteArray(), APIGatewayProxyResponseEvent.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage image(APIGatewayProxyResponseEvent response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return TestImages.decode(Base64.getDecoder().decode(response.getBody()));
    }

    private static void assertError(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("public, max-age=60", response.getHeaders().get("Cache-Control"));
        try {
            JsonNode error = Json.MAPPER.readTree(response.getBody()).get("error");
            assertEquals(code, error.get("code").asText());
            String message = error.get("message").asText();
            assertTrue(message.length() < 60 && !message.contains("Exception") && !message.contains("/"),
                    "public message only: " + message);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
