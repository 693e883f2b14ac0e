package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Remembers which object versions an invalidation already covers, so that a redelivered event never costs a
 * second invalidation however SQS regroups the batch. An entry is the object version's identity
 * ({@link ObjectChange#versionId}: bucket, key, kind and S3's sequencer, hashed), written only after
 * CloudFront created the invalidation covering it, and expiring after {@code LEDGER_TTL_SECONDS} (default 7
 * days, beyond any redelivery). Two deploys of the same key have different sequencers, so different entries.
 *
 * <p>Best effort both ways: if it cannot be read, everything is invalidated (a redelivery may then cost a second
 * invalidation, never a missed one); if it cannot be written, the same.
 */
public final class InvalidationLedger {

    private static final int GET_BATCH = 100;
    private static final int WRITE_BATCH = 25;
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final long ttlSeconds;
    private final Clock clock;

    public InvalidationLedger(DynamoDbClient dynamoDb, String table, long ttlSeconds, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /** The version ids among {@code versionIds} an earlier invalidation already covers. */
    public Set<String> alreadyInvalidated(Collection<String> versionIds) {
        Map<String, String> byKey = new HashMap<>();
        versionIds.forEach(v -> byKey.put(key(v), v));
        List<String> keys = new ArrayList<>(byKey.keySet());
        Set<String> found = new HashSet<>();
        try {
            for (int from = 0; from < keys.size(); from += GET_BATCH) {
                List<Map<String, AttributeValue>> request = keys.subList(from, Math.min(keys.size(), from + GET_BATCH))
                        .stream().map(k -> Map.of("id", AttributeValue.fromS(k))).toList();
                Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(request)
                        .projectionExpression("id").build());
                for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
                    Map<String, KeysAndAttributes> ask = pending;
                    BatchGetItemResponse response = Tracing.span("DynamoDB.BatchGetItem",
                            () -> dynamoDb.batchGetItem(b -> b.requestItems(ask)));
                    response.responses().getOrDefault(table, List.of())
                            .forEach(item -> found.add(byKey.get(item.get("id").s())));
                    pending = response.unprocessedKeys();
                }
            }
        } catch (SdkException e) {
            Log.warn("invalidation ledger not readable; every change is invalidated", "table", table,
                    "errorType", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
            return Set.of();
        }
        return found;
    }

    /** Records that an invalidation created now covers {@code versionIds}. */
    public void record(Collection<String> versionIds) {
        long expires = clock.instant().getEpochSecond() + ttlSeconds;
        List<WriteRequest> writes = versionIds.stream().map(this::key).distinct()
                .map(k -> WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                        "id", AttributeValue.fromS(k),
                        "expiresAt", AttributeValue.fromN(Long.toString(expires)))).build()).build())
                .toList();
        try {
            for (int from = 0; from < writes.size(); from += WRITE_BATCH) {
                Map<String, List<WriteRequest>> pending =
                        Map.of(table, writes.subList(from, Math.min(writes.size(), from + WRITE_BATCH)));
                for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
                    Map<String, List<WriteRequest>> send = pending;
                    pending = Tracing.span("DynamoDB.BatchWriteItem",
                            () -> dynamoDb.batchWriteItem(b -> b.requestItems(send))).unprocessedItems();
                }
                if (!pending.isEmpty()) {
                    Log.warn("some invalidated versions not recorded; a redelivery may invalidate them again",
                            "table", table, "unrecorded", pending.getOrDefault(table, List.of()).size());
                }
            }
        } catch (SdkException e) {
            Log.warn("invalidated versions not recorded; a redelivery may invalidate them again", "table", table,
                    "errorType", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
        }
    }

    private String key(String versionId) {
        return InvalidationPlan.digest(versionId).substring(0, 40);
    }
}
