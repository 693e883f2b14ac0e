package io.mediasuite.local.events;

import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One DynamoDB stream event source mapping, run as Lambda runs it against DynamoDB Local's stream API
 * (DescribeStream, GetShardIterator, GetRecords): each shard is read in order from {@code StartingPosition},
 * records are gathered into batches of up to {@code BatchSize} (waiting up to {@code MaximumBatchingWindowInSeconds}),
 * records that match none of the {@code FilterCriteria} patterns are dropped (counted as processed, as Lambda does),
 * and the rest are sent in Lambda's stream event. A failed batch blocks its shard and is retried (with backoff)
 * until it succeeds or {@code MaximumRetryAttempts} is spent, then its description goes to the OnFailure
 * destination; {@code BisectBatchOnFunctionError} splits a failing batch in two, and {@code ReportBatchItemFailures}
 * checkpoints before the first reported record and retries from it.
 *
 * <p>TTL removals carry {@code userIdentity {"type": "Service", "principalId": "dynamodb.amazonaws.com"}}, as in
 * AWS, so a filter on them sees what it would see there: DynamoDB Local (2.6.1) marks the records of the items it
 * expires itself (only in tables without a global secondary index), and the records of the items a
 * {@link TtlSweeper} of the table expired are marked here. The position in each shard lives as long as the runner:
 * a new run starts at {@code StartingPosition} again, as a new mapping would.
 */
public final class DynamoDbStreamSource implements AutoCloseable {

    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final EventSourceSpecs.StreamMapping mapping;
    private final DynamoDbStreamsClient streams;
    private final FunctionPool pool;
    private final SqsClient sqs;
    private final Function<String, String> queueUrlOfArn;
    private final String region;
    private final EventFilter filter;
    private final TtlSweeper ttl;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Thread poller;
    private volatile boolean stopping;
    private volatile long recordsDelivered;
    private volatile long recordsFilteredOut;

    public DynamoDbStreamSource(EventSourceSpecs.StreamMapping mapping, DynamoDbStreamsClient streams, FunctionPool pool,
                                SqsClient sqs, Function<String, String> queueUrlOfArn, String region) {
        this(mapping, streams, pool, sqs, queueUrlOfArn, region, null);
    }

    /** @param ttl the sweeper expiring the table's items, whose removals are marked as the TTL's; null for none */
    public DynamoDbStreamSource(EventSourceSpecs.StreamMapping mapping, DynamoDbStreamsClient streams, FunctionPool pool,
                                SqsClient sqs, Function<String, String> queueUrlOfArn, String region, TtlSweeper ttl) {
        this.ttl = ttl;
        this.mapping = mapping;
        this.streams = streams;
        this.pool = pool;
        this.sqs = sqs;
        this.queueUrlOfArn = queueUrlOfArn;
        this.region = region;
        this.filter = EventFilter.of(mapping.filterPatterns());
        this.poller = SqsEventSource.daemon("stream-" + mapping.functionId()).newThread(this::pollUntilStopped);
    }

    /**
     * Positions every shard at {@code StartingPosition} (so records written after this call returns are seen
     * even with LATEST) and starts polling.
     */
    public DynamoDbStreamSource start() {
        discoverShards(ShardIteratorType.fromValue(mapping.startingPosition()));
        poller.start();
        return this;
    }

    public String describe() {
        return String.format("DynamoDB stream %s -> %s (BatchSize %d, %s, %d filter pattern%s)",
                mapping.tableLogicalId() == null ? mapping.streamArn() : mapping.tableLogicalId(), mapping.functionId(),
                mapping.batchSize(), mapping.startingPosition(), mapping.filterPatterns().size(),
                mapping.filterPatterns().size() == 1 ? "" : "s");
    }

    /** Records handed to the function so far. */
    public long recordsDelivered() {
        return recordsDelivered;
    }

    /** Records that matched no filter pattern. */
    public long recordsFilteredOut() {
        return recordsFilteredOut;
    }

    private void discoverShards(ShardIteratorType forExisting) {
        String lastShard = null;
        do {
            String from = lastShard;
            var description = streams.describeStream(b -> b.streamArn(mapping.streamArn()).exclusiveStartShardId(from))
                    .streamDescription();
            for (Shard shard : description.shards()) {
                if (!iterators.containsKey(shard.shardId())) {
                    // Shards that appear later are children of the ones being read: read them from their start.
                    ShardIteratorType type = forExisting != null ? forExisting : ShardIteratorType.TRIM_HORIZON;
                    iterators.put(shard.shardId(), streams.getShardIterator(b -> b.streamArn(mapping.streamArn())
                            .shardId(shard.shardId()).shardIteratorType(type)).shardIterator());
                }
            }
            lastShard = description.lastEvaluatedShardId();
        } while (lastShard != null);
    }

