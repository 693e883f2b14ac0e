package io.mediasuite.local.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.emulator.ProjectLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API Gateway's request validation, applied from the project's api/device-api.yaml and from small documents. */
class GatewayValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiDefinition DEVICES = ApiDefinition.load(ProjectLayout.root().resolve("api/device-api.yaml"));
    private static final String TOKEN = "7b1f4e2a9c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";

    @Test
    void validate_shouldRejectWithTheDocumentsGatewayResponse_whenLocationIsAString() throws Exception {
        // given
        GatewayValidator validator = new GatewayValidator(DEVICES);

        // when
        Optional<GatewayValidator.Rejection> rejection = validator.validate(
                putDevice("{\"platform\":\"APNS\",\"token\":\"" + TOKEN + "\",\"location\":\"paris\"}", "application/json"),
                "req-1");

        // then
        assertTrue(rejection.isPresent());
        assertEquals("BAD_REQUEST_BODY", rejection.get().responseType());
        assertEquals(400, rejection.get().status());
        JsonNode body = JSON.readTree(rejection.get().body());
        assertEquals("bad_request", body.path("error").path("code").asText());
        assertEquals("req-1", body.path("error").path("requestId").asText());
        assertEquals("no-store", rejection.get().headers().get("Cache-Control"));
        assertTrue(rejection.get().problems().toString().contains("location"), rejection.get().problems().toString());
    }

    @Test
    void validate_shouldLetTheRequestThrough_whenTheBodyMatchesTheSchema() {
        // given
        GatewayValidator validator = new GatewayValidator(DEVICES);

        // when
        Optional<GatewayValidator.Rejection> rejection = validator.validate(putDevice("{\"platform\":\"FCM\",\"token\":\""
                + "a".repeat(120) + "\",\"location\":{\"lat\":48.85,\"lon\":2.35},\"locale\":\"fr-FR\"}",
                "application/json; charset=utf-8"), "req-2");

        // then
        assertTrue(rejection.isEmpty(), String.valueOf(rejection));
    }

    @Test
    void validate_shouldValidateAsJson_whenTheRequestHasNoContentType() {
        // given
        GatewayValidator validator = new GatewayValidator(DEVICES);

        // when
        Optional<GatewayValidator.Rejection> rejection = validator.validate(putDevice("{\"platform\":\"WINDOWS\"}", null),
                "req-3");

        // then
        assertTrue(rejection.isPresent());
        assertTrue(rejection.get().problems().toString().contains("platform"), rejection.get().problems().toString());
    }

    @Test
    void validate_shouldNotValidateTheBody_whenItsContentTypeHasNoSchema() {
        // given: API Gateway validates only against the model of the request's content type
        GatewayValidator validator = new GatewayValidator(DEVICES);

        // when
        Optional<GatewayValidator.Rejection> rejection = validator.validate(putDevice("not json", "text/plain"), "req-4");

        // then
        assertTrue(rejection.isEmpty());
    }

    @Test
    void validate_shouldRejectTheBody_whenItIsEmptyOrNotJson() {
        // given
        GatewayValidator validator = new GatewayValidator(DEVICES);

        // when
        Optional<GatewayValidator.Rejection> empty = validator.validate(putDevice("", "application/json"), "req-5");
        Optional<GatewayValidator.Rejection> broken = validator.validate(putDevice("{\"platform\":", "application/json"),
                "req-6");

        // then
        assertEquals("BAD_REQUEST_BODY", empty.orElseThrow().responseType());
        assertEquals(400, broken.orElseThrow().status());
    }

    @Test
    void validate_shouldAnswerApiGatewaysDefaults_whenTheDocumentConfiguresNoGatewayResponse(@TempDir Path dir)
            throws Exception {
        // given: a document with a required header and a body schema, and no gateway responses of its own
        Path file = dir.resolve("api.yaml");
        Files.writeString(file, """
                openapi: 3.0.1
                info: {title: t, version: "1"}
                x-amazon-apigateway-request-validators:
                  all: {validateRequestBody: true, validateRequestParameters: true}
                paths:
                  /items:
                    post:
                      x-amazon-apigateway-request-validator: all
                      parameters:
                        - {name: X-Tenant, in: header, required: true, schema: {type: string}}
                        - {name: q, in: query, required: false, schema: {type: string}}
                      requestBody:
                        content:
                          application/json:
                            schema: {type: object, required: [n], properties: {n: {type: integer}}}
                      responses:
                        "200": {description: ok}
                """);
        GatewayValidator validator = new GatewayValidator(ApiDefinition.load(file));

        // when
        var missingHeader = validator.validate(new GatewayValidator.Request("POST", "/items", Map.of(), Map.of(),
                Map.of("Content-Type", "application/json"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8)), "r1");
        var badBody = validator.validate(new GatewayValidator.Request("POST", "/items", Map.of(), Map.of(),
                Map.of("x-tenant", "a"), "{\"n\":\"one\"}".getBytes(StandardCharsets.UTF_8)), "r2");
        var fine = validator.validate(new GatewayValidator.Request("POST", "/items", Map.of(), Map.of(),
                Map.of("X-TENANT", "a"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8)), "r3");

        // then
        assertEquals(400, missingHeader.orElseThrow().status());
        assertEquals("{\"message\":\"Missing required request parameters: [X-Tenant]\"}", missingHeader.get().body());
        assertEquals("BadRequestException", missingHeader.get().headers().get("x-amzn-ErrorType"));
        assertEquals("{\"message\":\"Invalid request body\"}", badBody.orElseThrow().body());
        assertFalse(fine.isPresent());
    }

    @Test
    void responseProblems_shouldNameTheMismatch_whenAResponseBreaksTheDocument() {
        // given
        ApiDefinition.Operation getDevice = DEVICES.operation("GET", "/devices/{deviceId}").orElseThrow();

        // when
        var undocumented = DEVICES.responseProblems(getDevice, 418, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        var wrongShape = DEVICES.responseProblems(getDevice, 200, "application/json",
                "{\"deviceId\":\"d\",\"platform\":\"APNS\"}".getBytes(StandardCharsets.UTF_8));
        var fine = DEVICES.responseProblems(getDevice, 404, "application/json",
                "{\"error\":{\"code\":\"not_found\",\"message\":\"Not found.\"}}".getBytes(StandardCharsets.UTF_8));

        // then
        assertTrue(undocumented.getFirst().contains("not documented"), undocumented.toString());
        assertTrue(wrongShape.toString().contains("endpointArn"), wrongShape.toString());
        assertTrue(fine.isEmpty(), fine.toString());
    }

    @Test
    void operations_shouldNameTheFunctionOfEachIntegration_whenLoaded() {
        // then
        assertEquals(5, DEVICES.operations().size());
        assertEquals("DeviceApiFunction",
                DEVICES.operation("PUT", "/devices/{deviceId}").orElseThrow().integrationFunction().orElseThrow());
        assertEquals("NotificationApiFunction",
                DEVICES.operation("POST", "/notifications").orElseThrow().integrationFunction().orElseThrow());
    }

    private static GatewayValidator.Request putDevice(String body, String contentType) {
        return new GatewayValidator.Request("PUT", "/devices/{deviceId}", Map.of("deviceId", "device-0001"), Map.of(),
                contentType == null ? Map.of() : Map.of("Content-Type", contentType),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
