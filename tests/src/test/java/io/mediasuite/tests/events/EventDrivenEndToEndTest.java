package io.mediasuite.tests.events;

import static io.mediasuite.tests.events.SuiteClient.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.LocalSuite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event-driven half of the suite, end to end through {@link LocalSuite} with its event sources: a geo send
 * travels API -> NotificationApiFunction -> PushQueue -> PushWorkerFunction (the SQS event source mapping) -> SNS
 * platform endpoints in moto, and an endpoint event published to the feedback topic reaches
 * EndpointFeedbackFunction through its SNS subscription. Nothing here calls a handler directly.
 */
class EventDrivenEndToEndTest {

    /** Reykjavik: no other test registers devices near it. */
    private static final double LAT = 64.1466;
    private static final double LON = -21.9426;

    /** Trials per race: enough to see the races of the devices issue (more than half of the trials failed). */
    private static final int TRIALS = 12;

    private static LocalSuite suite;
    private static SuiteClient client;

    @BeforeAll
    static void startSuite() {
        suite = LocalSuite.start(EventStack.cloud(), (Path) null, "127.0.0.1", 0, 0);
        client = new SuiteClient(suite);
    }

    @AfterAll
    static void stopSuite() {
        client.close();
        suite.close();
    }

    @Test
    void geoSend_shouldReachExactlyTheDevicesInTheRadius_whenThePushWorkerConsumesTheQueue() throws Exception {
        // given: three devices within 4 km on the requested platforms, one within the radius on another platform,
        // two outside the radius (33 km and 167 km away)
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> inside = new LinkedHashMap<>();
        inside.put(register("geo-in-1-" + run, "APNS", LAT + 0.01, LON), "APNS");
        inside.put(register("geo-in-2-" + run, "FCM", LAT + 0.03, LON + 0.02), "FCM");
        inside.put(register("geo-in-3-" + run, "APNS", LAT - 0.02, LON + 0.05), "APNS");
        List<String> outside = List.of(register("geo-sandbox-" + run, "APNS_SANDBOX", LAT, LON + 0.01),
                register("geo-out-1-" + run, "FCM", LAT + 0.3, LON),
                register("geo-out-2-" + run, "APNS", LAT + 1.5, LON));

        // when
        SuiteClient.Answer accepted = client.call("POST", "/notifications", "{\"near\":{\"lat\":" + LAT + ",\"lon\":" + LON
                + ",\"radiusKm\":10},\"message\":{\"title\":\"Aurora tonight\",\"body\":\"Look north after 22:00\"},"
                + "\"platforms\":[\"APNS\",\"FCM\"]}");
        assertEquals(202, accepted.status(), accepted.raw());
        String id = accepted.json().path("notificationId").asText();
        JsonNode[] status = new JsonNode[1];
        waitFor("the send to complete", () -> {
            status[0] = get("/notifications/" + id).json();
            return "COMPLETED".equals(status[0].path("status").asText());
        }, Duration.ofSeconds(90));

        // then: moto holds one message for each device inside, none for the others
        Map<String, List<String>> inboxes = client.endpointMessages();
        for (String endpoint : inside.keySet()) {
            assertEquals(1, inboxes.getOrDefault(endpoint, List.of()).size(), "inside the radius: " + endpoint);
            assertTrue(inboxes.get(endpoint).getFirst().contains("Aurora tonight"), inboxes.get(endpoint).toString());
        }
        for (String endpoint : outside) {
            assertEquals(List.of(), inboxes.getOrDefault(endpoint, List.of()), "outside the send: " + endpoint);
        }
        JsonNode counts = status[0].path("counts");
        assertEquals(3, counts.path("matched").asInt(), status[0].toString());
        assertEquals(3, counts.path("sent").asInt(), status[0].toString());
        assertEquals(0, counts.path("failed").asInt(), status[0].toString());
    }

