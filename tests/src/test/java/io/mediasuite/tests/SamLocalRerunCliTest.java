package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.emulator.Emulators;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The README's "your own moto" mode: several runs of the runner, in any order and with a template change between
 * them, against one moto and one DynamoDB Local that outlive them. Each run finds what the earlier ones left.
 * (Two stack names on one moto are LocalCloudReconcileTest's, in process.)
 */
class SamLocalRerunCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final String DEVICE = "{\"platform\":\"APNS\",\"token\":"
            + "\"7b1f4e2a9c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7\","
            + "\"location\":{\"lat\":48.8566,\"lon\":2.3522}}";

    @Test
    void runner_shouldFindWhatEarlierRunsLeft_whenStartApiInvokeAndStartLambdaShareOneMoto(@TempDir Path dir)
            throws Exception {
        try (Emulators own = Emulators.start(Project.ROOT, dir.resolve("emulators"), Map.of())) {
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", own.motoEndpoint().toString(),
                    "AWS_ENDPOINT_URL_DYNAMODB", own.dynamoDbEndpoint().toString());
            Path template = Project.ROOT.resolve("template.yaml");
            Path changed = copyWithPushQueueVisibility(template, dir.resolve("changed/template.yaml"), 1700);
            Path getDevice = Project.EVENTS.resolve("DeviceApiFunction/get-device.json").toAbsolutePath();
            String deviceId = JSON.readTree(getDevice.toFile())
                    .path("pathParameters").path("deviceId").asText();
            HttpClient http = HttpClient.newHttpClient();

            // when: 1. start-api registers a device, then stops (no event sources: the queues keep what they get)
            try (SamLocalProcess api = SamLocalProcess.start(dir, List.of("start-api", "--port", "0", "--stack-name",
                    "rerun", "--no-event-sources", "-t", template.toString()), env)) {
                api.awaitLine("ready:");
                URI deviceApi = URI.create(match(api.stderr(), "ready: DeviceApi (\\S+?),"));
                HttpResponse<String> registered = http.send(HttpRequest.newBuilder(deviceApi.resolve("/devices/"
                        + deviceId)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(DEVICE)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, registered.statusCode(), registered.body());
                api.terminate();
                assertFalse(api.started("moto_server") || api.started("DynamoDBLocal"), api.descendants().toString());
            }
            // 2. invoke, with a template whose PushQueue has another visibility timeout, reads the device back
            SamLocalProcess.Result invoked = SamLocalProcess.run(dir, List.of("invoke", "DeviceApiFunction", "-e",
                    getDevice.toString(), "--stack-name",
                    "rerun", "-t", changed.toString()), env);
            // 3. start-lambda on the changed template serves a function by the same physical name
            HttpResponse<String> lambda;
            try (SamLocalProcess invokeApi = SamLocalProcess.start(dir, List.of("start-lambda", "--port", "0",
                    "--stack-name", "rerun", "-t", changed.toString()), env)) {
                invokeApi.awaitLine("ready on");
                URI endpoint = URI.create(match(invokeApi.stderr(), "ready on (\\S+)"));
                lambda = http.send(HttpRequest.newBuilder(endpoint.resolve(
                        "/2015-03-31/functions/rerun-DeviceApiFunction/invocations")).POST(HttpRequest.BodyPublishers
                        .ofFile(getDevice)).build(),
                        HttpResponse.BodyHandlers.ofString());
                invokeApi.terminate();
            }
            // then: each run found the others' resources; the changed attribute was updated in place
            assertEquals(0, invoked.exit(), invoked.stderr());
            assertEquals(200, JSON.readTree(invoked.stdout()).path("statusCode").asInt(), invoked.stdout());
            assertTrue(invoked.stderr().contains("sam-local: queue rerun-PushQueue: VisibilityTimeout 1800 -> 1700"),
                    invoked.stderr());
            assertEquals(200, lambda.statusCode(), lambda.body());
            assertEquals(200, JSON.readTree(lambda.body()).path("statusCode").asInt(), lambda.body());
            try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                    .endpointOverride(own.motoEndpoint()).build()) {
                String queueUrl = sqs.getQueueUrl(b -> b.queueName("rerun-InvalidationQueue")).queueUrl();
                // three runs of one stack put its bucket's notification configuration once: one s3:TestEvent
                assertEquals(1, testEvents(sqs, queueUrl));
            }
        }
    }

    private static long testEvents(SqsClient sqs, String queueUrl) {
        List<Message> messages = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(600)).messages();
            if (batch.isEmpty()) {
                break;
            }
            messages.addAll(batch);
        }
        return messages.stream().filter(m -> m.body().contains("s3:TestEvent")).count();
    }

    /**
     * A copy of the project's template in another folder, paths made absolute, with PushQueue's visibility
     * timeout changed: the "template change between two runs" of a user.
     */
    private static Path copyWithPushQueueVisibility(Path template, Path copy, int seconds) throws Exception {
        String text = Files.readString(template)
                .replace("CodeUri: functions/", "CodeUri: " + Project.ROOT.resolve("functions") + "/")
                .replace("Location: api/", "Location: " + Project.ROOT.resolve("api") + "/");
        String pushQueue = "  PushQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 1800";
        assertTrue(text.contains(pushQueue), "template.yaml's PushQueue moved; update this test");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, text.replace(pushQueue, pushQueue.replace("1800", Integer.toString(seconds))));
        return copy;
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " in " + text);
        return matcher.group(1);
    }
}
