package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import io.mediasuite.local.LocalCloud;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The devices stack as template.yaml declares it, provisioned in the emulators by {@link LocalCloud}, plus
 * what tests need around the handlers: the functions' environments, clients for arranging and inspecting
 * state, proxy-event builders, and a stream invocation that goes through the handlers' real JSON entry point.
 */
final class LocalDevices {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FCM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    static final LocalCloud CLOUD = LocalCloud.shared();
    static final Env DEVICE_API_ENV = Env.of(CLOUD.functionEnvironment("DeviceApiFunction"));
    static final Env NOTIFICATION_API_ENV = Env.of(CLOUD.functionEnvironment("NotificationApiFunction"));
    static final Env PUSH_WORKER_ENV = Env.of(CLOUD.functionEnvironment("PushWorkerFunction"));
    static final Env FEEDBACK_ENV = Env.of(CLOUD.functionEnvironment("EndpointFeedbackFunction"));
    static final Env CLEANUP_ENV = Env.of(CLOUD.functionEnvironment("ExpiredDeviceCleanupFunction"));

    private static final AwsClients CLIENTS = new AwsClients(DEVICE_API_ENV);
    static final DynamoDbClient DYNAMODB = CLIENTS.build(DynamoDbClient.builder(), "DYNAMODB");
    static final SnsClient SNS = CLIENTS.build(SnsClient.builder(), "SNS");
    static final SqsClient SQS = CLIENTS.build(SqsClient.builder(), "SQS");

    static final String DEVICES_TABLE = CLOUD.physicalId("DevicesTable");
    static final String PUSH_QUEUE_URL = CLOUD.physicalId("PushQueue");

    private LocalDevices() {
    }

    static String apnsApplication() {
        return DEVICE_API_ENV.get("APNS_PLATFORM_APPLICATION_ARN").orElseThrow();
    }

    static String apnsSandboxApplication() {
        return DEVICE_API_ENV.get("APNS_SANDBOX_PLATFORM_APPLICATION_ARN").orElseThrow();
    }

    static String fcmApplication() {
        return DEVICE_API_ENV.get("FCM_PLATFORM_APPLICATION_ARN").orElseThrow();
    }

    /** A fresh APNs token: 32 random bytes in hex. */
    static String apnsToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A fresh FCM-shaped token: instance id, ':', 140 URL-safe characters. */
    static String fcmToken() {
        StringBuilder token = new StringBuilder("d").append(RANDOM.nextInt(1_000_000)).append(":APA91b");
        while (token.length() < 152) {
            token.append(FCM_CHARS.charAt(RANDOM.nextInt(FCM_CHARS.length())));
        }
        return token.toString();
    }

    static String deviceId() {
        return java.util.UUID.randomUUID().toString();
    }

    /** {@code env} with one variable set. */
    static Env with(Env env, String name, String value) {
        Map<String, String> variables = new HashMap<>(env.asMap());
        variables.put(name, value);
        return Env.of(variables);
    }

    static APIGatewayProxyRequestEvent deviceRequest(String method, String deviceId, String body) {
        return proxy(method, "/devices/{deviceId}", "/devices/" + deviceId, Map.of("deviceId", deviceId), body);
    }