    private void pollUntilStopped() {
        long rounds = 0;
        while (!stopping) {
            boolean any = false;
            try {
                if (++rounds % 20 == 0) {
                    discoverShards(null);
                }
                for (String shardId : new ArrayList<>(iterators.keySet())) {
                    any |= pollShard(shardId);
                }
            } catch (RuntimeException e) {
                if (!stopping) {
                    System.err.println("sam-local: reading " + mapping.streamArn() + " failed: " + e.getMessage());
                }
            }
            if (!any) {
                sleep(IDLE_WAIT);
            }
        }
    }

    /** Reads one batch from the shard and delivers it; true when it read records. */
    private boolean pollShard(String shardId) {
        String iterator = iterators.get(shardId);
        if (iterator == null) {
            return false;
        }
        List<Record> batch = new ArrayList<>();
        long windowEnds = System.nanoTime() + Duration.ofSeconds(mapping.batchingWindowSeconds()).toNanos();
        String next = iterator;
        while (next != null && batch.size() < mapping.batchSize() && !stopping) {
            String current = next;
            int limit = Math.min(1000, mapping.batchSize() - batch.size());
            GetRecordsResponse response;
            try {
                response = streams.getRecords(b -> b.shardIterator(current).limit(limit));
            } catch (ExpiredIteratorException e) {
                iterators.remove(shardId);
                discoverShards(ShardIteratorType.LATEST);
                return false;
            } catch (TrimmedDataAccessException e) {
                // The iterator points before what the shard still holds (DynamoDB Local trims, too): as Lambda
                // does, go on from the oldest record left instead of asking for the same position forever.
                System.err.println("sam-local: " + mapping.streamArn() + " shard " + shardId
                        + " was trimmed past the reading position; reading on from its oldest record");
                iterators.put(shardId, streams.getShardIterator(b -> b.streamArn(mapping.streamArn())
                        .shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
                return false;
            }
            batch.addAll(response.records());
            next = response.nextShardIterator();
            if (response.records().isEmpty() && (batch.isEmpty() || System.nanoTime() >= windowEnds)) {
                break;
            }
            if (response.records().isEmpty()) {
                // Within the batching window: wait for more records rather than asking again at once.
                sleep(Duration.ofMillis(200));
            }
            if (!response.records().isEmpty() && System.nanoTime() >= windowEnds) {
                break;
            }
        }
        if (next == null) {
            iterators.remove(shardId);
        } else {
            iterators.put(shardId, next);
        }
        if (batch.isEmpty()) {
            return false;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Record record : batch) {
            Map<String, Object> converted = record(record);
            if (filter.matches(converted)) {
                records.add(converted);
            } else {
                recordsFilteredOut++;
            }
        }
        if (!records.isEmpty()) {
            deliver(shardId, records);
        }
        return true;
    }

    /** Invokes until the records are processed, retries are spent, or the runner stops. */
    private void deliver(String shardId, List<Map<String, Object>> records) {
        List<Map<String, Object>> pending = records;
        int retries = 0;
        Duration backoff = Duration.ofSeconds(1);
        while (!pending.isEmpty() && !stopping) {
            byte[] event = Jsons.write(Map.of("Records", pending)).getBytes(StandardCharsets.UTF_8);
            boolean functionError = false;
            int failedFrom;
            try {
                failedFrom = firstFailed(pool.invokeWhenFree(event), pending);
            } catch (LocalLambda.FunctionErrorException | LocalLambda.FunctionInitException e) {
                System.err.println("sam-local: " + mapping.functionId() + " failed: " + e.getMessage());
                functionError = true;
                failedFrom = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (failedFrom == pending.size()) {
                recordsDelivered += pending.size();
                return;
            }
            if (functionError && mapping.bisectBatchOnFunctionError() && pending.size() > 1) {
                int half = pending.size() / 2;
                deliver(shardId, pending.subList(0, half));
                deliver(shardId, pending.subList(half, pending.size()));
                return;
            }
            // Records before the first failure are done: the shard is checkpointed there and the rest retried.
            recordsDelivered += failedFrom;
            pending = pending.subList(failedFrom, pending.size());
            retries++;
            if (mapping.maximumRetryAttempts() >= 0 && retries > mapping.maximumRetryAttempts()) {
                giveUp(shardId, pending, retries);
                return;
            }
            System.err.println("sam-local: " + mapping.functionId() + " failed a batch of " + pending.size()
                    + " stream records; retrying in " + backoff.toSeconds() + " s");
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * How many records, from the start of the batch, the response lets the mapping checkpoint: all of them on
     * success, the index of the first reported failure (by SequenceNumber) with ReportBatchItemFailures, and 0 for
     * a response that is not a valid batch response or names a record outside the batch.
     */
    private int firstFailed(byte[] response, List<Map<String, Object>> records) {
        if (!mapping.reportBatchItemFailures()) {
            return records.size();
        }
        List<String> reported = BatchResponse.reportedFailures(response).orElse(null);
        if (reported == null) {
            return 0;
        }
        int first = records.size();
        for (String sequence : reported) {
            int index = -1;
            for (int i = 0; i < records.size(); i++) {
                if (sequence.equals(sequenceNumber(records.get(i)))) {
                    index = i;
                }
            }
            if (index < 0) {
                return 0;
            }
            first = Math.min(first, index);
        }
        return first;
    }

    @SuppressWarnings("unchecked")
    private static String sequenceNumber(Map<String, Object> record) {
        return String.valueOf(((Map<String, Object>) record.get("dynamodb")).get("SequenceNumber"));
    }

    @SuppressWarnings("unchecked")
    private void giveUp(String shardId, List<Map<String, Object>> records, int attempts) {
        System.err.println("sam-local: " + mapping.functionId() + " gave up on " + records.size()
                + " stream records after " + attempts + " attempts");
        if (mapping.onFailureDestination() == null) {
            return;
        }
        Map<String, Object> first = (Map<String, Object>) records.getFirst().get("dynamodb");
        Map<String, Object> last = (Map<String, Object>) records.getLast().get("dynamodb");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("shardId", shardId);
        info.put("startSequenceNumber", first.get("SequenceNumber"));
        info.put("endSequenceNumber", last.get("SequenceNumber"));
        info.put("approximateArrivalOfFirstRecord", Instant.ofEpochSecond(
                ((Number) first.get("ApproximateCreationDateTime")).longValue()).toString());
        info.put("approximateArrivalOfLastRecord", Instant.ofEpochSecond(
                ((Number) last.get("ApproximateCreationDateTime")).longValue()).toString());
        info.put("batchSize", records.size());
        info.put("streamArn", mapping.streamArn());
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("requestId", java.util.UUID.randomUUID().toString());
        requestContext.put("functionArn", "arn:aws:lambda:" + region + ":123456789012:function:"
                + pool.spec().functionName());
        requestContext.put("condition", "RetryAttemptsExhausted");
        requestContext.put("approximateInvokeCount", attempts);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("requestContext", requestContext);
        message.put("version", "1.0");
        message.put("timestamp", Instant.now().toString());
        message.put("DDBStreamBatchInfo", info);
        String url = queueUrlOfArn.apply(mapping.onFailureDestination());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(Jsons.write(message)));
    }

    /** A stream record as Lambda puts it in the event. */
    Map<String, Object> record(Record record) {
        StreamRecord stream = record.dynamodb();
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.put("Keys", item(stream.keys()));
        if (stream.hasNewImage()) {
            dynamodb.put("NewImage", item(stream.newImage()));
        }
        if (stream.hasOldImage()) {
            dynamodb.put("OldImage", item(stream.oldImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        Map<String, Object> converted = new LinkedHashMap<>();
        converted.put("eventID", record.eventID());
        converted.put("eventName", record.eventNameAsString());
        converted.put("eventVersion", record.eventVersion());
        converted.put("eventSource", "aws:dynamodb");
        converted.put("awsRegion", region);
        converted.put("dynamodb", dynamodb);
        if (record.userIdentity() != null) {
            converted.put("userIdentity", Map.of("type", record.userIdentity().type(),
                    "principalId", record.userIdentity().principalId()));
        } else if (ttl != null && record.eventName() == OperationType.REMOVE
                && ttl.sweptByTtl(stream.keys(), stream.hasOldImage() ? stream.oldImage() : null)) {
            converted.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
        }
        converted.put("eventSourceARN", mapping.streamArn());
        return converted;
    }

    /** An item in DynamoDB's JSON form ({@code {"name": {"S": "..."}}}). */
    static Map<String, Object> item(Map<String, AttributeValue> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        item.forEach((name, value) -> json.put(name, value(value)));
        return json;
    }

    private static Map<String, Object> value(AttributeValue value) {
        Base64.Encoder base64 = Base64.getEncoder();
        return switch (value.type()) {
            case S -> Map.of("S", value.s());
            case N -> Map.of("N", value.n());
            case B -> Map.of("B", base64.encodeToString(value.b().asByteArray()));
            case SS -> Map.of("SS", value.ss());
            case NS -> Map.of("NS", value.ns());
            case BS -> Map.of("BS", value.bs().stream().map(b -> base64.encodeToString(b.asByteArray())).toList());
            case M -> Map.of("M", item(value.m()));
            case L -> Map.of("L", value.l().stream().map(DynamoDbStreamSource::value).toList());
            case NUL -> Map.of("NULL", true);
            case BOOL -> Map.of("BOOL", value.bool());
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        };
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading; a batch being delivered finishes its current invocation first. */
    @Override
    public void close() {
        stopping = true;
        try {
            poller.join(Duration.ofSeconds(pool.spec().timeoutSeconds() + 5L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
