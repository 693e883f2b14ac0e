package io.mediasuite.devices.cleanup;

import io.mediasuite.common.Log;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.PlatformApplications;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Deletes the SNS endpoint of a device the devices table's TTL removed, so an installation that stopped
 * registering leaves nothing behind.
 *
 * <p>Only TTL removals of device items are acted on (the event source's filter already keeps only TTL removals;
 * this is checked again so an application delete, which removes its endpoint itself, is never doubled), only
 * endpoints of the stack's own platform applications are deleted, and an endpoint is kept when a live device still
 * points at it (its token moved to an installation that reused the same endpoint). DeleteEndpoint is idempotent,
 * so a retried record is harmless.
 */
public final class ExpiredDeviceCleanup {

    private final SnsClient sns;
    private final DynamoDbClient dynamoDb;
    private final String devicesTable;
    private final PlatformApplications applications;

    public ExpiredDeviceCleanup(SnsClient sns, DynamoDbClient dynamoDb, String devicesTable,
                                PlatformApplications applications) {
        this.sns = sns;
        this.dynamoDb = dynamoDb;
        this.devicesTable = devicesTable;
        this.applications = applications;
    }

    /**
     * Installation ids as the device API accepts them. Items of the table under other keys are not devices (no
     * '#' ever appears in a device id, so keys such as {@code token#...} can share the table) and are left alone.
     */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    /** What became of one record. */
    public enum Outcome { DELETED, KEPT_IN_USE, SKIPPED }

    /** Acts on one stream record; throws when SNS or DynamoDB fail (the record is then retried). */
    public Outcome apply(TtlRemoval removal) {
        if (!removal.byTtl() || removal.endpointArn() == null || removal.deviceId() == null
                || !DEVICE_ID.matcher(removal.deviceId()).matches()) {
            return Outcome.SKIPPED;
        }
        if (applications.platformOf(removal.endpointArn()).isEmpty()) {
            Log.warn("expired device with a foreign endpoint left alone", "deviceId", removal.deviceId());
            return Outcome.SKIPPED;
        }
        if (stillInUse(removal.endpointArn())) {
            Log.info("endpoint of an expired device still in use", "deviceId", removal.deviceId());
            return Outcome.KEPT_IN_USE;
        }
        try {
            sns.deleteEndpoint(b -> b.endpointArn(removal.endpointArn()));
        } catch (NotFoundException e) {
            // Already gone (SNS answers success for that in AWS; some emulators do not): the goal is met.
        }
        Log.info("endpoint of an expired device deleted", "deviceId", removal.deviceId());
        return Outcome.DELETED;
    }

    private boolean stillInUse(String endpointArn) {
        return dynamoDb.query(b -> b.tableName(devicesTable).indexName(DeviceTable.BY_ENDPOINT)
                .keyConditionExpression("#arn = :arn").expressionAttributeNames(Map.of("#arn", "endpointArn"))
                .expressionAttributeValues(Map.of(":arn", AttributeValue.fromS(endpointArn))).limit(1)).count() > 0;
    }
}
