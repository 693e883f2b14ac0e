package io.mediasuite.local.events;

import static io.mediasuite.local.events.SqsEventSourceTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.emulator.Emulators;
import java.nio.file.Path;
import java.time.Duration;
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
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The TTL sweeper against DynamoDB Local, on a table with a global secondary index (one DynamoDB Local never
 * expires itself), read through a stream source with the template's TTL-removal filter.
 */
class TtlSweeperTest {

    private static final String TTL_REMOVALS =
            "{\"eventName\": [\"REMOVE\"], \"userIdentity\": {\"type\": [\"Service\"], \"principalId\": [\"dynamodb.amazonaws.com\"]}}";

    private static AwsLocalClients clients;

    @BeforeAll
    static void setUp() {
        clients = new AwsLocalClients(Emulators.shared().environment());
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void sweep_shouldDeleteOnlyItemsWhoseTtlIsANumberInThePast_whenTheTableHasAnIndex() {
        // given
        String table = table(true);
        long now = Instant.now().getEpochSecond();
        put(table, "expired", AttributeValue.fromN(Long.toString(now - 10)));
        put(table, "live", AttributeValue.fromN(Long.toString(now + 3600)));
        put(table, "text-ttl", AttributeValue.fromS(Long.toString(now - 10)));
        put(table, "ancient", AttributeValue.fromN(Long.toString(now - 6L * 365 * 24 * 3600)));
        TtlSweeper sweeper = TtlSweeper.forTable(clients.dynamoDb, table, Duration.ofSeconds(1)).orElseThrow();

        // when
        int deleted = sweeper.sweep();

        // then: as AWS, a non-number TTL and one more than five years old are ignored
        assertEquals(1, deleted);
        assertFalse(exists(table, "expired"));
        assertTrue(exists(table, "live"));
        assertTrue(exists(table, "text-ttl"));
        assertTrue(exists(table, "ancient"));
        assertEquals(0, sweeper.sweep());
    }

    @Test
    void expire_shouldKeepTheItem_whenItsTtlWasRefreshedAfterTheScanReadIt() {
        // given: an expired item as the scan read it, then refreshed by the application
        String table = table(true);
        long now = Instant.now().getEpochSecond();
        AttributeValue expired = AttributeValue.fromN(Long.toString(now - 10));
        put(table, "refreshed", expired);
        put(table, "refreshed", AttributeValue.fromN(Long.toString(now + 3600)));
        TtlSweeper sweeper = TtlSweeper.forTable(clients.dynamoDb, table, Duration.ofSeconds(1)).orElseThrow();
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("refreshed"));

        // when
        boolean deleted = sweeper.expire(Map.of("id", key.get("id"), "expiresAt", expired));

        // then: kept, and no removal of it is remembered as the TTL's
        assertFalse(deleted);
        assertTrue(exists(table, "refreshed"));
        assertFalse(sweeper.sweptByTtl(key, null));
    }

    @Test
    void forTable_shouldBeEmpty_whenTheTableHasNoTtl() {
        assertTrue(TtlSweeper.forTable(clients.dynamoDb, table(false), Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void interval_shouldRefuseValuesOutsideTheRange_whenConfigured() {
        assertEquals(Duration.ofSeconds(5), TtlSweeper.interval(null));
        assertEquals(Duration.ofSeconds(2), TtlSweeper.interval(" 2 "));
        assertThrows(IllegalArgumentException.class, () -> TtlSweeper.interval("0"));
        assertThrows(IllegalArgumentException.class, () -> TtlSweeper.interval("soon"));
    }

    @Test
    void streamSource_shouldMarkTheSweepersRemovalsAsTheTtlService_whenItSweepsOnItsOwn(@TempDir Path dir)
            throws Exception {
        // given: a stream source filtered to TTL removals, the sweeper running every second
        RecordingFunction recorder = new RecordingFunction(dir, "TtlFunction");
        String table = table(true);
        long now = Instant.now().getEpochSecond();
        var mapping = new EventSourceSpecs.StreamMapping("TtlFunction", "TtlRemovals", table, streamArn(table),
                "TRIM_HORIZON", 10, 0, List.of(TTL_REMOVALS), false, false, -1, null);
        try (TtlSweeper sweeper = TtlSweeper.forTable(clients.dynamoDb, table, Duration.ofSeconds(1)).orElseThrow()
                     .start();
             FunctionPool pool = new FunctionPool(recorder.spec, 1);
             DynamoDbStreamSource source = new DynamoDbStreamSource(mapping, clients.dynamoDbStreams, pool,
                     clients.sqs, arn -> null, "us-east-1", sweeper).start()) {

            // when: one item is deleted by the application, another expires
            put(table, "deleted-by-hand", AttributeValue.fromN(Long.toString(now + 3600)));
            clients.dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("deleted-by-hand"))));
            put(table, "expiring", AttributeValue.fromN(Long.toString(now - 1)));

            // then: only the expiry reaches the function, marked as AWS marks it
            waitFor(() -> source.recordsDelivered() == 1, 20_000);
            List<JsonNode> records = recorder.records();
            assertEquals(1, records.size());
            JsonNode record = records.getFirst();
            assertEquals("expiring", record.path("dynamodb").path("Keys").path("id").path("S").asText());
            assertEquals("Service", record.path("userIdentity").path("type").asText());
            assertEquals("dynamodb.amazonaws.com", record.path("userIdentity").path("principalId").asText());
            // Two INSERTs and the application's REMOVE, read before the expiry in the shard's order.
            assertEquals(3, source.recordsFilteredOut());
        }
    }

    private static String table(boolean withTtl) {
        String name = "ttl-" + UUID.randomUUID();
        clients.dynamoDb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("group").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("ByGroup")
                        .keySchema(KeySchemaElement.builder().attributeName("group").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.OLD_IMAGE)));
        if (withTtl) {
            clients.dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t
                    .attributeName("expiresAt").enabled(true)));
        }
        return name;
    }

    private static String streamArn(String table) {
        return clients.dynamoDb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
    }

    private static void put(String table, String id, AttributeValue expiresAt) {
        clients.dynamoDb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                "group", AttributeValue.fromS("g"), "expiresAt", expiresAt)));
    }

    private static boolean exists(String table, String id) {
        return clients.dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).hasItem();
    }
}
