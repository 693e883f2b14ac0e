package io.mediasuite.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.TestFunctions;
import io.mediasuite.local.emulator.Emulators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsEventSourceTest {

    /**
     * Appends every event it gets to events.log (one line each) and reports as failed the records whose body
     * contains "poison"; throws when a body contains "boom".
     */
    private static final String BATCHER = """
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.regex.Matcher;
            import java.util.regex.Pattern;
            public class Batcher implements RequestStreamHandler {
                private static final Pattern RECORD = Pattern.compile(
                        "\\"messageId\\":\\"([^\\"]+)\\",\\"receiptHandle\\":\\"[^\\"]*\\",\\"body\\":\\"([^\\"]*)\\"");
                public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
                    String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (Batcher.class) {
                        Files.writeString(Path.of("LOG"), event + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    List<String> failed = new ArrayList<>();
                    Matcher record = RECORD.matcher(event);
                    while (record.find()) {
                        if (record.group(2).contains("boom")) {
                            throw new IllegalStateException("boom");
                        }
                        if (record.group(2).contains("poison")) {
                            failed.add("{\\"itemIdentifier\\":\\"" + record.group(1) + "\\"}");
                        }
                    }
                    out.write(("{\\"batchItemFailures\\":[" + String.join(",", failed) + "]}").getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    private static AwsLocalClients clients;
    private static FunctionSpec batcher;
    private static Path log;

    @BeforeAll
    static void compile(@TempDir Path dir) {
        clients = new AwsLocalClients(Emulators.shared().environment());
        log = dir.resolve("events.log");
        batcher = TestFunctions.compile(dir, "BatchFunction", "Batcher",
                BATCHER.replace("Path.of(\"LOG\")", "Path.of(\"" + log + "\")"), List.of());
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void poller_shouldDeleteTheBatchButThePoisonMessage_whenItReportsBatchItemFailures() throws Exception {
        // given a queue that dead-letters after two receives
        Queue queue = queue(2);
        for (int i = 0; i < 4; i++) {
            send(queue, "ok-" + i);
        }
        send(queue, "poison-1");
        var mapping = new EventSourceSpecs.SqsMapping("BatchFunction", "Tasks", queue.arn, 10, 1, true, 1);

        // when
        try (FunctionPool pool = new FunctionPool(batcher, 2);
             SqsEventSource source = new SqsEventSource(mapping, queue.url, clients.sqs, pool, "us-east-1").start()) {
            waitFor(() -> count(queue.dlqUrl) == 1 && count(queue.url) == 0, 30_000);

            // then
            List<String> bodies = processedBodies();
            for (int i = 0; i < 4; i++) {
                String body = "ok-" + i;
                assertEquals(1, bodies.stream().filter(body::equals).count(), body + " processed once, then deleted");
            }
            assertEquals(2, bodies.stream().filter("poison-1"::equals).count(), "received maxReceiveCount times");
            List<Message> dead = clients.sqs.receiveMessage(b -> b.queueUrl(queue.dlqUrl)).messages();
            assertEquals("poison-1", dead.getFirst().body());
            assertEquals(4, source.messagesDeleted());
        }
    }

    @Test
    void poller_shouldOpenTheBatchingWindowWithTheFirstMessage_whenTheQueueWasIdle() throws Exception {
        // given a mapping with a 3 s window whose poller has been idle for longer than that
        Queue queue = queue(5);
        // longer than the window, as Lambda requires: a message received early must not come back within it
        clients.sqs.setQueueAttributes(b -> b.queueUrl(queue.url)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        var mapping = new EventSourceSpecs.SqsMapping("BatchFunction", "Tasks", queue.arn, 100, 3, true, 1);
        try (FunctionPool pool = new FunctionPool(batcher, 1);
             SqsEventSource source = new SqsEventSource(mapping, queue.url, clients.sqs, pool, "us-east-1").start()) {
            Thread.sleep(4_000);

            // when a deploy's three messages arrive over about a second and a half
            for (int i = 0; i < 3; i++) {
                send(queue, "window-" + i);
                Thread.sleep(700);
            }
            waitFor(() -> source.messagesDeleted() == 3, 30_000);

            // then they were gathered into one batch, not cut at the first message
            List<List<String>> batches = new java.util.ArrayList<>();
            for (JsonNode event : events()) {
                List<String> bodies = new java.util.ArrayList<>();
                event.path("Records").forEach(r -> bodies.add(r.path("body").asText()));
                if (bodies.stream().anyMatch(b -> b.startsWith("window-"))) {
                    batches.add(bodies);
                }
            }
            assertEquals(List.of(List.of("window-0", "window-1", "window-2")), batches);
        }
    }

    @Test
    void poller_shouldKeepTheWholeBatch_whenTheFunctionFailsWithoutReportingItems() throws Exception {
        // given
        Queue queue = queue(2);
        send(queue, "boom");
        send(queue, "fine");
        var mapping = new EventSourceSpecs.SqsMapping("BatchFunction", "Tasks", queue.arn, 10, 1, false, 1);

        // when
        try (FunctionPool pool = new FunctionPool(batcher, 1);
             SqsEventSource source = new SqsEventSource(mapping, queue.url, clients.sqs, pool, "us-east-1").start()) {
            waitFor(() -> count(queue.dlqUrl) == 2, 30_000);

            // then: a failed invocation deletes nothing; both messages were retried and dead-lettered together
            assertEquals(0, source.messagesDeleted());
            assertTrue(processedBodies().stream().filter("fine"::equals).count() >= 2);
        }
    }

    @Test
    void event_shouldCarryWhatLambdaSends_whenAMessageHasAttributes() throws Exception {
        // given
        Queue queue = queue(5);
        clients.sqs.sendMessage(b -> b.queueUrl(queue.url).messageBody("shape-check").messageAttributes(Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue("probe").build())));
        var mapping = new EventSourceSpecs.SqsMapping("BatchFunction", "Tasks", queue.arn, 5, 0, true, 1);

        // when
        try (FunctionPool pool = new FunctionPool(batcher, 1);
             SqsEventSource ignored = new SqsEventSource(mapping, queue.url, clients.sqs, pool, "us-east-1").start()) {
            waitFor(() -> count(queue.url) == 0 && events().stream().anyMatch(e -> e.toString().contains("shape-check")),
                    20_000);
        }

        // then
        JsonNode record = events().stream().filter(e -> e.toString().contains("shape-check")).findFirst().orElseThrow()
                .path("Records").get(0);
        assertEquals(List.of("messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"), fieldNames(record));
        assertEquals("1", record.path("attributes").path("ApproximateReceiveCount").asText());
        for (String attribute : List.of("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp")) {
            assertTrue(record.path("attributes").hasNonNull(attribute), attribute);
        }
        assertEquals("probe", record.path("messageAttributes").path("kind").path("stringValue").asText());
        assertEquals("String", record.path("messageAttributes").path("kind").path("dataType").asText());
        assertEquals("aws:sqs", record.path("eventSource").asText());
        assertEquals(queue.arn, record.path("eventSourceARN").asText());
        assertEquals("us-east-1", record.path("awsRegion").asText());
    }

    @Test
    void reportedFailures_shouldFailTheWholeBatch_whenTheResponseIsInvalid() {
        // given
        List<Message> batch = List.of(Message.builder().messageId("a").build(), Message.builder().messageId("b").build());

        // when / then
        assertEquals(Set.of(), SqsEventSource.reportedFailures(bytes(""), batch));
        assertEquals(Set.of(), SqsEventSource.reportedFailures(bytes("{\"batchItemFailures\":[]}"), batch));
        assertEquals(Set.of("b"), SqsEventSource.reportedFailures(bytes("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}"), batch));
        assertNull(SqsEventSource.reportedFailures(bytes("{\"batchItemFailures\":[{\"itemIdentifier\":\"zz\"}]}"), batch));
        assertNull(SqsEventSource.reportedFailures(bytes("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"), batch));
        assertNull(SqsEventSource.reportedFailures(bytes("{\"batchItemFailures\":\"a\"}"), batch));
        assertNull(SqsEventSource.reportedFailures(bytes("not json"), batch));
    }

    private record Queue(String url, String arn, String dlqUrl) {
    }

    private static Queue queue(int maxReceiveCount) {
        String name = "sqs-source-" + UUID.randomUUID().toString().substring(0, 8);
        String dlqUrl = clients.sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = arn(dlqUrl);
        String url = clients.sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}"))).queueUrl();
        return new Queue(url, arn(url), dlqUrl);
    }

    private static String arn(String url) {
        return clients.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static void send(Queue queue, String body) {
        clients.sqs.sendMessage(b -> b.queueUrl(queue.url).messageBody(body));
    }

    private static int count(String url) {
        Map<QueueAttributeName, String> attributes = clients.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static List<JsonNode> events() {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            List<JsonNode> events = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                events.add(Jsons.MAPPER.readTree(line));
            }
            return events;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> processedBodies() throws Exception {
        List<String> bodies = new java.util.ArrayList<>();
        for (JsonNode event : events()) {
            event.path("Records").forEach(r -> bodies.add(r.path("body").asText()));
        }
        return bodies;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void waitFor(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMillis + " ms");
            }
            Thread.sleep(100);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
