package io.mediasuite.local.events;

import static io.mediasuite.local.events.SqsEventSourceTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.Emulators;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@code Type: DynamoDB} event declared in a template (a test template: template.yaml's own, on DevicesTable,
 * belongs to the devices work) runs through {@link EventSources} with its FilterCriteria: only the TTL removal
 * reaches the function.
 */
class StreamTemplateTest {

    @Test
    void dynamoDbEvent_shouldDeliverOnlyTtlRemovals_whenTheTemplateFiltersOnTheServiceIdentity(@TempDir Path dir)
            throws Exception {
        // given
        LocalCloud cloud = LocalCloud.start(template(), Emulators.shared(), "stream-" + UUID.randomUUID()
                .toString().substring(0, 8), Map.of());
        List<EventSourceSpecs.StreamMapping> mappings = EventSourceSpecs.dynamoDb(cloud);
        EventSourceSpecs.StreamMapping mapping = mappings.getFirst();
        assertEquals(1, mappings.size());
        assertEquals("SessionsTable", mapping.tableLogicalId());
        assertEquals(cloud.attribute("SessionsTable", "StreamArn"), mapping.streamArn());
        assertEquals(3, mapping.maximumRetryAttempts());
        assertEquals(1, mapping.filterPatterns().size());
        RecordingFunction recorder = new RecordingFunction(dir, "CleanupFunction");
        String table = cloud.physicalId("SessionsTable");
        try (FunctionPool pool = new FunctionPool(recorder.spec, 1);
             EventSources sources = EventSources.start(cloud, id -> pool, "127.0.0.1");
             AwsLocalClients clients = new AwsLocalClients(cloud.emulators().environment())) {
            // when: a session that expired a minute ago, one still valid, and one its user ends
            long now = Instant.now().getEpochSecond();
            put(clients, table, "expired", now - 60);
            put(clients, table, "valid", now + 3600);
            put(clients, table, "ended", now + 3600);
            clients.dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("ended"))));

            // then
            DynamoDbStreamSource source = sources.streams().getFirst();
            waitFor(() -> source.recordsDelivered() == 1, 60_000);
            List<JsonNode> records = recorder.records();
            assertEquals(1, records.size(), records.toString());
            JsonNode record = records.getFirst();
            assertEquals("REMOVE", record.path("eventName").asText());
            assertEquals("expired", record.path("dynamodb").path("Keys").path("id").path("S").asText());
            assertEquals(Long.toString(now - 60), record.path("dynamodb").path("OldImage").path("expiresAt").path("N").asText());
            assertEquals("OLD_IMAGE", record.path("dynamodb").path("StreamViewType").asText());
            assertEquals("Service", record.path("userIdentity").path("type").asText());
            assertEquals("dynamodb.amazonaws.com", record.path("userIdentity").path("principalId").asText());
            assertEquals("aws:dynamodb", record.path("eventSource").asText());
            assertEquals(mapping.streamArn(), record.path("eventSourceARN").asText());
            assertEquals(4, source.recordsFilteredOut(), "three inserts and a user's delete");
        }
    }

    private static void put(AwsLocalClients clients, String table, String id, long expiresAt) {
        clients.dynamoDb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
    }

    private static Path template() throws URISyntaxException {
        return Path.of(StreamTemplateTest.class.getResource("/stream-template/template.yaml").toURI());
    }
}
