package io.mediasuite.local.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Expires the items of one table the way DynamoDB's TTL process does, for DynamoDB Local: DynamoDB Local (2.6.1)
 * deletes expired items itself only in tables without a global secondary index, so in a table with one (the devices
 * table has three) nothing would ever expire and no stream consumer of TTL removals could run locally.
 *
 * <p>Every interval it scans for items whose TTL attribute is a number of epoch seconds in the past (and not more
 * than five years old: AWS ignores those too) and deletes each on the condition that the attribute still holds the
 * value read, so an item refreshed meanwhile is kept. It remembers the keys and TTL value of what it deleted, so the
 * stream sources can mark those REMOVE records as the TTL service's ({@link #sweptByTtl}), as AWS does. Running it
 * on a table DynamoDB Local expires itself is harmless: whichever deletes first wins, the other finds no item.
 */
public final class TtlSweeper implements AutoCloseable {

    /** Environment variable with the sweep interval in whole seconds (default 5). */
    public static final String INTERVAL_VARIABLE = "SAM_LOCAL_TTL_SWEEP_SECONDS";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** How many deletions are remembered: far more than a stream source ever lags behind locally. */
    private static final int REMEMBERED = 10_000;
    private static final long FIVE_YEARS_SECONDS = 5L * 365 * 24 * 3600;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String ttlAttribute;
    private final List<String> keyAttributes;
    private final Duration interval;
    private final Clock clock;
    private final Map<Map<String, AttributeValue>, AttributeValue> swept = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, AttributeValue>, AttributeValue> eldest) {
            return size() > REMEMBERED;
        }
    };
    private ScheduledExecutorService timer;

    TtlSweeper(DynamoDbClient dynamoDb, String table, String ttlAttribute, List<String> keyAttributes,
               Duration interval, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.ttlAttribute = ttlAttribute;
        this.keyAttributes = List.copyOf(keyAttributes);
        this.interval = interval;
        this.clock = clock;
    }

    /** A sweeper for {@code table}, or empty when its TTL is not enabled (read from DynamoDB Local itself). */
    public static Optional<TtlSweeper> forTable(DynamoDbClient dynamoDb, String table, Duration interval) {
        var ttl = dynamoDb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        if (ttl == null || ttl.timeToLiveStatus() != TimeToLiveStatus.ENABLED || ttl.attributeName() == null) {
            return Optional.empty();
        }
        List<String> keys = dynamoDb.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName).toList();
        return Optional.of(new TtlSweeper(dynamoDb, table, ttl.attributeName(), keys, interval, Clock.systemUTC()));
    }

    /** The sweep interval from {@value #INTERVAL_VARIABLE}'s value (null or blank: the default). */
    public static Duration interval(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_INTERVAL;
        }
        try {
            int value = Integer.parseInt(seconds.trim());
            if (value >= 1 && value <= 3600) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new IllegalArgumentException(INTERVAL_VARIABLE + " must be a whole number of seconds from 1 to 3600, not '"
                + seconds + "'");
    }

    /** Starts sweeping every interval, the first sweep one interval from now. */
    public synchronized TtlSweeper start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(SqsEventSource.daemon("ttl-" + table));
            timer.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public String table() {
        return table;
    }

    public String describe() {
        return String.format("TTL of %s (%s) swept every %d s", table, ttlAttribute, interval.toSeconds());
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            System.err.println("sam-local: expiring the items of " + table + " failed: " + e.getMessage());
        }
    }

    /** Deletes every item expired now; returns how many it deleted. */
    public int sweep() {
        long now = clock.instant().getEpochSecond();
        Map<String, String> names = new LinkedHashMap<>();
        names.put("#ttl", ttlAttribute);
        List<String> projection = new ArrayList<>(List.of("#ttl"));
        for (int i = 0; i < keyAttributes.size(); i++) {
            names.put("#k" + i, keyAttributes.get(i));
            projection.add("#k" + i);
        }
        Map<String, AttributeValue> values = Map.of(":n", AttributeValue.fromS("N"),
                ":now", AttributeValue.fromN(Long.toString(now)),
                ":oldest", AttributeValue.fromN(Long.toString(now - FIVE_YEARS_SECONDS)));
        int deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).exclusiveStartKey(from)
                    .filterExpression("attribute_type(#ttl, :n) AND #ttl < :now AND #ttl >= :oldest")
                    .projectionExpression(String.join(", ", projection))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            for (Map<String, AttributeValue> item : page.items()) {
                deleted += expire(item) ? 1 : 0;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }

    /** Deletes one item as the scan read it (keys and TTL value); false when its TTL changed or it is gone. */
    boolean expire(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(item);
        AttributeValue ttl = key.remove(ttlAttribute);
        // Remembered before the delete: the stream source may read its REMOVE record before deleteItem returns.
        synchronized (swept) {
            swept.put(Map.copyOf(key), ttl);
        }
        try {
            dynamoDb.deleteItem(b -> b.tableName(table).key(key).conditionExpression("#ttl = :ttl")
                    .expressionAttributeNames(Map.of("#ttl", ttlAttribute))
                    .expressionAttributeValues(Map.of(":ttl", ttl)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            // Refreshed or already deleted meanwhile: no removal of ours to mark.
            synchronized (swept) {
                swept.remove(Map.copyOf(key), ttl);
            }
            return false;
        }
    }

    /**
     * Whether a REMOVE record of this table is one of this sweeper's deletions: its keys match, and so does its TTL
     * value when the record carries the old image (with a KEYS_ONLY stream, the keys alone decide).
     */
    public boolean sweptByTtl(Map<String, AttributeValue> keys, Map<String, AttributeValue> oldImage) {
        AttributeValue ttl;
        synchronized (swept) {
            ttl = swept.get(Map.copyOf(keys));
        }
        if (ttl == null) {
            return false;
        }
        AttributeValue imageTtl = oldImage == null ? null : oldImage.get(ttlAttribute);
        return imageTtl == null || imageTtl.equals(ttl);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
