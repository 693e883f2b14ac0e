package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.ApiGatewayServer;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A thumbnail must reach an {@code <img>} tag as bytes, through API Gateway's binary handling: the request goes
 * through {@code start-api} (which applies API Gateway's BinaryMediaTypes rules to the template's ThumbnailApi)
 * with the Accept headers browsers and CloudFront really send; a client that lists image/webp gets WebP.
 */
class StartApiBinaryTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static LocalLambda thumbnails;
    private static ApiGatewayServer server;
    private static HttpClient http;

    @BeforeAll
    static void serveThumbnails() throws Exception {
        LocalCloud cloud = LocalCloud.shared();
        try (AwsLocalClients clients = new AwsLocalClients(cloud.emulators().environment())) {
            S3Client s3 = clients.s3;
            s3.putObject(b -> b.bucket(cloud.physicalId("ImagesBucket")).key("static/images/e2e-photo.png")
                    .contentType("image/png"), RequestBody.fromBytes(png(1200, 900)));
        }
        thumbnails = LocalLambda.load(cloud.function("ThumbnailFunction"));
        server = new ApiGatewayServer("ThumbnailApi", Map.of("ThumbnailFunction", thumbnails), "127.0.0.1", 0);
        server.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        thumbnails.close();
        assertEquals(List.of(), server.contractViolations(), "answers that api/thumbnail-api.yaml does not describe");
    }

    @Test
    void get_shouldReturnWebpBytes_whenTheBrowserAcceptsWebp() throws Exception {
        // when: Chrome's Accept for an <img>, and what CloudFront's viewer-request function forwards for it
        for (String accept : List.of("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "image/webp")) {
            HttpResponse<byte[]> response = get(accept);

            // then: WebP bytes (RIFF....WEBP), 400x300, varying on Accept
            assertEquals(200, response.statusCode(), new String(response.body()));
            assertEquals("image/webp", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals("Accept", response.headers().firstValue("Vary").orElse(""));
            byte[] body = response.body();
            assertEquals("RIFF", new String(body, 0, 4, StandardCharsets.US_ASCII));
            assertEquals("WEBP", new String(body, 8, 4, StandardCharsets.US_ASCII));
            assertEquals(body.length - 8, littleEndian(body, 4, 4), "RIFF size is the body's: nothing re-encoded");
            assertEquals("VP8 ", new String(body, 12, 4, StandardCharsets.US_ASCII));
            // VP8 key frame header: 14-bit width and height after the start code 9d 01 2a
            assertEquals(0x2a019d, littleEndian(body, 23, 3));
            assertEquals(400, littleEndian(body, 26, 2) & 0x3fff);
            assertEquals(300, littleEndian(body, 28, 2) & 0x3fff);
        }
    }

    @Test
    void get_shouldReturnTheSourceFormat_whenTheBrowserDoesNotListWebp() throws Exception {
        // when: Safari 13's Accept for an <img>
        HttpResponse<byte[]> response = get("image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5");

        // then
        assertThumbnail(response);
    }

    @Test
    void get_shouldReturnImageBytes_whenTheClientAcceptsAnything() throws Exception {
        // when
        HttpResponse<byte[]> response = get("*/*");

        // then
        assertThumbnail(response);
    }

    @Test
    void get_shouldReturnImageBytes_whenCloudFrontSendsNoAccept() throws Exception {
        // when
        HttpResponse<byte[]> response = get(null);

        // then
        assertThumbnail(response);
    }

    @Test
    void acceptsBinary_shouldFollowApiGatewaysRules_forTheKnownTrap() {
        // then: an API without */* only converts when Accept names a binary type; */* converts everything
        assertFalse(ApiGatewayServer.acceptsBinary(List.of(), "image/*"));
        assertFalse(ApiGatewayServer.acceptsBinary(List.of("image/png"), "text/html"));
        assertFalse(ApiGatewayServer.acceptsBinary(List.of("image/png"), null));
        assertTrue(ApiGatewayServer.acceptsBinary(List.of("image/*"), "image/webp,*/*;q=0.8"));
        assertTrue(ApiGatewayServer.acceptsBinary(List.of("*/*"), null));
    }

    private static void assertThumbnail(HttpResponse<byte[]> response) throws Exception {
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("Accept", response.headers().firstValue("Vary").orElse(""));
        assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(response.body(), PNG_MAGIC.length), "body is not PNG bytes");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertNotNull(image);
        assertEquals(400, image.getWidth());
        assertEquals(300, image.getHeight());
    }

    private static int littleEndian(byte[] bytes, int offset, int length) {
        int value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = value << 8 | bytes[offset + i] & 0xFF;
        }
        return value;
    }

    private static HttpResponse<byte[]> get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/static/images/thumb/400/300/e2e-photo.png")).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
