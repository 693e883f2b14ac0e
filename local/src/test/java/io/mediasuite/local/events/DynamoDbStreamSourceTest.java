package io.mediasuite.local.events;

import static io.mediasuite.local.events.SqsEventSourceTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.emulator.Emulators;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class DynamoDbStreamSourceTest {

    private static AwsLocalClients clients;
    private static Path dir;

    @BeforeAll
    static void setUp(@TempDir Path tempDir) {
        clients = new AwsLocalClients(Emulators.shared().environment());
        dir = tempDir;
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void failingBatch_shouldGoToTheOnFailureQueue_whenRetriesAreSpentAndTheShardMovesOn() throws Exception {
        // given
        RecordingFunction recorder = new RecordingFunction(dir.resolve("retry"), "StreamFunction");
        String table = table();
        String dlqUrl = clients.sqs.createQueue(b -> b.queueName("stream-failures-" + UUID.randomUUID())).queueUrl();
        String dlqArn = clients.sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        var mapping = new EventSourceSpecs.StreamMapping("StreamFunction", "Changes", table, streamArn(table),
                "TRIM_HORIZON", 1, 0, List.of(), false, false, 1, dlqArn);
        try (FunctionPool pool = new FunctionPool(recorder.spec, 1);
             DynamoDbStreamSource source = new DynamoDbStreamSource(mapping, clients.dynamoDbStreams, pool, clients.sqs,
                     arn -> dlqUrl, "us-east-1").start()) {

            // when: a record the function fails on, then a good one
            put(table, "fail-me", Instant.now().getEpochSecond() + 3600);
            put(table, "fine", Instant.now().getEpochSecond() + 3600);

            // then: tried once and retried once, then described on the destination; the next record goes through
            waitFor(() -> source.recordsDelivered() == 1, 30_000);
            List<String> ids = recorder.records().stream()
                    .map(r -> r.path("dynamodb").path("Keys").path("id").path("S").asText()).toList();
            assertEquals(List.of("fail-me", "fail-me", "fine"), ids);
            List<Message> dead = clients.sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(2)).messages();
            JsonNode info = Jsons.MAPPER.readTree(dead.getFirst().body()).path("DDBStreamBatchInfo");
            assertEquals(1, info.path("batchSize").asInt());
            assertEquals(mapping.streamArn(), info.path("streamArn").asText());
        }
    }

    @Test
    void failingBatch_shouldBeBisectedUntilTheFailingRecordIsAlone_whenBisectBatchOnFunctionError() throws Exception {
        // given
        RecordingFunction recorder = new RecordingFunction(dir.resolve("bisect"), "StreamFunction");
        String table = table();
        String dlqUrl = clients.sqs.createQueue(b -> b.queueName("bisect-failures-" + UUID.randomUUID())).queueUrl();
        var mapping = new EventSourceSpecs.StreamMapping("StreamFunction", "Changes", table, streamArn(table),
                "TRIM_HORIZON", 3, 2, List.of(), false, true, 0, "arn:aws:sqs:us-east-1:123456789012:bisect");
        long expiry = Instant.now().getEpochSecond() + 3600;
        put(table, "ok-1", expiry);
        put(table, "fail-me", expiry);
        put(table, "ok-2", expiry);

        // when
        try (FunctionPool pool = new FunctionPool(recorder.spec, 1);
             DynamoDbStreamSource source = new DynamoDbStreamSource(mapping, clients.dynamoDbStreams, pool, clients.sqs,
                     arn -> dlqUrl, "us-east-1").start()) {
            waitFor(() -> source.recordsDelivered() == 2, 30_000);
        }

        // then: the batch, its halves, then the failing record alone (no retries), then the record after it
        List<List<String>> invocations = recorder.events().stream().map(e -> {
            List<String> ids = new java.util.ArrayList<>();
            e.path("Records").forEach(r -> ids.add(r.path("dynamodb").path("Keys").path("id").path("S").asText()));
            return ids;
        }).toList();
        assertEquals(List.of(List.of("ok-1", "fail-me", "ok-2"), List.of("ok-1"), List.of("fail-me", "ok-2"),
                List.of("fail-me"), List.of("ok-2")), invocations);
        List<Message> dead = clients.sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(2)).messages();
        assertEquals(1, Jsons.MAPPER.readTree(dead.getFirst().body()).path("DDBStreamBatchInfo").path("batchSize").asInt());
    }

    private static String table() {
        String name = "stream-" + UUID.randomUUID();
        clients.dynamoDb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        clients.dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName("expiresAt")
                .enabled(true)));
        return name;
    }

    private static String streamArn(String table) {
        return clients.dynamoDb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
    }

    private static void put(String table, String id, long expiresAt) {
        clients.dynamoDb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
    }
}
