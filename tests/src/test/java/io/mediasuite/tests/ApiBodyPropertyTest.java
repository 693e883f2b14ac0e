package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.local.ApiGatewayServer;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import io.mediasuite.local.openapi.ApiDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every body the API document accepts gets a valid answer: seeded random bodies valid against the request schema
 * of {@code PUT /devices/{deviceId}} ({@link SchemaBodies}; it generates {@code POST /notifications} bodies as
 * well, see the devices README for why that route's property is not run yet), sent through
 * {@code start-api} (packaged functions, template resources in the emulators); each answer must be 2xx or 4xx,
 * never 5xx, and one the document describes. Bodies: {@code -Dapi.property.bodies=N} (default 150);
 * a failure names its seed, replayed with {@code -Dapi.property.seed=S}.
 */
class ApiBodyPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("api.property.seed", System.nanoTime());
    private static final int BODIES = Integer.getInteger("api.property.bodies", 150);

    private static LocalLambda deviceApi;
    private static LocalLambda notificationApi;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ApiGatewayServer server;
    private static ApiDefinition devices;

    @BeforeAll
    static void serveTheDeviceRoutes() throws Exception {
        deviceApi = LocalLambda.load(LocalCloud.shared().function("DeviceApiFunction"));
        notificationApi = LocalLambda.load(LocalCloud.shared().function("NotificationApiFunction"));
        server = new ApiGatewayServer("DeviceApi", Map.of("DeviceApiFunction", deviceApi,
                "NotificationApiFunction", notificationApi), "127.0.0.1", 0);
        server.start();
        devices = ApiDocuments.load("DeviceApi");
        System.out.println("API body properties: seed " + SEED + ", " + BODIES + " bodies per route");
    }

    @AfterAll
    static void stop() {
        server.close();
        deviceApi.close();
        notificationApi.close();
    }

    @Test
    void putDevice_shouldAnswer2xxOr4xx_forEverySchemaValidRegistration() throws Exception {
        // given
        Random random = new Random(SEED);
        SchemaBodies bodies = new SchemaBodies(devices.document(), random);
        ApiDefinition.Operation put = devices.operation("PUT", "/devices/{deviceId}").orElseThrow();
        JsonNode idSchema = parameterSchema(put, "deviceId");
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> registered = new ArrayList<>();

        for (int i = 0; i < BODIES; i++) {
            JsonNode body = steerTowardsAcceptance(bodies.generate(requestSchema(put)), random);
            String id = bodies.generate(idSchema).asText();

            // when
            HttpResponse<byte[]> response = send(put, "PUT", "/devices/" + id, body);

            // then: checked by send(); keep the registered ones to delete afterwards
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() / 100 == 2) {
                registered.add(id);
            }
        }

        ApiDefinition.Operation delete = devices.operation("DELETE", "/devices/{deviceId}").orElseThrow();
        for (String id : registered) {
            assertEquals(204, send(delete, "DELETE", "/devices/" + id, null).statusCode());
        }
        System.out.println("PUT /devices/{deviceId} answers by status: " + statuses);
        assertTrue(statuses.getOrDefault(201, 0) + statuses.getOrDefault(200, 0) >= BODIES / 10,
                "too few bodies were accepted for the property to say much: " + statuses + " (seed " + SEED + ")");
    }

    @Test
    void postNotification_shouldAnswer202Or4xx_forEverySchemaValidSend() throws Exception {
        // given: any circle the schema allows, the pole and the antimeridian included (sends are planned
        // asynchronously, so even the largest answers at once)
        Random random = new Random(SEED + 1);
        SchemaBodies bodies = new SchemaBodies(devices.document(), random);
        ApiDefinition.Operation post = devices.operation("POST", "/notifications").orElseThrow();
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < BODIES / 3; i++) {
            // when
            HttpResponse<byte[]> response = send(post, "POST", "/notifications", bodies.generate(requestSchema(post)));

            // then: checked by send()
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }
        System.out.println("POST /notifications answers by status: " + statuses);
        assertTrue(statuses.getOrDefault(202, 0) >= BODIES / 30,
                "too few sends were accepted for the property to say much: " + statuses + " (seed " + SEED + ")");
    }

    /**
     * The schema's token rule is looser than each platform's (which the function checks: the body gets a 400), so
     * a purely random body is almost never registered. Most bodies get a token and user id that also meet the
     * function's rules, still schema-valid, so the property reaches SNS and DynamoDB, not only validation.
     */
    private static JsonNode steerTowardsAcceptance(JsonNode body, Random random) {
        ObjectNode object = (ObjectNode) body;
        if (random.nextInt(5) > 0) {
            String platform = object.path("platform").asText();
            StringBuilder token = new StringBuilder();
            if ("FCM".equals(platform)) {
                String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:";
                for (int i = 100 + random.nextInt(random.nextBoolean() ? 100 : 3997); i > 0; i--) {
                    token.append(chars.charAt(random.nextInt(chars.length())));
                }
            } else {
                for (int i = 32 + random.nextInt(random.nextBoolean() ? 2 : 69); i > 0; i--) {
                    token.append(String.format("%02x", random.nextInt(256)));
                }
            }
            object.put("token", random.nextBoolean() ? token.toString() : token.toString().toUpperCase());
            if (object.has("userId") && random.nextBoolean()) {
                object.put("userId", "user-" + random.nextInt(1_000_000) + "@example.org");
            }
        }
        return object;
    }

    private static JsonNode requestSchema(ApiDefinition.Operation operation) {
        return operation.node().path("requestBody").path("content").path("application/json").path("schema");
    }

    private static JsonNode parameterSchema(ApiDefinition.Operation operation, String name) {
        for (JsonNode parameter : operation.node().path("parameters")) {
            if (name.equals(parameter.path("name").asText())) {
                return parameter.path("schema");
            }
        }
        for (JsonNode parameter : devices.document().at("/paths/" + operation.path().replace("/", "~1"))
                .path("parameters")) {
            if (name.equals(parameter.path("name").asText())) {
                return parameter.path("schema");
            }
        }
        throw new AssertionError("no parameter " + name + " on " + operation.path());
    }

    /**
     * Sends a body the document accepts (checked first, so a generator mistake cannot pass for a server one) and
     * checks the answer: below 500 and as documented.
     */
    private static HttpResponse<byte[]> send(ApiDefinition.Operation operation, String method, String path,
                                             JsonNode body) throws Exception {
        String text = body == null ? null : JSON.writeValueAsString(body);
        if (body != null) {
            assertEquals(List.of(), devices.requestBodyProblems(operation, "application/json", body),
                    "generated body is not schema-valid (seed " + SEED + "): " + text);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text))
                .header("Content-Type", "application/json");
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String answer = new String(response.body(), 0, Math.min(response.body().length, 300), StandardCharsets.UTF_8);
        assertTrue(response.statusCode() < 500, method + " " + path + " answered " + response.statusCode() + " "
                + answer + " to " + text + " (seed " + SEED + ")");
        assertEquals(List.of(), devices.responseProblems(operation, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body()),
                method + " " + path + " answered " + answer + " to " + text + " (seed " + SEED + ")");
        return response;
    }
}
