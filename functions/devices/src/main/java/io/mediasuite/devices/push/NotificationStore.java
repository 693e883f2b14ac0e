package io.mediasuite.devices.push;

import io.mediasuite.devices.registration.Platform;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The notifications table (template.yaml {@code NotificationsTable}, key {@code id}): one item per send with
 * its request summary and live counters, plus one small marker item per finished task
 * ({@code <notificationId>/<taskId>}). Both expire through TTL.
 *
 * <p>A worker finishing a task writes its marker and ADDs its counts in one transaction conditioned on the
 * marker being new, so an SQS redelivery of a finished task is counted once. Counters use ADD, so parallel
 * workers never lose each other's updates.
 */
public final class NotificationStore {

    static final String ID = "id";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String REQUESTED_BY = "requestedBy";
    static final String LAT = "lat";
    static final String LON = "lon";
    static final String RADIUS_KM = "radiusKm";
    static final String PLATFORMS = "platforms";
    static final String TITLE = "title";
    static final String TASKS_TOTAL = "tasksTotal";
    static final String TASKS_DONE = "tasksDone";
    static final String ENQUEUE_FAILED = "enqueueFailed";
    static final List<String> COUNTERS = List.of("matched", "sent", "disabled", "removed", "failed");

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public NotificationStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** A send as stored. */
    public record Notification(String id, Instant createdAt, long expiresAt, String requestedBy, double lat,
                               double lon, double radiusKm, Set<Platform> platforms, String title, long tasksTotal,
                               long tasksDone, PushCounts counts, boolean enqueueFailed) {
    }

    public void create(Notification notification) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(notification.id()));
        item.put(CREATED_AT, s(notification.createdAt().toString()));
        item.put(EXPIRES_AT, n(notification.expiresAt()));
        if (notification.requestedBy() != null) {
            item.put(REQUESTED_BY, s(notification.requestedBy()));
        }
        item.put(LAT, AttributeValue.fromN(Double.toString(notification.lat())));
        item.put(LON, AttributeValue.fromN(Double.toString(notification.lon())));
        item.put(RADIUS_KM, AttributeValue.fromN(Double.toString(notification.radiusKm())));
        item.put(PLATFORMS, AttributeValue.fromSs(notification.platforms().stream().map(Enum::name).toList()));
        item.put(TITLE, s(notification.title()));
        item.put(TASKS_TOTAL, n(notification.tasksTotal()));
        item.put(TASKS_DONE, n(0));
        for (String counter : COUNTERS) {
            item.put(counter, n(0));
        }
        dynamoDb.putItem(b -> b.tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", ID)));
    }

    public Optional<Notification> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(Map.of(ID, s(id)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey(TASKS_TOTAL)) {
            return Optional.empty();
        }
        Set<Platform> platforms = EnumSet.noneOf(Platform.class);
        item.get(PLATFORMS).ss().forEach(p -> platforms.add(Platform.valueOf(p)));
        return Optional.of(new Notification(id, Instant.parse(item.get(CREATED_AT).s()),
                num(item, EXPIRES_AT), item.containsKey(REQUESTED_BY) ? item.get(REQUESTED_BY).s() : null,
                Double.parseDouble(item.get(LAT).n()), Double.parseDouble(item.get(LON).n()),
                Double.parseDouble(item.get(RADIUS_KM).n()), platforms, item.get(TITLE).s(),
                num(item, TASKS_TOTAL), num(item, TASKS_DONE),
                new PushCounts(num(item, "matched"), num(item, "sent"), num(item, "disabled"),
                        num(item, "removed"), num(item, "failed")),
                item.containsKey(ENQUEUE_FAILED) && Boolean.TRUE.equals(item.get(ENQUEUE_FAILED).bool())));
    }

    /** Records that queueing the tasks failed part-way, so the send will never complete. */
    public void markEnqueueFailed(String id) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(Map.of(ID, s(id)))
                .updateExpression("SET #f = :t").conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#f", ENQUEUE_FAILED, "#id", ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    /** Whether a task already finished (its marker exists): a redelivered message is then skipped. */
    public boolean taskDone(String notificationId, String taskId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Map.of(ID, s(markerId(notificationId, taskId)))).projectionExpression("#id")
                .expressionAttributeNames(Map.of("#id", ID))).item();
        return item != null && !item.isEmpty();
    }

    /**
     * Adds a finished task's counts, once. {@code addedTasks} raises the task total in the same write when the
     * task handed the rest of its work to a continuation task.
     *
     * @return false when the task was already recorded, or the notification no longer exists
     */
    public boolean completeTask(String notificationId, String taskId, PushCounts counts, int addedTasks,
                                long markerExpiresAt) {
        Map<String, String> names = new HashMap<>(Map.of("#id", ID, "#done", TASKS_DONE, "#total", TASKS_TOTAL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":added", n(addedTasks)));
        long[] amounts = {counts.matched(), counts.sent(), counts.disabled(), counts.removed(), counts.failed()};
        StringBuilder update = new StringBuilder("ADD #done :one, #total :added");
        for (int i = 0; i < COUNTERS.size(); i++) {
            names.put("#c" + i, COUNTERS.get(i));
            values.put(":c" + i, n(amounts[i]));
            update.append(", #c").append(i).append(" :c").append(i);
        }
        Map<String, AttributeValue> marker = Map.of(ID, s(markerId(notificationId, taskId)),
                EXPIRES_AT, n(markerExpiresAt));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(tableName).item(marker)
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", ID))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(tableName).key(Map.of(ID, s(notificationId)))
                            .updateExpression(update.toString()).conditionExpression("attribute_exists(#id)")
                            .expressionAttributeNames(names).expressionAttributeValues(values)).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && e.cancellationReasons().stream().map(CancellationReason::code)
                    .anyMatch("ConditionalCheckFailed"::equals)) {
                return false;
            }
            throw e;
        }
    }

    static String markerId(String notificationId, String taskId) {
        return notificationId + "/" + taskId;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
