package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.ApiGatewayServer;
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
 * with the Accept headers browsers and CloudFront really send.
 */
class StartApiBinaryTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static LocalLambda thumbnails;
    private static ApiGatewayServer server;
    private static HttpClient http;

    @BeforeAll
    static void serveThumbnails() throws Exception {
        LocalCloud cloud = LocalCloud.shared();
        try (S3Client s3 = Project.s3(cloud)) {
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
    void get_shouldReturnImageBytes_whenTheBrowserAcceptsImages() throws Exception {
        // when
        HttpResponse<byte[]> response = get("image/avif,image/webp,image/apng,image/*,*/*;q=0.8");

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
        assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(response.body(), PNG_MAGIC.length), "body is not PNG bytes");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertNotNull(image);
        assertEquals(400, image.getWidth());
        assertEquals(300, image.getHeight());
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
