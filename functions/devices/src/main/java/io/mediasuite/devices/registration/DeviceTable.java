package io.mediasuite.devices.registration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The devices table (template.yaml {@code DevicesTable}): one item per installation, keyed by {@code deviceId},
 * with three sparse-or-small indexes:
 *
 * <ul>
 *   <li>{@value #BY_TOKEN} on {@code tokenHash} (projects {@code endpointArn}): finds the other installation that
 *       still holds a token which just moved, so it can be retired.</li>
 *   <li>{@value #BY_ENDPOINT} on {@code endpointArn} (keys only): maps SNS endpoint events back to devices.</li>
 *   <li>{@value #BY_GEO_CELL} on {@code geoCell} + {@code geohash} (projects what a send needs): radius
 *       queries, see {@link io.mediasuite.devices.geo.GeoIndex}. Only enabled, located devices have a
 *       {@code geoCell}.</li>
 * </ul>
 *
 * Every write is conditional: on absence for a new device, on the version read for an update, and on the
 * endpoint ARN for feedback-driven changes, so no read-then-write race can overwrite a newer registration.
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
     * Writes a new device.
     *
     * @throws ConditionalCheckFailedException when the device already exists (another request created it first)
     */
    public void insert(DeviceRecord record) {
        dynamoDb.putItem(b -> b.tableName(tableName).item(toItem(record))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", DEVICE_ID)));
    }

    /**
     * Replaces a device read at {@code expectedVersion}; {@code record} carries the next version.
     *
     * @throws ConditionalCheckFailedException when someone else wrote the item since it was read
     */
    public void replace(DeviceRecord record, long expectedVersion) {
        dynamoDb.putItem(b -> b.tableName(tableName).item(toItem(record))
                .conditionExpression("#v = :expected")
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":expected", number(expectedVersion))));
    }

    /** Deletes a device if it is still at {@code version}; false when it changed or is already gone. */
    public boolean deleteIfVersion(String deviceId, long version) {
        return conditional(() -> dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(deviceId))
                .conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":v", number(version)))));
    }

    /** Deletes a device if it still holds the token; false when it moved on or is gone. */
    public boolean deleteIfToken(String deviceId, String tokenHash) {
        return conditional(() -> dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(deviceId))
                .conditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", TOKEN_HASH))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(tokenHash)))));
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
     * enabled; false otherwise. Bumps the version so an in-flight registration that read the enabled item
     * re-reads instead of overwriting this.
     */
    public boolean markDisabled(String deviceId, String endpointArn, Instant now) {
        return conditional(() -> dynamoDb.updateItem(b -> b.tableName(tableName).key(key(deviceId))
                .updateExpression("SET #en = :false, #u = :now ADD #v :one REMOVE #cell")
                .conditionExpression("#e = :e AND #en = :true")
                .expressionAttributeNames(Map.of("#en", ENABLED, "#u", UPDATED_AT, "#v", VERSION,
                        "#cell", GEO_CELL, "#e", ENDPOINT_ARN))
                .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false),
                        ":true", AttributeValue.fromBool(true), ":now", AttributeValue.fromS(now.toString()),
                        ":one", number(1), ":e", AttributeValue.fromS(endpointArn)))));
    }

    /** Devices (other than none) whose stored token hashes to {@code tokenHash}, with their endpoint ARNs. */
    public List<TokenHolder> findByToken(String tokenHash) {
        List<TokenHolder> holders = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(tableName).indexName(BY_TOKEN)
                .keyConditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", TOKEN_HASH))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(tokenHash))).build(),
                item -> holders.add(new TokenHolder(item.get(DEVICE_ID).s(), stringOrNull(item, ENDPOINT_ARN))));
        return holders;
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
        } catch (ConditionalCheckFailedException e) {
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
                Long.parseLong(item.get(VERSION).n()));
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

    /** A device holding a token, as the token index returns it. */
    public record TokenHolder(String deviceId, String endpointArn) {
    }

    /** A device as the geo index returns it: what a send needs and nothing more. */
    public record GeoDevice(String deviceId, String endpointArn, Platform platform, double lat, double lon) {
    }

    /** One page of a geo index read; {@code lastKey} is null on the last page. */
    public record GeoPage(List<GeoDevice> devices, Map<String, AttributeValue> lastKey) {
    }
}