    @Test
    void endpointDeleted_shouldRemoveTheDevice_whenPublishedToTheFeedbackTopic() throws Exception {
        // given
        String run = UUID.randomUUID().toString().substring(0, 8);
        String deleted = "feedback-del-" + run;
        String disabled = "feedback-dis-" + run;
        String deletedEndpoint = register(deleted, "APNS", LAT, LON);
        String disabledEndpoint = register(disabled, "FCM", LAT, LON);
        String topic = suite.cloud().physicalId("EndpointEventsTopic");

        // when: SNS reports one endpoint deleted, and a delivery failure on one the push service disabled
        client.sns.publish(b -> b.topicArn(topic).message(endpointEvent("EndpointDeleted", deletedEndpoint)));
        client.sns.setEndpointAttributes(b -> b.endpointArn(disabledEndpoint).attributes(Map.of("Enabled", "false")));
        client.sns.publish(b -> b.topicArn(topic).message(endpointEvent("DeliveryFailure", disabledEndpoint)));

        // then
        waitFor("the deleted endpoint's device to go", () -> get("/devices/" + deleted).status() == 404,
                Duration.ofSeconds(60));
        waitFor("the disabled endpoint's device to be disabled",
                () -> !get("/devices/" + disabled).json().path("enabled").asBoolean(true), Duration.ofSeconds(60));
    }

    @Test
    void concurrentRegistrations_shouldLeaveOneOwnerAndOneEndpointPerToken_whenTwoInstallationsRegisterOneToken()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int trial = 0; trial < TRIALS; trial++) {
            // given: a reinstall, the old and the new installation registering the same token at once
            String token = token("FCM");
            String first = "race-a-" + run + "-" + trial;
            String second = "race-b-" + run + "-" + trial;

            // when
            List<SuiteClient.Answer> answers = Races.together(
                    () -> client.register(first, "FCM", token, LAT, LON),
                    () -> client.register(second, "FCM", token, LAT, LON));

            // then
            answers.forEach(a -> assertTrue(a.status() == 200 || a.status() == 201, a.raw()));
            Races.assertInvariants(client, suite, "trial " + trial, List.of(first, second), List.of(token));
        }
        assertTrue(suite.pool("DeviceApiFunction").instancesStarted() >= 2, "the races ran in two instances");
    }

    @Test
    void concurrentRegistrations_shouldLeaveNoOrphanedEndpoint_whenOneInstallationRegistersTwoTokens()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int trial = 0; trial < TRIALS; trial++) {
            // given: a first registration racing a token refresh of the same installation
            String device = "refresh-" + run + "-" + trial;
            String oldToken = token("APNS");
            String newToken = token("APNS");

            // when
            List<SuiteClient.Answer> answers = Races.together(
                    () -> client.register(device, "APNS", oldToken, LAT, LON),
                    () -> client.register(device, "APNS", newToken, LAT, LON));

            // then
            answers.forEach(a -> assertTrue(a.status() == 200 || a.status() == 201, a.raw()));
            Races.assertInvariants(client, suite, "trial " + trial, List.of(device), List.of(oldToken, newToken));
        }
        assertTrue(suite.pool("DeviceApiFunction").instancesStarted() >= 2, "the races ran in two instances");
    }

    private static String endpointEvent(String type, String endpointArn) {
        return "{\"EventType\":\"" + type + "\",\"EndpointArn\":\"" + endpointArn + "\",\"FailureType\":\"EndpointDisabled\","
                + "\"Resource\":\"" + endpointArn.replace(":endpoint/", ":app/").replaceAll("/[^/]+$", "")
                + "\",\"Service\":\"SNS\",\"Time\":\"2026-12-01T00:00:00.000Z\"}";
    }

    /** Registers a device with a fresh token; returns its endpoint ARN. */
    private static String register(String deviceId, String platform, double lat, double lon) throws Exception {
        SuiteClient.Answer answer = client.register(deviceId, platform, token(platform), lat, lon);
        assertEquals(201, answer.status(), answer.raw());
        return answer.json().path("endpointArn").asText();
    }

    static String token(String platform) {
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        String hex = HexFormat.of().formatHex(random);
        return platform.equals("FCM") ? "fcm-" + hex + ":" + hex + hex.substring(0, 36) : hex;
    }

    private static SuiteClient.Answer get(String path) {
        try {
            return client.call("GET", path, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