    static APIGatewayProxyRequestEvent proxy(String method, String resource, String path,
                                             Map<String, String> pathParameters, String body) {
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                .withSourceIp("203.0.113.10").withUserArn("arn:aws:iam::123456789012:user/operator");
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method).withResource(resource).withPath(path).withPathParameters(pathParameters)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withHttpMethod(method).withResourcePath(resource).withStage("dev")
                        .withRequestId(java.util.UUID.randomUUID().toString()).withIdentity(identity))
                .withBody(body).withIsBase64Encoded(false);
    }

    /** Invokes a stream handler the way Lambda does: event JSON in, response JSON out. */
    static byte[] invoke(RequestStreamHandler handler, Object event) {
        return invoke(handler, event, null);
    }

    static byte[] invoke(RequestStreamHandler handler, Object event, com.amazonaws.services.lambda.runtime.Context context) {
        try {
            byte[] in = event instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Json.MAPPER.writeValueAsBytes(event);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(in), out, context);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static APIGatewayProxyResponseEvent call(RequestStreamHandler handler, APIGatewayProxyRequestEvent request) {
        try {
            return Json.MAPPER.readValue(invoke(handler, request), APIGatewayProxyResponseEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.MAPPER.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, AttributeValue> item(String deviceId) {
        return DYNAMODB.getItem(b -> b.tableName(DEVICES_TABLE).consistentRead(true)
                .key(Map.of("deviceId", AttributeValue.fromS(deviceId)))).item();
    }

    /** Endpoints of a platform application that hold {@code token}. */
    static List<String> endpointsWithToken(String applicationArn, String token) {
        List<String> arns = new ArrayList<>();
        SNS.listEndpointsByPlatformApplicationPaginator(b -> b.platformApplicationArn(applicationArn)).endpoints()
                .forEach(e -> {
                    if (token.equalsIgnoreCase(e.attributes().get("Token"))) {
                        arns.add(e.endpointArn());
                    }
                });
        return arns;
    }

    /**
     * What moto recorded as published to each endpoint (its {@code /moto-api/data.json} state dump): the
     * observable outcome of a send, read from the emulator rather than from our own code.
     */
    static Map<String, List<String>> publishedMessages(Set<String> endpointArns) {
        try {
            URI uri = URI.create(DEVICE_API_ENV.get("AWS_ENDPOINT_URL_SNS")
                    .orElseGet(() -> DEVICE_API_ENV.get("AWS_ENDPOINT_URL").orElseThrow())).resolve("/moto-api/data.json");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> messages = new HashMap<>();
            for (JsonNode endpoint : Json.MAPPER.readTree(response.body()).path("sns").path("PlatformEndpoint")) {
                String arn = endpoint.path("arn").asText();
                if (endpointArns.contains(arn)) {
                    List<String> texts = new ArrayList<>();
                    endpoint.path("messages").forEach(m -> texts.add(m.asText()));
                    messages.put(arn, texts);
                }
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Plays Lambda's SQS poller for the PushQueue until it is empty: receive up to ten messages, invoke the worker
     * with them as an SQS event, delete the ones it did not report as failed.
     *
     * @return how many messages were processed
     */
    static int drainPushQueue(RequestStreamHandler worker) {
        return drainPushQueue(event -> invoke(worker, event));
    }

    /** As {@link #drainPushQueue(RequestStreamHandler)}, with {@code pollers} poller loops in parallel. */
    static int drainPushQueue(RequestStreamHandler worker, int pollers) {
        java.util.concurrent.atomic.AtomicInteger processed = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> loops = new ArrayList<>();
        for (int i = 0; i < pollers; i++) {
            loops.add(i);
        }
        Parallel.forEach(loops, new java.util.concurrent.Semaphore(pollers),
                i -> processed.addAndGet(drainPushQueue(worker)));
        return processed.get();
    }

    /** As {@link #drainPushQueue(RequestStreamHandler)}, with the invocation given. */
    static int drainPushQueue(java.util.function.Function<SQSEvent, byte[]> worker) {
        int processed = 0;
        for (int idle = 0; idle < 2; ) {
            List<Message> messages = SQS.receiveMessage(b -> b.queueUrl(PUSH_QUEUE_URL).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(60)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (messages.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message message : messages) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId(message.messageId());
                record.setReceiptHandle(message.receiptHandle());
                record.setBody(message.body());
                record.setAttributes(Map.of("ApproximateReceiveCount", message.attributes()
                        .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
                record.setEventSource("aws:sqs");
                record.setAwsRegion("us-east-1");
                records.add(record);
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(records);
            JsonNode response;
            try {
                response = Json.MAPPER.readTree(worker.apply(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Set<String> failed = new java.util.HashSet<>();
            response.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            for (Message message : messages) {
                if (!failed.contains(message.messageId())) {
                    SQS.deleteMessage(b -> b.queueUrl(PUSH_QUEUE_URL).receiptHandle(message.receiptHandle()));
                }
            }
            processed += messages.size() - failed.size();
            if (!failed.isEmpty()) {
                throw new AssertionError("push worker reported failures: " + failed);
            }
        }
        return processed;
    }
}
