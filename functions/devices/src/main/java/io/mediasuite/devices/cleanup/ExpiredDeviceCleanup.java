package io.mediasuite.devices.cleanup;

import io.mediasuite.common.Log;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import io.mediasuite.devices.registration.TokenOwner;
import io.mediasuite.devices.registration.TokenOwnership;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Deletes the SNS endpoint of a device the devices table's TTL removed, so an installation that stopped
 * registering leaves nothing behind.
 *
 * <p>Only TTL removals of device items are acted on (the event source's filter already keeps only TTL removals;
 * this is checked again so an application delete, which removes its endpoint itself, is never doubled), and only
 * endpoints of the stack's own platform applications are deleted. The endpoint goes the way every endpoint goes
 * ({@link TokenOwnership#releaseGone}): the expired device's token is released only if the device still owns it,
 * and its endpoint is deleted through the ownership item's retiring list. So an installation that took the token
 * over before this ran (a reinstall, possibly reusing the endpoint) keeps it: the takeover already retired what
 * it replaced. A device written before ownership items existed has none: its endpoint is deleted unless a live
 * device still points at it. Every step is idempotent, so a retried record is harmless.
 */
public final class ExpiredDeviceCleanup {

    private final DynamoDbClient dynamoDb;
    private final String devicesTable;
    private final PlatformApplications applications;
    private final DeviceTable table;
    private final PlatformEndpoints endpoints;
    private final TokenOwnership ownership;

    public ExpiredDeviceCleanup(SnsClient sns, DynamoDbClient dynamoDb, String devicesTable,
                                PlatformApplications applications) {
        this.dynamoDb = dynamoDb;
        this.devicesTable = devicesTable;
        this.applications = applications;
        this.table = new DeviceTable(dynamoDb, devicesTable);
        this.endpoints = new PlatformEndpoints(sns, applications);
        this.ownership = new TokenOwnership(table, endpoints, Clock.systemUTC());
    }

    /**
     * Installation ids as the device API accepts them. Items of the table under other keys are not devices (no
     * '#' ever appears in a device id, so keys such as {@code token#...} can share the table) and are left alone.
     */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    /** What became of one record. */
    public enum Outcome { DELETED, KEPT_IN_USE, KEPT_TAKEN_OVER, SKIPPED }

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
        DeviceRecord device = removal.device();
        if (device != null) {
            if (ownership.releaseGone(device)) {
                Log.info("token of an expired device released, its endpoint deleted", "deviceId", removal.deviceId());
                return Outcome.DELETED;
            }
            Optional<TokenOwner> owner = table.owner(device.platform(), device.tokenHash());
            if (owner.isPresent()) {
                if (owner.get().retiring().contains(device.endpointArn())) {
                    // Released by an earlier delivery of this record that failed before the endpoint was deleted.
                    ownership.deleteRetired(owner.get(), Set.of(device.endpointArn()));
                    return Outcome.DELETED;
                }
                // Owned by another installation, or released with its endpoint deleted already: whoever changed
                // the ownership retired this endpoint unless it kept using it.
                Log.info("token of an expired device taken over or released already", "deviceId", removal.deviceId());
                return Outcome.KEPT_TAKEN_OVER;
            }
        }
        if (stillInUse(removal.endpointArn())) {
            Log.info("endpoint of an expired device still in use", "deviceId", removal.deviceId());
            return Outcome.KEPT_IN_USE;
        }
        endpoints.delete(removal.endpointArn());
        Log.info("endpoint of an expired device deleted", "deviceId", removal.deviceId());
        return Outcome.DELETED;
    }

    private boolean stillInUse(String endpointArn) {
        return dynamoDb.query(b -> b.tableName(devicesTable).indexName(DeviceTable.BY_ENDPOINT)
                .keyConditionExpression("#arn = :arn").expressionAttributeNames(Map.of("#arn", "endpointArn"))
                .expressionAttributeValues(Map.of(":arn", AttributeValue.fromS(endpointArn))).limit(1)).count() > 0;
    }
}
