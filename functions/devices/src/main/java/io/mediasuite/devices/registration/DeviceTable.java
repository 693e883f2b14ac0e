package io.mediasuite.devices.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The devices table (template.yaml {@code DevicesTable}): one item per installation, keyed by {@code deviceId}, and
 * one ownership item per push token ({@link TokenOwner}, keyed {@code token#<PLATFORM>#<hash>}), with three
 * sparse-or-small indexes (the ownership items are in none of them):
 *
 * <ul>
 *   <li>{@value #BY_TOKEN} on {@code tokenHash}: no longer read (the ownership item answers who holds a token,
 *       consistently); kept so that removing it is a deliberate deployment step.</li>
 *   <li>{@value #BY_ENDPOINT} on {@code endpointArn} (keys only): maps SNS endpoint events back to devices.</li>
 *   <li>{@value #BY_GEO_CELL} on {@code geoCell} + {@code geohash} (projects what a send needs): radius
 *       queries, see {@link io.mediasuite.devices.geo.GeoIndex}. Only enabled, located devices have a
 *       {@code geoCell}.</li>
 * </ul>
 *
 * Every write is conditional: on absence for a new device, on the rev read for an update, on the ownership
 * item's version for anything that moves a token or an endpoint (in one transaction with the devices concerned),
 * and on the endpoint ARN for feedback-driven changes, so no read-then-write race can overwrite a newer write.
 */
public final class DeviceTable {

    public static final String BY_TOKEN = "ByToken";
    public static final String BY_ENDPOINT = "ByEndpoint";
    public static final String BY_GEO_CELL = "ByGeoCell";

    static final String DEVICE_ID = "deviceId";
    static final String PLATFORM = "platform";
    static final String TOKEN = "token";
    static final String TOKEN_HASH = "tokenHash";
    static final String ENDPOINT_ARN = "endpointArn";
    static final String ENABLED = "enabled";
    static final String USER_ID = "userId";
    static final String LAT = "lat";
    static final String LON = "lon";
    static final String GEOHASH = "geohash";
    static final String GEO_CELL = "geoCell";
    static final String LOCALE = "locale";
    static final String APP_VERSION = "appVersion";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String VERSION = "version";
    static final String REV = "rev";
    static final String OWNER_ID = "ownerId";
    static final String OWNER_ENDPOINT = "ownerEndpoint";
    static final String RETIRING = "retiring";

    /**
     * How long an ownership item nobody owns is kept (then TTL removes it). Its version must outlive every request
     * that read it: were it deleted at once, a request that read "no item", then got an endpoint from SNS that was
     * being retired, could recreate the item around that endpoint.
     */
    static final Duration RELEASED_OWNERSHIP_KEPT = Duration.ofDays(1);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DeviceTable(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** A strongly consistent read: registration decisions must see the latest committed write. */
    public Optional<DeviceRecord> get(String deviceId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(key(deviceId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /**
     * Replaces a device, still as {@code read}, with {@code record}, which keeps its token and endpoint (so
     * the token's ownership item is unaffected). False when someone else wrote or deleted the item since.
     */
    public boolean replace(DeviceRecord record, DeviceRecord read) {
        return conditional(() -> dynamoDb.putItem(b -> {
            b.tableName(tableName).item(toItem(record));
            revCondition(read, b::conditionExpression, b::expressionAttributeNames, b::expressionAttributeValues);
        }));
    }

    /** Deletes a device if it is still as read; false when it changed or is already gone. */
    public boolean deleteIfUnchanged(DeviceRecord read) {
        return conditional(() -> dynamoDb.deleteItem(b -> {
            b.tableName(tableName).key(key(read.deviceId()));
            revCondition(read, b::conditionExpression, b::expressionAttributeNames, b::expressionAttributeValues);
        }));
    }

    /** A token's ownership item, read consistently; empty when the token has none. */
    public Optional<TokenOwner> owner(Platform platform, String tokenHash) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(TokenOwner.key(platform, tokenHash))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue retiring = item.get(RETIRING);
        return Optional.of(new TokenOwner(platform, tokenHash, stringOrNull(item, OWNER_ID),
                stringOrNull(item, OWNER_ENDPOINT), retiring == null ? Set.of() : new HashSet<>(retiring.ss()),
                Long.parseLong(item.get(VERSION).n())));
    }

    /**
     * A registration that takes (or keeps) a token with a new endpoint, as one transaction.
     *
     * @param device           the device as it will be stored
     * @param previous         the device as read, or null when it did not exist
     * @param owner            the token's ownership item as read, or null when there was none
     * @param retiring         the endpoints the ownership item will list as retiring (deleted after the write)
     * @param retiredHolder    another installation holding the token, deleted in the same write; or null
     * @param released         the ownership item of the token the device gives up (it owned it), or null
     * @param releasedRetiring what {@code released} will list as retiring
     */
    public record Claim(DeviceRecord device, DeviceRecord previous, TokenOwner owner, Set<String> retiring,
                        DeviceRecord retiredHolder, TokenOwner released, Set<String> releasedRetiring) {
    }

    /**
     * Writes a claim: the device, the token's ownership (owner, endpoint, retiring), the retired holder's removal
     * and the released token, each conditional on what was read. False when any of them changed since (a race
     * lost: read again and start over).
     */
    public boolean claim(Claim claim, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        DeviceRecord device = claim.device();
        items.add(TransactWriteItem.builder().put(put -> {
            put.tableName(tableName).item(toItem(device));
            if (claim.previous() == null) {
                put.conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", DEVICE_ID));
            } else {
                revCondition(claim.previous(), put::conditionExpression, put::expressionAttributeNames,
                        put::expressionAttributeValues);
            }
        }).build());
        Map<String, AttributeValue> owner = ownerItem(device.platform(), device.tokenHash(), device.deviceId(),
                device.endpointArn(), claim.retiring(), claim.owner() == null ? 1 : claim.owner().version() + 1);
        items.add(ownerPut(owner, claim.owner()));
        if (claim.retiredHolder() != null) {
            items.add(TransactWriteItem.builder().delete(delete -> {
                delete.tableName(tableName).key(key(claim.retiredHolder().deviceId()));
                revCondition(claim.retiredHolder(), delete::conditionExpression,
                        delete::expressionAttributeNames, delete::expressionAttributeValues);
            }).build());
        }
        if (claim.released() != null) {
            items.add(ownerPut(releasedItem(claim.released(), claim.releasedRetiring(), now), claim.released()));
        }
        return transact(items);
    }

    /**
     * Removes a device that owns its token and releases the token in one transaction: the ownership item keeps
     * no owner, lists {@code retiring} (to be deleted from SNS next) and expires a day later. False when the
     * device or the ownership changed since they were read.
     */
    public boolean removeAndRelease(DeviceRecord device, TokenOwner owner, Set<String> retiring, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(delete -> {
            delete.tableName(tableName).key(key(device.deviceId()));
            revCondition(device, delete::conditionExpression, delete::expressionAttributeNames,
                    delete::expressionAttributeValues);
        }).build());
        items.add(ownerPut(releasedItem(owner, retiring, now), owner));
        return transact(items);
    }

    /**
     * Releases a token whose owner is already gone (removed by TTL, or by a send that found its endpoint deleted):
     * conditional on the ownership being unchanged and the device still absent. False otherwise.
     */
    public boolean releaseGone(String deviceId, TokenOwner owner, Set<String> retiring, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().conditionCheck(check -> check.tableName(tableName)
                .key(key(deviceId)).conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", DEVICE_ID))).build());
        items.add(ownerPut(releasedItem(owner, retiring, now), owner));
        return transact(items);
    }

    /**
     * Forgets endpoints that were deleted from SNS: they leave the ownership item's retiring list. Needs no
     * condition: an endpoint once deleted never comes back, whatever happened to the item meanwhile.
     */
    public void forgetRetired(TokenOwner owner, Set<String> deleted) {
        if (deleted.isEmpty()) {
            return;
        }
        conditional(() -> dynamoDb.updateItem(b -> b.tableName(tableName).key(key(owner.key()))
                .updateExpression("DELETE #r :arns")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#r", RETIRING, "#id", DEVICE_ID))
                .expressionAttributeValues(Map.of(":arns", AttributeValue.fromSs(List.copyOf(deleted))))));
    }

    private Map<String, AttributeValue> ownerItem(Platform platform, String tokenHash, String ownerId,
                                                  String endpointArn, Set<String> retiring, long version) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DEVICE_ID, AttributeValue.fromS(TokenOwner.key(platform, tokenHash)));
        putIfPresent(item, OWNER_ID, ownerId);
        putIfPresent(item, OWNER_ENDPOINT, endpointArn);
        if (!retiring.isEmpty()) {
            item.put(RETIRING, AttributeValue.fromSs(List.copyOf(retiring)));
        }
        item.put(VERSION, number(version));
        return item;
    }

    /** An ownership item nobody owns; kept a day (far longer than any request) so its version outlives readers. */
    private Map<String, AttributeValue> releasedItem(TokenOwner owner, Set<String> retiring, Instant now) {
        Map<String, AttributeValue> item = ownerItem(owner.platform(), owner.tokenHash(), null, null, retiring,
                owner.version() + 1);
        item.put(EXPIRES_AT, number(now.plus(RELEASED_OWNERSHIP_KEPT).getEpochSecond()));
        return item;
    }

    private TransactWriteItem ownerPut(Map<String, AttributeValue> item, TokenOwner read) {
        return TransactWriteItem.builder().put(put -> {
            put.tableName(tableName).item(item).expressionAttributeNames(Map.of(read == null ? "#id" : "#v",
                    read == null ? DEVICE_ID : VERSION));
            if (read == null) {
                put.conditionExpression("attribute_not_exists(#id)");
            } else {
                put.conditionExpression("#v = :v").expressionAttributeValues(Map.of(":v", number(read.version())));
            }
        }).build();
    }

    /** "Still as read": the same rev, or for an item written before revs existed, still none and the same version. */
    private static void revCondition(DeviceRecord read, java.util.function.Consumer<String> condition,
                                     java.util.function.Consumer<Map<String, String>> names,
                                     java.util.function.Consumer<Map<String, AttributeValue>> values) {
        if (read.rev() == null) {
            condition.accept("attribute_not_exists(#rev) AND #v = :v");
            names.accept(Map.of("#rev", REV, "#v", VERSION));
            values.accept(Map.of(":v", number(read.version())));
        } else {
            condition.accept("#rev = :rev");
            names.accept(Map.of("#rev", REV));
            values.accept(Map.of(":rev", AttributeValue.fromS(read.rev())));
        }
    }

    /** Runs a transaction; false when it was cancelled because a condition failed or another write overlapped. */
    private boolean transact(List<TransactWriteItem> items) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            boolean lostRace = e.hasCancellationReasons() && e.cancellationReasons().stream()
                    .map(CancellationReason::code)
                    .allMatch(code -> code == null || "None".equals(code) || "ConditionalCheckFailed".equals(code)
                            || "TransactionConflict".equals(code));
            if (!lostRace) {
                throw e;
            }
            return false;
        } catch (TransactionConflictException e) {
            return false;
        }
    }

    /** Deletes a device if it still points at the endpoint; false when it re-registered elsewhere or is gone. */
    public boolean deleteIfEndpoint(String deviceId, String endpointArn) {
        return conditional(() -> dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(deviceId))
                .conditionExpression("#e = :e")
                .expressionAttributeNames(Map.of("#e", ENDPOINT_ARN))
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(endpointArn)))));
    }

    /**
     * Marks a device disabled and takes it out of the geo index, if it still points at the endpoint and is
     * enabled; false otherwise. Renews the rev so an in-flight registration that read the enabled item re-reads
     * instead of overwriting this.
     */
    public boolean markDisabled(String deviceId, String endpointArn, Instant now) {
        return conditional(() -> dynamoDb.updateItem(b -> b.tableName(tableName).key(key(deviceId))
                .updateExpression("SET #en = :false, #u = :now, #rev = :rev ADD #v :one REMOVE #cell")
                .conditionExpression("#e = :e AND #en = :true")
                .expressionAttributeNames(Map.of("#en", ENABLED, "#u", UPDATED_AT, "#v", VERSION,
                        "#cell", GEO_CELL, "#e", ENDPOINT_ARN, "#rev", REV))
                .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false),
                        ":true", AttributeValue.fromBool(true), ":now", AttributeValue.fromS(now.toString()),
                        ":one", number(1), ":e", AttributeValue.fromS(endpointArn),
                        ":rev", AttributeValue.fromS(DeviceRecord.newRev())))));
    }

    /** Ids of devices pointing at an endpoint. */
    public List<String> findByEndpoint(String endpointArn) {
        List<String> ids = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(tableName).indexName(BY_ENDPOINT)
                .keyConditionExpression("#e = :e")
                .expressionAttributeNames(Map.of("#e", ENDPOINT_ARN))
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(endpointArn))).build(),
                item -> ids.add(item.get(DEVICE_ID).s()));
        return ids;
    }

    /**
     * One page of the geo index under {@code cellKey}, narrowed to sort keys starting with {@code prefix} when
     * not null.
     */
    public GeoPage queryCell(String cellKey, String prefix, Map<String, AttributeValue> startKey, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#c", GEO_CELL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":c", AttributeValue.fromS(cellKey)));
        String condition = "#c = :c";
        if (prefix != null) {
            condition += " AND begins_with(#g, :p)";
            names.put("#g", GEOHASH);
            values.put(":p", AttributeValue.fromS(prefix));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(tableName).indexName(BY_GEO_CELL)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(limit);
        if (startKey != null && !startKey.isEmpty()) {
            request.exclusiveStartKey(startKey);
        }
        QueryResponse response = dynamoDb.query(request.build());
        List<GeoDevice> devices = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            devices.add(new GeoDevice(item.get(DEVICE_ID).s(), item.get(ENDPOINT_ARN).s(),
                    Platform.valueOf(item.get(PLATFORM).s()), Double.parseDouble(item.get(LAT).n()),
                    Double.parseDouble(item.get(LON).n())));
        }
        Map<String, AttributeValue> last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null;
        return new GeoPage(devices, last);
    }

    private void queryAll(QueryRequest request, java.util.function.Consumer<Map<String, AttributeValue>> sink) {
        for (QueryResponse page : dynamoDb.queryPaginator(request)) {
            page.items().forEach(sink);
        }
    }

    private static boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException | TransactionConflictException e) {
            // TransactionConflict: the item is inside another request's transaction right now; a lost race too.
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String deviceId) {
        return Map.of(DEVICE_ID, AttributeValue.fromS(deviceId));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> toItem(DeviceRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DEVICE_ID, AttributeValue.fromS(record.deviceId()));
        item.put(PLATFORM, AttributeValue.fromS(record.platform().name()));
        item.put(TOKEN, AttributeValue.fromS(record.token()));
        item.put(TOKEN_HASH, AttributeValue.fromS(record.tokenHash()));
        item.put(ENDPOINT_ARN, AttributeValue.fromS(record.endpointArn()));
        item.put(ENABLED, AttributeValue.fromBool(record.enabled()));
        putIfPresent(item, USER_ID, record.userId());
        putIfPresent(item, LOCALE, record.locale());
        putIfPresent(item, APP_VERSION, record.appVersion());
        if (record.location() != null) {
            item.put(LAT, AttributeValue.fromN(Double.toString(record.location().lat())));
            item.put(LON, AttributeValue.fromN(Double.toString(record.location().lon())));
            item.put(GEOHASH, AttributeValue.fromS(record.geohash()));
        }
        putIfPresent(item, GEO_CELL, record.geoCell());
        item.put(CREATED_AT, AttributeValue.fromS(record.createdAt().toString()));
        item.put(UPDATED_AT, AttributeValue.fromS(record.updatedAt().toString()));
        item.put(EXPIRES_AT, number(record.expiresAt()));
        item.put(VERSION, number(record.version()));
        item.put(REV, AttributeValue.fromS(record.rev()));
        return item;
    }

    static DeviceRecord fromItem(Map<String, AttributeValue> item) {
        DeviceRegistration.Location location = item.containsKey(LAT) && item.containsKey(LON)
                ? new DeviceRegistration.Location(Double.parseDouble(item.get(LAT).n()),
                        Double.parseDouble(item.get(LON).n()))
                : null;
        return new DeviceRecord(
                item.get(DEVICE_ID).s(),
                Platform.valueOf(item.get(PLATFORM).s()),
                item.get(TOKEN).s(),
                item.get(ENDPOINT_ARN).s(),
                Boolean.TRUE.equals(item.get(ENABLED).bool()),
                stringOrNull(item, USER_ID),
                location,
                stringOrNull(item, LOCALE),
                stringOrNull(item, APP_VERSION),
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()),
                Long.parseLong(item.get(EXPIRES_AT).n()),
                Long.parseLong(item.get(VERSION).n()),
                stringOrNull(item, REV));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String stringOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A device as the geo index returns it: what a send needs and nothing more. */
    public record GeoDevice(String deviceId, String endpointArn, Platform platform, double lat, double lon) {
    }

    /** One page of a geo index read; {@code lastKey} is null on the last page. */
    public record GeoPage(List<GeoDevice> devices, Map<String, AttributeValue> lastKey) {
    }
}
