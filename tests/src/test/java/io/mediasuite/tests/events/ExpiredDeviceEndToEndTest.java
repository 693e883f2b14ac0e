package io.mediasuite.tests.events;

import static io.mediasuite.tests.events.SuiteClient.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.devices.registration.Platform;
import io.mediasuite.devices.registration.TokenOwner;
import io.mediasuite.local.LocalSuite;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Nothing left behind, end to end through {@link LocalSuite} and its event sources: a device registered through
 * the device API expires (its {@code expiresAt} moved into the past), the runner's TTL sweep of the devices table
 * deletes it and its stream record carries the TTL service's identity, the table's stream mapping with the
 * template's TTL-removal filter invokes ExpiredDeviceCleanupFunction, which releases the token and deletes the SNS
 * endpoint from moto. A device deleted by hand (not by the TTL) keeps its endpoint: the filter never lets that
 * removal through.
 */
class ExpiredDeviceEndToEndTest {

    /** The sweep interval (5 s) plus the mapping's batching window (10 s), with room for a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(55);

    @Test
    void ttlRemoval_shouldDeleteTheEndpointAndReleaseTheToken_whenTheDeviceExpires() throws Exception {
        try (LocalSuite suite = LocalSuite.start(EventStack.cloud(), (Path) null, "127.0.0.1", 0, 0);
             SuiteClient client = new SuiteClient(suite)) {
            expireOneDeleteOne(client);
        }
    }

    private static void expireOneDeleteOne(SuiteClient client) throws Exception {
        // given: two registered devices; one is deleted by hand
        String table = client.suite.cloud().physicalId("DevicesTable");
        String expiring = "ttl-expiring-" + UUID.randomUUID();
        String deleted = "ttl-deleted-" + UUID.randomUUID();
        String expiringEndpoint = register(client, expiring);
        String deletedEndpoint = register(client, deleted);
        client.dynamoDb.deleteItem(b -> b.tableName(table).key(key(deleted)));

        // when: the other one's expiry is moved into the past
        Map<String, AttributeValue> item = new HashMap<>(client.dynamoDb.getItem(b -> b.tableName(table)
                .consistentRead(true).key(key(expiring))).item());
        item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(60).getEpochSecond())));
        client.dynamoDb.putItem(b -> b.tableName(table).item(item));

        // then: the device, its endpoint and its hold on the token are gone; the hand-deleted device's endpoint stays
        String ownership = TokenOwner.key(Platform.APNS, item.get("tokenHash").s());
        waitFor("the TTL sweep to remove the device", () -> !client.dynamoDb.getItem(b -> b.tableName(table)
                .consistentRead(true).key(key(expiring))).hasItem(), TIMEOUT);
        waitFor("the cleanup to delete the endpoint", () -> !endpointExists(client, expiringEndpoint), TIMEOUT);
        // The cleanup deletes a retiring endpoint first and takes it off the list after, so the endpoint can be
        // seen gone a moment before the ownership item's last write: wait for that write, then check it.
        waitFor("the cleanup to take the endpoint off the retiring list", () -> !client.dynamoDb.getItem(b -> b
                .tableName(table).consistentRead(true).key(key(ownership))).item().containsKey("retiring"), TIMEOUT);
        Map<String, AttributeValue> owner = client.dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(ownership))).item();
        assertFalse(owner.containsKey("ownerId"), "the token is released: " + owner);
        assertTrue(endpointExists(client, deletedEndpoint), "a removal not made by the TTL must not delete the endpoint");
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("deviceId", AttributeValue.fromS(id));
    }

    private static String register(SuiteClient client, String deviceId) throws Exception {
        SuiteClient.Answer answer = client.call("PUT", "/devices/" + deviceId,
                "{\"platform\":\"APNS\",\"token\":\"" + EventDrivenEndToEndTest.token("APNS") + "\"}");
        assertEquals(201, answer.status(), answer.raw());
        return answer.json().path("endpointArn").asText();
    }

    private static boolean endpointExists(SuiteClient client, String endpointArn) {
        try {
            client.sns.getEndpointAttributes(b -> b.endpointArn(endpointArn));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
