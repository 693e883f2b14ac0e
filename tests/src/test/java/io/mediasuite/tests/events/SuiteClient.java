package io.mediasuite.tests.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.LocalSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What an end-to-end test needs to drive a running {@link LocalSuite} from outside, as a user would: HTTP calls
 * to its APIs, SDK clients on its emulators, and the messages moto holds for each SNS platform endpoint.
 */
final class SuiteClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final LocalSuite suite;
    final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();
    final DynamoDbClient dynamoDb;
    final SqsClient sqs;
    final SnsClient sns;

    SuiteClient(LocalSuite suite) {
        this.suite = suite;
        Map<String, String> env = suite.cloud().emulators().environment();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
        sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).build();
        sns = SnsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SNS"))).build();
    }

    /** Calls the device API; returns the status and the JSON body (or null). */
    Answer call(String method, String path, String body) throws Exception {
        URI base = suite.apiEndpoints().get("DeviceApi");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response.body());
    }

    record Answer(int status, JsonNode json, String raw) {
    }

    /** {@code PUT /devices/{id}}. */
    Answer register(String deviceId, String platform, String token, double lat, double lon) throws Exception {
        return call("PUT", "/devices/" + deviceId, "{\"platform\":\"" + platform + "\",\"token\":\"" + token
                + "\",\"location\":{\"lat\":" + lat + ",\"lon\":" + lon + "}}");
    }

    /**
     * Messages moto holds for each platform endpoint (its {@code /moto-api/data.json} model dump: every
     * {@code PlatformEndpoint} with its {@code messages}), by endpoint ARN.
     */
    Map<String, List<String>> endpointMessages() throws Exception {
        URI data = suite.cloud().emulators().motoEndpoint().resolve("/moto-api/data.json");
        JsonNode models = JSON.readTree(http.send(HttpRequest.newBuilder(data).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Map<String, List<String>> messages = new LinkedHashMap<>();
        for (JsonNode endpoint : models.path("sns").path("PlatformEndpoint")) {
            List<String> inbox = new ArrayList<>();
            endpoint.path("messages").forEach(m -> inbox.add(m.asText()));
            messages.merge(endpoint.path("arn").asText(), inbox, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        return messages;
    }

    static void waitFor(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        sns.close();
        http.close();
    }
}
