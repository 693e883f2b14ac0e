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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The notifications table (template.yaml {@code NotificationsTable}, key {@code id}): one item per send with
 * its request summary, planning cursor and live counters, plus one small item per task
 * ({@code <notificationId>/<taskId>}) that claims it, then records how it ended. Everything expires through TTL.
 *
 * <p>Every counter moves exactly once per step: the planner raises {@code tasksTotal} in the write that moves
 * the planning cursor (conditioned on the cursor it read), and a task adds its counts in the transaction that
 * moves its own item from RUNNING to DONE or FAILED. Counters use ADD, so parallel workers never lose each
 * other's updates.
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
    static final String TASKS_FAILED = "tasksFailed";
    static final String PLAN_CURSOR = "planCursor";
    static final String PLAN_SIZE = "planSize";
    static final String PLAN_FAILED = "planFailed";
    static final String LEGACY_ENQUEUE_FAILED = "enqueueFailed";
    static final String STATE = "state";
    static final String OWNER = "owner";
    static final String LEASE_UNTIL = "leaseUntil";
    static final List<String> COUNTERS = List.of("matched", "sent", "disabled", "removed", "failed");

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public NotificationStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * A send as stored.
     *
     * @param planCursor tasks of the plan queued so far
     * @param planSize   tasks the whole plan holds, -1 until the first planning step ran
     */
    public record Notification(String id, Instant createdAt, long expiresAt, String requestedBy, double lat,
                               double lon, double radiusKm, Set<Platform> platforms, String title, long tasksTotal,
                               long tasksDone, long tasksFailed, long planCursor, long planSize, boolean planFailed,
                               PushCounts counts) {

        /** Every task of the plan is queued. */
        public boolean planned() {
            return planSize >= 0 && planCursor >= planSize;
        }
    }

    /** How a claim on a task ended. */
    public enum Claim {
        /** The caller holds the task until its lease ends. */
        CLAIMED,
        /** The task already ended (DONE or FAILED): a redelivery or a duplicate. */
        ENDED,
        /** Another delivery holds a live lease: a duplicate message running in parallel. */
        HELD
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
        item.put(TASKS_TOTAL, n(0));
        item.put(TASKS_DONE, n(0));
        item.put(TASKS_FAILED, n(0));
        item.put(PLAN_CURSOR, n(0));
        item.put(PLAN_SIZE, n(-1));
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
                num(item, TASKS_TOTAL), num(item, TASKS_DONE), num(item, TASKS_FAILED),
                // Sends accepted before planning moved to the worker were planned whole by the API.
                num(item, item.containsKey(PLAN_CURSOR) ? PLAN_CURSOR : TASKS_TOTAL),
                num(item, item.containsKey(PLAN_SIZE) ? PLAN_SIZE : TASKS_TOTAL),
                flag(item, PLAN_FAILED) || flag(item, LEGACY_ENQUEUE_FAILED),
                new PushCounts(num(item, "matched"), num(item, "sent"), num(item, "disabled"),
                        num(item, "removed"), num(item, "failed"))));
    }

    /** Records that the send could not be planned (or its first step not queued): it ends FAILED. */
    public void markPlanFailed(String id) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(Map.of(ID, s(id)))
                .updateExpression("SET #f = :t").conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#f", PLAN_FAILED, "#id", ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    /**
     * Moves the planning cursor from {@code cursor} to {@code next} and adds the {@code next - cursor} tasks just
     * queued to the total, once.
     *
     * @return false when the cursor was no longer at {@code cursor} (a redelivered step already recorded)
     */
    public boolean recordPlanned(String id, long cursor, long next, long planSize) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(Map.of(ID, s(id)))
                    .updateExpression("SET #cursor = :next, #size = :size ADD #total :added")
                    .conditionExpression("#cursor = :cursor")
                    .expressionAttributeNames(Map.of("#cursor", PLAN_CURSOR, "#size", PLAN_SIZE, "#total", TASKS_TOTAL))
                    .expressionAttributeValues(Map.of(":next", n(next), ":size", n(planSize),
                            ":added", n(next - cursor), ":cursor", n(cursor))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Claims a task for one delivery: creates its item RUNNING with {@code owner} and a lease, or takes over a
     * RUNNING one whose lease ended (its worker died). A task is therefore run by one delivery at a time, however
     * many copies of its message the queue holds.
     */
    public Claim claimTask(String notificationId, String taskId, String owner, Instant now, Instant leaseUntil,
                           long expiresAt) {
        Map<String, AttributeValue> item = Map.of(ID, s(markerId(notificationId, taskId)), STATE, s("RUNNING"),
                OWNER, s(owner), LEASE_UNTIL, n(leaseUntil.toEpochMilli()), EXPIRES_AT, n(expiresAt));
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#id) OR (#state = :running AND #lease < :now)")
                    .expressionAttributeNames(Map.of("#id", ID, "#state", STATE, "#lease", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":running", s("RUNNING"), ":now", n(now.toEpochMilli()))));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                    .key(Map.of(ID, s(markerId(notificationId, taskId))))).item();
            boolean running = current != null && current.containsKey(STATE) && "RUNNING".equals(current.get(STATE).s());
            return running ? Claim.HELD : Claim.ENDED;
        }
    }

    /**
     * Gives a claim back after its delivery failed, so the message's next delivery can claim the task at once
     * instead of waiting for the lease to run out. Only this owner's RUNNING claim is removed.
     */
    public void releaseTask(String notificationId, String taskId, String owner) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName).key(Map.of(ID, s(markerId(notificationId, taskId))))
                    .conditionExpression("#state = :running AND #owner = :owner")
                    .expressionAttributeNames(Map.of("#state", STATE, "#owner", OWNER))
                    .expressionAttributeValues(Map.of(":running", s("RUNNING"), ":owner", s(owner))));
        } catch (ConditionalCheckFailedException e) {
            // Already taken over or ended: nothing of ours to give back.
        }
    }

    /**
     * Ends a claimed task DONE and adds its counts, once. {@code addedTasks} raises the task total in the same
     * write when the task handed the rest of its work to a continuation task.
     *
     * @return false when this delivery no longer owns the task (its lease ran out and another took it over), or
     *         the notification no longer exists
     */
    public boolean completeTask(String notificationId, String taskId, String owner, PushCounts counts,
                                int addedTasks) {
        Map<String, String> names = new HashMap<>(Map.of("#id", ID, "#done", TASKS_DONE, "#total", TASKS_TOTAL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":added", n(addedTasks)));
        long[] amounts = {counts.matched(), counts.sent(), counts.disabled(), counts.removed(), counts.failed()};
        StringBuilder update = new StringBuilder("ADD #done :one, #total :added");
        for (int i = 0; i < COUNTERS.size(); i++) {
            names.put("#c" + i, COUNTERS.get(i));
            values.put(":c" + i, n(amounts[i]));
            update.append(", #c").append(i).append(" :c").append(i);
        }
        return transact(taskEnd(notificationId, taskId, "DONE", "#state = :running AND #owner = :owner", owner),
                TransactWriteItem.builder().update(u -> u.tableName(tableName).key(Map.of(ID, s(notificationId)))
                        .updateExpression(update.toString()).conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(names).expressionAttributeValues(values)).build());
    }

    /**
     * Ends a task FAILED (its message is on its last delivery and goes to the dead-letter queue) and counts it,
     * once, whoever held it: a task that never ends would keep the send from ever being final.
     *
     * @return false when the task had already ended
     */
    public boolean failTask(String notificationId, String taskId, long expiresAt) {
        TransactWriteItem end = TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of(ID, s(markerId(notificationId, taskId))))
                .updateExpression("SET #state = :failed, #expires = :expires")
                .conditionExpression("attribute_not_exists(#id) OR #state = :running")
                .expressionAttributeNames(Map.of("#id", ID, "#state", STATE, "#expires", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":failed", s("FAILED"), ":running", s("RUNNING"),
                        ":expires", n(expiresAt)))).build();
        return transact(end, TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of(ID, s(notificationId))).updateExpression("ADD #failed :one")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID, "#failed", TASKS_FAILED))
                .expressionAttributeValues(Map.of(":one", n(1)))).build());
    }

    private TransactWriteItem taskEnd(String notificationId, String taskId, String state, String condition,
                                      String owner) {
        return TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of(ID, s(markerId(notificationId, taskId))))
                .updateExpression("SET #state = :end REMOVE #lease").conditionExpression(condition)
                .expressionAttributeNames(Map.of("#state", STATE, "#owner", OWNER, "#lease", LEASE_UNTIL))
                .expressionAttributeValues(Map.of(":end", s(state), ":running", s("RUNNING"), ":owner", s(owner))))
                .build();
    }

    private boolean transact(TransactWriteItem first, TransactWriteItem second) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(first, second));
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

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) && Boolean.TRUE.equals(item.get(name).bool());
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
