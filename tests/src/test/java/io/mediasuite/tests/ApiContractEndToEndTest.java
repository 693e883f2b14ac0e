package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalSuite;
import io.mediasuite.local.openapi.ApiDefinition;
import io.mediasuite.local.openapi.GatewayValidator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The documents against the running functions: every route of api/*.yaml is called through {@code start-api}
 * (packaged functions, template resources in the emulators), for each status the functions and the gateway's
 * validator produce, and every answer must be one the document describes: documented status, documented media
 * type, a JSON body matching its schema. The gateway-side rejection of a wrong body type must be the same
 * locally and in the transformed template.
 */
class ApiContractEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "7b1f4e2a9c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";
    private static final String WRONG_LOCATION = "{\"platform\":\"APNS\",\"token\":\"" + TOKEN + "\",\"location\":\"paris\"}";

    private static LocalSuite suite;
    private static ApiDefinition devices;
    private static ApiDefinition thumbnails;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void serveEveryApiFunction() throws Exception {
        LocalCloud cloud = LocalCloud.shared();
        // the APIs only: event sources on the shared stack would work through what other test classes queued
        suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0, false);
        devices = ApiDocuments.load("DeviceApi");
        thumbnails = ApiDocuments.load("ThumbnailApi");

        Map<String, String> env = cloud.functionEnvironment("ThumbnailFunction");
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build()) {
            String bucket = cloud.physicalId("ImagesBucket");
            s3.putObject(b -> b.bucket(bucket).key("contract/photo.png").contentType("image/png"),
                    RequestBody.fromBytes(png()));
            s3.putObject(b -> b.bucket(bucket).key("contract/notes.png").contentType("image/png"),
                    RequestBody.fromString("not an image at all"));
        }
    }

    @AfterAll
    static void stop() {
        suite.close();
    }

    @Test
    void put_shouldBeRejectedIdenticallyLocallyAndByTheTransformedTemplate_whenTheBodyHasAWrongType()
            throws Exception {
        // given: the RestApi body CloudFormation gets from the transformed template
        JsonNode restApi = TransformedTemplate.get().path("Resources").path("DeviceApi").path("Properties").path("Body");
        ApiDefinition deployed = ApiDefinition.of(Path.of("DeviceApi.Body"), restApi);
        ApiDefinition.Operation put = deployed.operation("PUT", "/devices/{deviceId}").orElseThrow();

        // when: start-api answers the request, and the deployed validator configuration judges the same request
        HttpResponse<byte[]> local = call(devices, "PUT", "/devices/{deviceId}", "/devices/contract-wrongtype-01",
                WRONG_LOCATION, Map.of("Content-Type", "application/json"));
        String requestId = local.headers().firstValue("x-amzn-RequestId").orElseThrow();
        GatewayValidator.Rejection gateway = new GatewayValidator(deployed).validate(new GatewayValidator.Request(
                "PUT", "/devices/{deviceId}", Map.of("deviceId", "contract-wrongtype-01"), Map.of(),
                Map.of("Content-Type", "application/json"), WRONG_LOCATION.getBytes(StandardCharsets.UTF_8)), requestId)
                .orElseThrow(() -> new AssertionError("the deployed validator lets a string location through"));

        // then: the deployed method validates bodies against DeviceRegistration, whose location is an object ...
        String validator = put.node().path("x-amazon-apigateway-request-validator")
                .asText(restApi.path("x-amazon-apigateway-request-validator").asText());
        assertTrue(restApi.path("x-amazon-apigateway-request-validators").path(validator)
                .path("validateRequestBody").asBoolean(), "PUT /devices/{deviceId} has no body validator");
        assertEquals("#/components/schemas/DeviceRegistration",
                put.node().path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText());
        assertEquals("#/components/schemas/Location", restApi.path("components").path("schemas")
                .path("DeviceRegistration").path("properties").path("location").path("$ref").asText());
        assertEquals("object", restApi.path("components").path("schemas").path("Location").path("type").asText());
        List<String> problems = deployed.requestBodyProblems(put, "application/json", JSON.readTree(WRONG_LOCATION));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("$.location"), problems.toString());
        // ... and the local runner answers exactly what that configuration makes API Gateway answer
        assertEquals(400, local.statusCode());
        assertEquals(gateway.status(), local.statusCode());
        assertEquals(JSON.readTree(gateway.body()), JSON.readTree(local.body()));
        assertEquals("no-store", local.headers().firstValue("Cache-Control").orElse(""));
        // ... without invoking the function: the device was never registered
        assertEquals(404, call(devices, "GET", "/devices/{deviceId}", "/devices/contract-wrongtype-01", null, Map.of())
                .statusCode());
    }

    @Test
    void deviceRoutes_shouldAnswerAsDocumented_forEachStatusTheyProduce() throws Exception {
        // given
        String path = "/devices/contract-device-0001";
        String registration = "{\"platform\":\"APNS\",\"token\":\"" + TOKEN + "\",\"userId\":\"user-1\","
                + "\"location\":{\"lat\":48.8566,\"lon\":2.3522},\"locale\":\"fr-FR\",\"appVersion\":\"3.2.0\"}";
        Map<String, String> json = Map.of("Content-Type", "application/json");

        // when / then: every call is checked against the document by call()
        assertEquals(201, call(devices, "PUT", "/devices/{deviceId}", path, registration, json).statusCode());
        assertEquals(200, call(devices, "PUT", "/devices/{deviceId}", path, registration, json).statusCode());
        assertEquals(200, call(devices, "GET", "/devices/{deviceId}", path, null, Map.of()).statusCode());
        assertEquals(400, call(devices, "PUT", "/devices/{deviceId}", path,
                "{\"platform\":\"APNS\",\"token\":\"" + "g".repeat(64) + "\"}", json).statusCode(), "handler-side rule");
        assertEquals(400, call(devices, "GET", "/devices/{deviceId}", "/devices/short", null, Map.of()).statusCode());
        assertEquals(400, call(devices, "PUT", "/devices/{deviceId}", path, "", json).statusCode(), "empty body");
        assertEquals(204, call(devices, "DELETE", "/devices/{deviceId}", path, null, Map.of()).statusCode());
        assertEquals(404, call(devices, "GET", "/devices/{deviceId}", path, null, Map.of()).statusCode());
        assertEquals(204, call(devices, "DELETE", "/devices/{deviceId}", path, null, Map.of()).statusCode());
        assertEquals(List.of(), contractViolations());
    }

    @Test
    void notificationRoutes_shouldAnswerAsDocumented_forEachStatusTheyProduce() throws Exception {
        // given
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String send = "{\"near\":{\"lat\":48.8566,\"lon\":2.3522,\"radiusKm\":15},"
                + "\"message\":{\"title\":\"Storm warning\",\"body\":\"Heavy rain tonight\",\"data\":{\"deepLink\":\"x\"}},"
                + "\"platforms\":[\"APNS\",\"FCM\"]}";

        // when
        HttpResponse<byte[]> accepted = call(devices, "POST", "/notifications", "/notifications", send, json);
        String id = JSON.readTree(accepted.body()).path("notificationId").asText();

        // then
        assertEquals(202, accepted.statusCode());
        assertEquals("/dev/notifications/" + id, accepted.headers().firstValue("Location").orElse(""));
        assertEquals(200, call(devices, "GET", "/notifications/{notificationId}", "/notifications/" + id, null,
                Map.of()).statusCode());
        assertEquals(404, call(devices, "GET", "/notifications/{notificationId}",
                "/notifications/00000000-0000-4000-8000-000000000000", null, Map.of()).statusCode());
        assertEquals(400, call(devices, "GET", "/notifications/{notificationId}", "/notifications/not-an-id", null,
                Map.of()).statusCode());
        assertEquals(400, call(devices, "POST", "/notifications", "/notifications",
                send.replace("\"radiusKm\":15", "\"radiusKm\":5000"), json).statusCode(), "gateway: radius maximum");
        assertEquals(400, call(devices, "POST", "/notifications", "/notifications",
                send.replace("\"deepLink\"", "\"google.sent\""), json).statusCode(), "handler: reserved key");
        assertEquals(List.of(), contractViolations());
    }

    @Test
    void thumbnailRoute_shouldAnswerAsDocumented_forEachStatusItProduces() throws Exception {
        // when
        HttpResponse<byte[]> image = call(thumbnails, "GET", "/{proxy+}", "/contract/thumb/400/300/photo.png", null,
                Map.of("Accept", "image/*"));
        String etag = image.headers().firstValue("ETag").orElseThrow();

        // then
        assertEquals(200, image.statusCode());
        assertEquals(304, call(thumbnails, "GET", "/{proxy+}", "/contract/thumb/400/300/photo.png", null,
                Map.of("If-None-Match", etag)).statusCode());
        assertEquals(400, call(thumbnails, "GET", "/{proxy+}", "/contract/thumb/401/300/photo.png", null, Map.of())
                .statusCode());
        assertEquals(404, call(thumbnails, "GET", "/{proxy+}", "/contract/thumb/400/300/missing.png", null, Map.of())
                .statusCode());
        assertEquals(415, call(thumbnails, "GET", "/{proxy+}", "/contract/thumb/400/300/notes.png", null, Map.of())
                .statusCode());
        assertEquals(List.of(), contractViolations());
    }

    @Test
    void apis_shouldEachBeServedAtTheirOwnBaseUrl_inTemplateOrder() throws Exception {
        // when: the thumbnail API's greedy route and a device path without an id, each asked of the other API
        URI deviceApi = suite.apiEndpoints().get("DeviceApi");
        URI thumbnailApi = suite.apiEndpoints().get("ThumbnailApi");
        HttpResponse<String> noDeviceId = HTTP.send(HttpRequest.newBuilder(deviceApi.resolve("/devices/")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> deviceOnThumbnails = HTTP.send(HttpRequest.newBuilder(
                thumbnailApi.resolve("/devices/contract-device-0002")).build(), HttpResponse.BodyHandlers.ofString());

        // then: API Gateway answers a path its API does not have with 403 Missing Authentication Token
        assertEquals(List.of("DeviceApi", "ThumbnailApi"), List.copyOf(suite.apiEndpoints().keySet()));
        assertTrue(deviceApi.getPort() != thumbnailApi.getPort(), suite.apiEndpoints().toString());
        assertEquals(403, noDeviceId.statusCode(), noDeviceId.body());
        assertTrue(noDeviceId.body().contains("Missing Authentication Token"), noDeviceId.body());
        // ... while on the thumbnail API the function's {proxy+} owns every path, and refuses this one itself
        assertTrue(deviceOnThumbnails.statusCode() != 403 && deviceOnThumbnails.statusCode() < 500,
                deviceOnThumbnails.statusCode() + " " + deviceOnThumbnails.body());
    }

    private static List<String> contractViolations() {
        List<String> violations = new ArrayList<>();
        suite.apiEndpoints().keySet().forEach(api -> violations.addAll(suite.api(api).contractViolations()));
        return violations;
    }

    /** Calls start-api and checks the answer against the operation's documented responses. */
    private static HttpResponse<byte[]> call(ApiDefinition definition, String method, String resource, String path,
                                             String body, Map<String, String> headers) throws Exception {
        URI base = suite.apiEndpoints().get(definition == devices ? "DeviceApi" : "ThumbnailApi");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        ApiDefinition.Operation operation = definition.operation(method, resource).orElseThrow();
        List<String> problems = definition.responseProblems(operation, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body());
        assertEquals(List.of(), problems, method + " " + path + " answered "
                + new String(response.body(), 0, Math.min(response.body().length, 300), StandardCharsets.UTF_8));
        assertFalse(response.statusCode() >= 500, method + " " + path + " answered " + response.statusCode());
        return response;
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
