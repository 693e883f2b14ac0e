package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as users run it: {@code java -jar local/target/sam-local.jar ...} in a child process, starting its
 * own emulators. stdout must carry the handler's response only; logs go to stderr.
 */
class SamLocalCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = Project.ROOT.resolve("template.yaml").toString();
    /** The body of the README's curl line. */
    private static final String README_DEVICE = "{\"platform\":\"APNS\",\"token\":"
            + "\"7b1f4e2a9c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7\","
            + "\"location\":{\"lat\":48.8566,\"lon\":2.3522}}";

    @Test
    void invoke_shouldPrintTheResponseOnStdout_whenTheHandlerAnswers(@TempDir Path dir) throws Exception {
        // given
        Path event = Project.events("DeviceApiFunction").getFirst();

        // when
        SamLocalProcess.Result result = run(dir, List.of("invoke", "DeviceApiFunction", "-e", event.toString()));

        // then
        assertEquals(0, result.exit(), result.stderr());
        JsonNode response = JSON.readTree(result.stdout());
        assertTrue(response.get("statusCode").asInt() < 500, result.stdout());
        assertTrue(result.stderr().contains("DYNAMODB"), "the banner names each service endpoint");
    }

    @Test
    void invoke_shouldExitNonZeroWithLambdasErrorDocument_whenTheHandlerThrows(@TempDir Path dir) throws Exception {
        // given an event the SQS consumer cannot even parse
        Path event = dir.resolve("broken.json");
        Files.writeString(event, "[\"not\", \"an\", \"sqs\", \"event\"]");

        // when
        SamLocalProcess.Result result = run(dir, List.of("invoke", "InvalidationFunction", "-e", event.toString()));

        // then
        assertEquals(1, result.exit(), result.stderr());
        JsonNode error = JSON.readTree(result.stdout());
        assertTrue(error.has("errorType"), result.stdout());
        assertTrue(error.has("errorMessage"), result.stdout());
    }

    @Test
    void invoke_shouldExplainTheUsage_whenNoEventIsGiven(@TempDir Path dir) throws Exception {
        // when
        SamLocalProcess.Result result = run(dir, List.of("invoke", "DeviceApiFunction"));

        // then
        assertEquals(2, result.exit());
        assertTrue(result.stderr().contains("-e EVENT.json"), result.stderr());
    }

    @Test
    void startApi_shouldServeEachApiAtItsOwnBaseUrl_whenStartedOnFreePorts(@TempDir Path dir) throws Exception {
        // given
        Path state = Project.ROOT.resolve("target/sam-local/cli-start-api/endpoints.json");
        SamLocalProcess server = SamLocalProcess.start(dir, List.of("start-api", "--port", "0", "--stack-name",
                "cli-start-api", "-t", TEMPLATE), Map.of());
        try {
            server.awaitLine("ready:");
            JsonNode endpoints = JSON.readTree(state.toFile());
            String deviceApi = endpoints.path("apis").path("DeviceApi").asText();
            String thumbnailApi = endpoints.path("apis").path("ThumbnailApi").asText();
            assertTrue(server.stderr().contains("DeviceApi " + deviceApi), "the banner prints each base URL");
            assertTrue(server.stderr().contains("ThumbnailApi " + thumbnailApi), server.stderr());
            String edge = endpoints.path("edge").asText();
            assertTrue(edge.startsWith("http://127.0.0.1:"), endpoints.toString());
            assertTrue(server.stderr().contains("edge           " + edge), server.stderr());
            assertTrue(server.stderr().contains("-> PushWorkerFunction"), "the banner lists the event sources");
            assertEquals(server.pid(), endpoints.path("pid").asLong());
            assertTrue(endpoints.path("services").path("SQS").asText().startsWith("http://127.0.0.1:"),
                    endpoints.toString());
            HttpClient http = HttpClient.newHttpClient();

            // when: the README's curl line, then a read-back and an unknown route
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                    URI.create(deviceApi + "/devices/demo-device-0001"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(README_DEVICE)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> device = http.send(HttpRequest.newBuilder(
                    URI.create(deviceApi + "/devices/demo-device-0001")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(
                    URI.create(deviceApi + "/devices/demo-device-0002"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(README_DEVICE.replace(
                            "{\"lat\":48.8566,\"lon\":2.3522}", "\"paris\""))).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                    URI.create(deviceApi + "/devices/x/y/z")).method("PATCH",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            // then
            assertEquals(201, registered.statusCode(), registered.body());
            assertTrue(registered.body().contains("arn:aws:sns:"), registered.body());
            assertEquals(200, device.statusCode(), device.body());
            assertTrue(device.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(403, unknown.statusCode(), "API Gateway answers unknown routes with 403");
            assertEquals(400, wrongType.statusCode(), "api/device-api.yaml's validator: location is an object");
            assertTrue(wrongType.body().contains("\"bad_request\""), wrongType.body());
            assertTrue(server.stderr().contains("rejected by the request validator"), "logged as rejected");
            assertFalse(server.stderr().contains("response breaks"), server.stderr());

            // when: Ctrl+C
            server.terminate();

            // then: the emulators it started and its state file go with it
            assertTrue(server.started("moto_server") && server.started("DynamoDBLocal"), server.descendants().toString());
            assertEquals(List.of(), server.survivors(Duration.ofSeconds(10)));
            assertFalse(Files.exists(state), "the state file goes with the runner");
        } finally {
            server.close();
        }
    }

    @Test
    void startLambda_shouldServeTheInvokeApi_whenStarted(@TempDir Path dir) throws Exception {
        // given
        int port = io.mediasuite.local.emulator.ChildProcess.freePort();
        SamLocalProcess server = SamLocalProcess.start(dir, List.of("start-lambda", "--port", Integer.toString(port),
                "-t", TEMPLATE), Map.of());
        try {
            server.awaitLine("ready on");
            HttpClient http = HttpClient.newHttpClient();
            String functions = "http://127.0.0.1:" + port + "/2015-03-31/functions/";
            byte[] event = Files.readAllBytes(Project.events("DeviceApiFunction").getFirst());

            // when: the live alias of a function, as the SDK and the CLI send it, then a function that does not exist
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(
                    URI.create(functions + "media-suite-local-DeviceApiFunction/invocations?Qualifier=live"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(functions + "nothing/invocations"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            // then
            assertEquals(200, live.statusCode(), live.body());
            assertEquals("1", live.headers().firstValue("X-Amz-Executed-Version").orElse(""));
            assertTrue(live.headers().firstValue("X-Amz-Function-Error").isEmpty(), live.body());
            assertTrue(JSON.readTree(live.body()).has("statusCode"), live.body());
            assertEquals(404, missing.statusCode());
            assertEquals("ResourceNotFoundException", missing.headers().firstValue("x-amzn-ErrorType").orElse(""));

            // when: the runner is killed outright, no shutdown hook running
            server.kill();

            // then: the kernel stops the emulators it started all the same (setpriv --pdeathsig)
            assertTrue(server.started("moto_server") && server.started("DynamoDBLocal"), server.descendants().toString());
            assertEquals(List.of(), server.survivors(Duration.ofSeconds(10)));
        } finally {
            server.close();
        }
    }

    private static SamLocalProcess.Result run(Path dir, List<String> args) throws InterruptedException {
        List<String> withTemplate = new ArrayList<>(args);
        withTemplate.addAll(List.of("-t", TEMPLATE));
        return SamLocalProcess.run(dir, withTemplate, Map.of());
    }
}
