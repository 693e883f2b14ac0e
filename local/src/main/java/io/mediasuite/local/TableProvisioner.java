package io.mediasuite.local;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Makes a DynamoDB table match its template definition: creates it when absent, and when an earlier run left it
 * (a DynamoDB Local kept running) brings it in line as CloudFormation would update it: global secondary indexes
 * added or removed, stream, TTL and billing mode changed. What DynamoDB cannot change in place (the key schema,
 * local secondary indexes, a changed global index) ends in a {@link CannotReconcileException}.
 */
final class TableProvisioner {

    private final DynamoDbClient dynamoDb;

    TableProvisioner(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /** The table {@code name} as {@code props} (resolved {@code AWS::DynamoDB::Table} properties) declare it. */
    TableDescription ensure(String name, Map<String, Object> props) {
        CreateTableRequest desired = createRequest(name, props);
        Map<String, Object> ttl = map(props.get("TimeToLiveSpecification"));
        String ttlAttribute = Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))
                ? String.valueOf(ttl.get("AttributeName")) : null;
        TableDescription current;
        try {
            current = dynamoDb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException absent) {
            dynamoDb.createTable(desired);
            if (ttlAttribute != null) {
                setTimeToLive(name, ttlAttribute, true);
            }
            return describe(name);
        }
        reconcile(current, desired);
        reconcileTimeToLive(name, ttlAttribute);
        return describe(name);
    }

    private void reconcile(TableDescription current, CreateTableRequest desired) {
        String name = desired.tableName();
        if (!current.keySchema().equals(desired.keySchema())
                || !keyTypes(current.attributeDefinitions(), current.keySchema())
                        .equals(keyTypes(desired.attributeDefinitions(), desired.keySchema()))) {
            throw new CannotReconcileException("table", name, "key schema " + describeKeys(current.keySchema(),
                    current.attributeDefinitions()) + " where the template declares " + describeKeys(
                    desired.keySchema(), desired.attributeDefinitions()));
        }
        Map<String, String> currentLocal = new LinkedHashMap<>();
        for (LocalSecondaryIndexDescription index : current.localSecondaryIndexes()) {
            currentLocal.put(index.indexName(), shape(index.keySchema(), index.projection()));
        }
        Map<String, String> desiredLocal = new LinkedHashMap<>();
        for (LocalSecondaryIndex index : desired.localSecondaryIndexes()) {
            desiredLocal.put(index.indexName(), shape(index.keySchema(), index.projection()));
        }
        if (!currentLocal.equals(desiredLocal)) {
            throw new CannotReconcileException("table", name, "local secondary indexes " + currentLocal
                    + " where the template declares " + desiredLocal);
        }
        boolean onDemand = desired.billingMode() == BillingMode.PAY_PER_REQUEST;
        BillingMode currentMode = current.billingModeSummary() == null ? BillingMode.PROVISIONED
                : current.billingModeSummary().billingMode();
        if (currentMode != desired.billingMode()) {
            dynamoDb.updateTable(b -> {
                b.tableName(name).billingMode(desired.billingMode());
                if (!onDemand) {
                    b.provisionedThroughput(desired.provisionedThroughput());
                }
            });
            awaitActive(name);
            report(name, "billing mode " + currentMode + " -> " + desired.billingMode());
        }
        reconcileGlobalIndexes(current, desired);
        reconcileStream(current, desired);
    }

    private void reconcileGlobalIndexes(TableDescription current, CreateTableRequest desired) {
        String name = desired.tableName();
        Map<String, GlobalSecondaryIndexDescription> existing = new LinkedHashMap<>();
        current.globalSecondaryIndexes().forEach(index -> existing.put(index.indexName(), index));
        Map<String, GlobalSecondaryIndex> wanted = new LinkedHashMap<>();
        desired.globalSecondaryIndexes().forEach(index -> wanted.put(index.indexName(), index));
        for (GlobalSecondaryIndex index : wanted.values()) {
            GlobalSecondaryIndexDescription found = existing.get(index.indexName());
            if (found != null && !shape(found.keySchema(), found.projection())
                    .equals(shape(index.keySchema(), index.projection()))) {
                throw new CannotReconcileException("table", name, "index " + index.indexName() + " "
                        + shape(found.keySchema(), found.projection()) + " where the template declares "
                        + shape(index.keySchema(), index.projection()));
            }
        }
        // DynamoDB takes one index creation or deletion per UpdateTable call.
        for (String indexName : existing.keySet()) {
            if (!wanted.containsKey(indexName)) {
                dynamoDb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                        u -> u.delete(d -> d.indexName(indexName))));
                awaitActive(name);
                report(name, "removed index " + indexName);
            }
        }
        for (GlobalSecondaryIndex index : wanted.values()) {
            if (!existing.containsKey(index.indexName())) {
                dynamoDb.updateTable(b -> b.tableName(name).attributeDefinitions(desired.attributeDefinitions())
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
                                .keySchema(index.keySchema()).projection(index.projection())
                                .provisionedThroughput(index.provisionedThroughput()))));
                awaitActive(name);
                report(name, "added index " + index.indexName());
            }
        }
    }

    private void reconcileStream(TableDescription current, CreateTableRequest desired) {
        String name = desired.tableName();
        StreamSpecification now = current.streamSpecification();
        String currentView = now != null && Boolean.TRUE.equals(now.streamEnabled()) ? now.streamViewTypeAsString() : null;
        StreamSpecification wanted = desired.streamSpecification();
        String desiredView = wanted == null ? null : wanted.streamViewTypeAsString();
        if (Objects.equals(currentView, desiredView)) {
            return;
        }
        if (currentView != null) {
            dynamoDb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
            awaitActive(name);
        }
        if (desiredView != null) {
            dynamoDb.updateTable(b -> b.tableName(name).streamSpecification(wanted));
            awaitActive(name);
        }
        report(name, "stream " + (currentView == null ? "off" : currentView) + " -> "
                + (desiredView == null ? "off" : desiredView));
    }

    private void reconcileTimeToLive(String name, String attribute) {
        TimeToLiveDescription ttl = dynamoDb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
        boolean enabled = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
        String current = enabled ? ttl.attributeName() : null;
        if (Objects.equals(current, attribute)) {
            return;
        }
        if (current != null) {
            setTimeToLive(name, current, false);
        }
        if (attribute != null) {
            setTimeToLive(name, attribute, true);
        }
        report(name, "time to live " + (current == null ? "off" : "on " + current) + " -> "
                + (attribute == null ? "off" : "on " + attribute));
    }

    private void setTimeToLive(String name, String attribute, boolean enabled) {
        dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                t -> t.attributeName(attribute).enabled(enabled)));
    }

    private TableDescription describe(String name) {
        return dynamoDb.describeTable(b -> b.tableName(name)).table();
    }

    /** DynamoDB Local applies updates at once; a real endpoint may take a moment per index. */
    private void awaitActive(String name) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            TableDescription table = describe(name);
            boolean indexesReady = table.globalSecondaryIndexes().stream()
                    .allMatch(i -> "ACTIVE".equals(i.indexStatusAsString()));
            if (table.tableStatus() == TableStatus.ACTIVE && indexesReady) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while table " + name + " updates", e);
            }
        }
        throw new IllegalStateException("table " + name + " did not become ACTIVE within 30 s after an update");
    }

    private static void report(String table, String change) {
        System.err.println("sam-local: table " + table + ": " + change + " (the template changed since the last run)");
    }

    private static Map<String, String> keyTypes(List<AttributeDefinition> definitions, List<KeySchemaElement> keys) {
        Map<String, String> types = new LinkedHashMap<>();
        for (KeySchemaElement key : keys) {
            definitions.stream().filter(d -> d.attributeName().equals(key.attributeName())).findFirst()
                    .ifPresent(d -> types.put(key.attributeName(), d.attributeTypeAsString()));
        }
        return types;
    }

    private static String describeKeys(List<KeySchemaElement> keys, List<AttributeDefinition> definitions) {
        Map<String, String> types = keyTypes(definitions, keys);
        List<String> parts = new ArrayList<>();
        for (KeySchemaElement key : keys) {
            parts.add(key.attributeName() + " " + key.keyTypeAsString() + " " + types.get(key.attributeName()));
        }
        return parts.toString();
    }

    private static String shape(List<KeySchemaElement> keys, Projection projection) {
        List<String> parts = new ArrayList<>();
        keys.forEach(k -> parts.add(k.attributeName() + " " + k.keyTypeAsString()));
        String nonKey = projection == null || !projection.hasNonKeyAttributes() ? ""
                : " " + new TreeSet<>(projection.nonKeyAttributes());
        return parts + " " + (projection == null ? "ALL" : projection.projectionTypeAsString()) + nonKey;
    }

    static CreateTableRequest createRequest(String name, Map<String, Object> props) {
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(list(props.get("AttributeDefinitions")).stream().map(d -> AttributeDefinition
                        .builder().attributeName(str(d, "AttributeName")).attributeType(str(d, "AttributeType"))
                        .build()).toList())
                .keySchema(keySchema(props.get("KeySchema")));
        boolean onDemand = "PAY_PER_REQUEST".equals(props.get("BillingMode"));
        request.billingMode(onDemand ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
        if (!onDemand) {
            request.provisionedThroughput(throughput(props.get("ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> globals = list(props.get("GlobalSecondaryIndexes")).stream().map(i -> {
            GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder().indexName(str(i, "IndexName"))
                    .keySchema(keySchema(map(i).get("KeySchema"))).projection(projection(map(i).get("Projection")));
            if (!onDemand) {
                index.provisionedThroughput(throughput(map(i).get("ProvisionedThroughput")));
            }
            return index.build();
        }).toList();
        if (!globals.isEmpty()) {
            request.globalSecondaryIndexes(globals);
        }
        List<LocalSecondaryIndex> locals = list(props.get("LocalSecondaryIndexes")).stream().map(i ->
                LocalSecondaryIndex.builder().indexName(str(i, "IndexName"))
                        .keySchema(keySchema(map(i).get("KeySchema"))).projection(projection(map(i).get("Projection")))
                        .build()).toList();
        if (!locals.isEmpty()) {
            request.localSecondaryIndexes(locals);
        }
        Map<String, Object> stream = map(props.get("StreamSpecification"));
        if (!stream.isEmpty()) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(String.valueOf(stream.get("StreamViewType"))).build());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(Object raw) {
        return list(raw).stream().map(k -> KeySchemaElement.builder().attributeName(str(k, "AttributeName"))
                .keyType(str(k, "KeyType")).build()).toList();
    }

    private static Projection projection(Object raw) {
        Map<String, Object> projection = map(raw);
        Projection.Builder builder = Projection.builder()
                .projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL")));
        List<Object> nonKey = list(projection.get("NonKeyAttributes"));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private static ProvisionedThroughput throughput(Object raw) {
        Map<String, Object> throughput = map(raw);
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(String.valueOf(throughput.getOrDefault("ReadCapacityUnits", 5))))
                .writeCapacityUnits(Long.parseLong(String.valueOf(throughput.getOrDefault("WriteCapacityUnits", 5))))
                .build();
    }

    private static String str(Object node, String key) {
        return String.valueOf(map(node).get(key));
    }
}
