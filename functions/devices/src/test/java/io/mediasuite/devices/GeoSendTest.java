package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.fcmToken;
import static io.mediasuite.devices.LocalDevices.item;
import static io.mediasuite.devices.LocalDevices.proxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.mediasuite.devices.geo.GeoIndex;
import io.mediasuite.devices.geo.GreatCircle;
import io.mediasuite.devices.push.PlanStep;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Geo-targeted sends end to end: devices registered through the device API at known great-circle distances,
 * POST /notifications through its handler, the PushQueue drained into the push worker as Lambda's poller would,
 * and the outcome read back twice: from GET /notifications/{id} and from what moto recorded per endpoint.
 */
class GeoSendTest {

    private final DeviceApiHandler devices = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
    private final NotificationApiHandler notifications = new NotificationApiHandler(LocalDevices.NOTIFICATION_API_ENV);
    private final PushWorkerHandler worker = new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV);

    /** A registered device: id, endpoint, and its stored (coarse) position. */
    record Placed(String deviceId, String endpointArn, double lat, double lon) {
    }

    private Placed place(String platform, double lat, double lon) {
        String id = deviceId();
        String token = platform.equals("FCM") ? fcmToken() : apnsToken();
        APIGatewayProxyResponseEvent response = call(devices, deviceRequest("PUT", id, "{\"platform\":\"" + platform
                + "\",\"token\":\"" + token + "\",\"location\":{\"lat\":" + lat + ",\"lon\":" + lon + "}}"));
        assertEquals(201, response.getStatusCode(), response.getBody());
        return new Placed(id, body(response).path("endpointArn").asText(), lat, lon);
    }

    private String send(double lat, double lon, double radiusKm, String platforms) {
        String request = "{\"near\":{\"lat\":" + lat + ",\"lon\":" + lon + ",\"radiusKm\":" + radiusKm + "},"
                + "\"message\":{\"title\":\"Storm warning\",\"body\":\"Heavy rain expected tonight\","
                + "\"data\":{\"deepLink\":\"app://alerts/42\"}}" + (platforms == null ? "" : ",\"platforms\":" + platforms) + "}";
        APIGatewayProxyResponseEvent response = call(notifications,
                proxy("POST", "/notifications", "/notifications", null, request));
        assertEquals(202, response.getStatusCode(), response.getBody());
        String id = body(response).path("notificationId").asText();
        assertEquals("/notifications/" + id, response.getHeaders().get("Location"));
        return id;
    }

    private JsonNode status(String notificationId) {
        APIGatewayProxyResponseEvent response = call(notifications, proxy("GET", "/notifications/{notificationId}",
                "/notifications/" + notificationId, Map.of("notificationId", notificationId), null));
        assertEquals(200, response.getStatusCode(), response.getBody());
        return body(response);
    }

    private static void assertCounts(JsonNode status, long matched, long sent, long disabled, long removed) {
        JsonNode counts = status.path("counts");
        assertEquals(matched, counts.path("matched").asLong(), "matched " + status);
        assertEquals(sent, counts.path("sent").asLong(), "sent " + status);
        assertEquals(disabled, counts.path("disabled").asLong(), "disabled " + status);
        assertEquals(removed, counts.path("removed").asLong(), "removed " + status);
        assertEquals(0, counts.path("failed").asLong(), "failed " + status);
        assertEquals("COMPLETED", status.path("status").asText());
        assertEquals(status.path("tasks").path("total").asLong(), status.path("tasks").path("done").asLong());
        assertEquals(0, status.path("tasks").path("failed").asLong());
    }

    /** Sends, drains the queue, and checks exactly {@code inside} got one message and {@code outside} none. */
    private JsonNode sendAndCheck(double lat, double lon, double radiusKm, List<Placed> inside, List<Placed> outside) {
        for (Placed device : inside) {
            assertTrue(GreatCircle.distanceKm(lat, lon, device.lat(), device.lon()) <= radiusKm, "arranged inside");
        }
        for (Placed device : outside) {
            assertTrue(GreatCircle.distanceKm(lat, lon, device.lat(), device.lon()) > radiusKm, "arranged outside");
        }
        String id = send(lat, lon, radiusKm, null);
        LocalDevices.drainPushQueue(worker);
        JsonNode status = status(id);
        assertCounts(status, inside.size(), inside.size(), 0, 0);
        Set<String> arns = new HashSet<>();
        inside.forEach(d -> arns.add(d.endpointArn()));
        outside.forEach(d -> arns.add(d.endpointArn()));
        Map<String, List<String>> published = LocalDevices.publishedMessages(arns);
        for (Placed device : inside) {
            assertEquals(1, published.getOrDefault(device.endpointArn(), List.of()).size(), "inside " + device);
        }
        for (Placed device : outside) {
            assertEquals(0, published.getOrDefault(device.endpointArn(), List.of()).size(), "outside " + device);
        }
        return status;
    }

    @Test
    void send_shouldReachExactlyTheDevicesWithinTheRadius_whenPlacedAroundTheEdge() {
        // given: a 50 km circle; devices just inside and just outside it, east and north
        double lat = 10.0;
        double lon = 20.0;
        List<Placed> inside = List.of(place("APNS", 10.0, 20.0), place("APNS", 10.0, 20.45),
                place("FCM", 10.44, 20.0), place("APNS_SANDBOX", 9.7, 19.7));
        List<Placed> outside = List.of(place("APNS", 10.0, 20.46), place("FCM", 10.46, 20.0),
                place("APNS", 11.0, 20.0), place("FCM", 9.67, 19.67));

        // when / then
        sendAndCheck(lat, lon, 50, inside, outside);
    }

    @Test
    void send_shouldReachDevicesAcrossTheAntimeridian_whenTheCircleStraddlesIt() {
        // given: a 30 km circle centred just west of 180 (Fiji)
        List<Placed> inside = List.of(place("FCM", -17.0, -179.95), place("APNS", -17.1, 179.8),
                place("APNS", -17.0, 180.0));
        List<Placed> outside = List.of(place("FCM", -17.0, -179.6), place("APNS", -17.0, 179.6));

        // when / then
        sendAndCheck(-17.0, 179.9, 30, inside, outside);
    }

    @Test
    void send_shouldReachDevicesOnTheFarSideOfThePole_whenTheCircleHoldsIt() {
        // given: a 40 km circle around a point 11 km from the North Pole
        List<Placed> inside = List.of(place("APNS", 89.9, 180.0), place("FCM", 89.95, -90.0),
                place("APNS", 89.8, 45.0));
        List<Placed> outside = List.of(place("FCM", 89.5, 0.0), place("APNS", 89.6, 180.0));

        // when / then
        sendAndCheck(89.9, 0.0, 40, inside, outside);
    }

    @Test
    void send_shouldOnlyReachRequestedPlatforms_whenPlatformsAreGiven() {
        // given
        Placed fcm = place("FCM", 30.0, 30.0);
        Placed apns = place("APNS", 30.0, 30.01);

        // when
        String id = send(30.0, 30.0, 5, "[\"FCM\"]");
        LocalDevices.drainPushQueue(worker);

        // then
        assertCounts(status(id), 1, 1, 0, 0);
        Map<String, List<String>> published = LocalDevices.publishedMessages(Set.of(fcm.endpointArn(), apns.endpointArn()));
        assertEquals(1, published.get(fcm.endpointArn()).size());
        assertEquals(0, published.get(apns.endpointArn()).size());
    }

    @Test
    void send_shouldPublishPerPlatformPayloads_whenReachingADevice() throws Exception {
        // given
        Placed device = place("APNS", 31.0, 31.0);

        // when
        send(31.0, 31.0, 1, null);
        LocalDevices.drainPushQueue(worker);

        // then: MessageStructure=json with default, APNS, APNS_SANDBOX and GCM (FCM v1 shape) as JSON strings
        String message = LocalDevices.publishedMessages(Set.of(device.endpointArn())).get(device.endpointArn()).getFirst();
        JsonNode document = Json.MAPPER.readTree(message);
        assertEquals("Heavy rain expected tonight", document.path("default").asText());
        JsonNode apns = Json.MAPPER.readTree(document.path("APNS").asText());
        assertEquals("Storm warning", apns.path("aps").path("alert").path("title").asText());
        assertEquals("app://alerts/42", apns.path("deepLink").asText());
        assertEquals(document.path("APNS"), document.path("APNS_SANDBOX"));
        JsonNode fcm = Json.MAPPER.readTree(document.path("GCM").asText()).path("fcmV1Message").path("message");
        assertEquals("Storm warning", fcm.path("notification").path("title").asText());
        assertEquals("app://alerts/42", fcm.path("data").path("deepLink").asText());
    }

    @Test
    void send_shouldMarkTheDeviceDisabledAndSkipItNextTime_whenSnsSaysTheEndpointIsDisabled() {
        // given: SNS disabled the endpoint (the app was uninstalled)
        Placed device = place("APNS", 32.0, 32.0);
        SNS.setEndpointAttributes(b -> b.endpointArn(device.endpointArn()).attributes(Map.of("Enabled", "false")));

        // when
        String first = send(32.0, 32.0, 2, null);
        LocalDevices.drainPushQueue(worker);
        String second = send(32.0, 32.0, 2, null);
        LocalDevices.drainPushQueue(worker);

        // then: marked disabled and out of the geo index, so the next send does not even read it
        assertCounts(status(first), 1, 0, 1, 0);
        assertCounts(status(second), 0, 0, 0, 0);
        assertFalse(item(device.deviceId()).get("enabled").bool());
        assertNull(item(device.deviceId()).get("geoCell"));
        assertFalse(body(call(devices, deviceRequest("GET", device.deviceId(), null))).path("enabled").asBoolean());
    }

    @Test
    void send_shouldRemoveTheDevice_whenSnsSaysTheEndpointDoesNotExist() {
        // given
        Placed device = place("FCM", 33.0, 33.0);
        SNS.deleteEndpoint(b -> b.endpointArn(device.endpointArn()));

        // when
        String id = send(33.0, 33.0, 2, null);
        LocalDevices.drainPushQueue(worker);

        // then
        assertCounts(status(id), 1, 0, 0, 1);
        assertTrue(item(device.deviceId()) == null || item(device.deviceId()).isEmpty());
    }

    @Test
    void register_shouldPutTheDeviceBackInTheGeoIndex_whenTheAppRegistersAfterBeingDisabled() {
        // given
        Placed device = place("APNS", 34.0, 34.0);
        String token = item(device.deviceId()).get("token").s();
        SNS.setEndpointAttributes(b -> b.endpointArn(device.endpointArn()).attributes(Map.of("Enabled", "false")));
        send(34.0, 34.0, 2, null);
        LocalDevices.drainPushQueue(worker);

        // when: the app opens again
        call(devices, deviceRequest("PUT", device.deviceId(), "{\"platform\":\"APNS\",\"token\":\"" + token
                + "\",\"location\":{\"lat\":34.0,\"lon\":34.0}}"));
        String id = send(34.0, 34.0, 2, null);
        LocalDevices.drainPushQueue(worker);

        // then
        assertTrue(item(device.deviceId()).get("enabled").bool());
        assertCounts(status(id), 1, 1, 0, 0);
    }

    @Test
    void worker_shouldCountATaskOnce_whenSqsDeliversEveryMessageTwice() {
        // given
        place("APNS", 35.0, 35.0);
        String id = send(35.0, 35.0, 2, null);
        List<String> bodies = new ArrayList<>();

        // when: the planning step and every task run, then every message is delivered again
        LocalDevices.drainPushQueue(recording(bodies, event -> LocalDevices.invoke(worker, event)));
        for (String body : bodies) {
            LocalDevices.invoke(worker, sqsEvent(body, 1));
        }
        LocalDevices.drainPushQueue(worker);

        // then: planned once, published once
        assertTrue(bodies.size() > 1, "a planning step and its tasks: " + bodies.size());
        assertCounts(status(id), 1, 1, 0, 0);
        assertEquals(GeoIndex.plan(35.0, 35.0, 2).size(), status(id).path("tasks").path("total").asLong());
    }

    @Test
    void send_shouldAnswerAtOnceThenPlanInStepsAndComplete_whenTheCircleSpansManyPartitions() {
        // given: a 100 km circle around Paris (48 index partitions), a worker planning 10 tasks per step
        List<Placed> inside = List.of(place("APNS", 48.86, 2.35), place("FCM", 49.5, 2.0), place("APNS", 48.2, 3.1));
        List<Placed> outside = List.of(place("FCM", 47.9, 2.35), place("APNS", 48.86, 3.8));
        PushWorkerHandler smallSteps = new PushWorkerHandler(LocalDevices.with(LocalDevices.PUSH_WORKER_ENV,
                "PLAN_SLICE_TASKS", "10"));
        long planSize = GeoIndex.plan(48.8566, 2.3522, 100).size();

        // when: the API answers after one write and one message, whatever the radius
        APIGatewayProxyResponseEvent[] answer = new APIGatewayProxyResponseEvent[1];
        List<String> calls = AwsCallRecorder.record(() -> answer[0] = call(notifications, proxy("POST",
                "/notifications", "/notifications", null, "{\"near\":{\"lat\":48.8566,\"lon\":2.3522,"
                        + "\"radiusKm\":100},\"message\":{\"title\":\"t\",\"body\":\"b\"}}")));
        String id = body(answer[0]).path("notificationId").asText();
        JsonNode planning = status(id);
        int messages = LocalDevices.drainPushQueue(smallSteps);

        // then
        assertEquals(202, answer[0].getStatusCode(), answer[0].getBody());
        assertEquals("PLANNING", body(answer[0]).path("status").asText());
        assertEquals(List.of("DynamoDb.PutItem", "Sqs.SendMessage"), calls);
        assertEquals("PLANNING", planning.path("status").asText());
        assertEquals(48, planSize);
        assertEquals(planSize + (planSize + 9) / 10, messages, "every task and five planning steps, once each");
        JsonNode status = status(id);
        assertEquals(planSize, status.path("tasks").path("total").asLong());
        assertTrue(status.path("counts").path("matched").asLong() >= inside.size(), status.toString());
        assertCounts(status, status.path("counts").path("matched").asLong(), status.path("counts").path("matched").asLong(), 0, 0);
        Set<String> arns = new HashSet<>();
        inside.forEach(d -> arns.add(d.endpointArn()));
        outside.forEach(d -> arns.add(d.endpointArn()));
        Map<String, List<String>> published = LocalDevices.publishedMessages(arns);
        inside.forEach(d -> assertEquals(1, published.get(d.endpointArn()).size(), "inside " + d));
        outside.forEach(d -> assertEquals(0, published.get(d.endpointArn()).size(), "outside " + d));
    }

    @Test
    void worker_shouldRunATaskOnce_whenTwoCopiesOfItsMessageArriveTogether() throws Exception {
        // given: one device, the send planned, its task messages held back
        Placed device = place("FCM", 37.0, 37.0);
        String id = send(37.0, 37.0, 1, null);
        List<String> tasks = new ArrayList<>();
        LocalDevices.drainPushQueue(event -> {
            event.getRecords().forEach(r -> {
                if (!r.getBody().contains(PlanStep.DISCRIMINATOR)) {
                    tasks.add(r.getBody());
                }
            });
            List<SQSEvent.SQSMessage> plans = event.getRecords().stream()
                    .filter(r -> r.getBody().contains(PlanStep.DISCRIMINATOR)).toList();
            SQSEvent only = new SQSEvent();
            only.setRecords(plans);
            return LocalDevices.invoke(worker, only);
        });

        for (int trial = 0; trial < 5; trial++) {
            // when: every task is delivered twice at the same time, to two instances
            PushWorkerHandler other = new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV);
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                List<Future<byte[]>> runs = new ArrayList<>();
                for (PushWorkerHandler instance : List.of(worker, other)) {
                    runs.add(pool.submit(() -> {
                        List<String> answers = new ArrayList<>();
                        for (String task : tasks) {
                            answers.add(new String(LocalDevices.invoke(instance, sqsEvent(task, 1))));
                        }
                        return String.join("", answers).getBytes();
                    }));
                }
                for (Future<byte[]> run : runs) {
                    assertFalse(new String(run.get()).contains("itemIdentifier"), new String(run.get()));
                }
            }
        }

        // then: published once, counted once
        assertCounts(status(id), 1, 1, 0, 0);
        assertEquals(1, LocalDevices.publishedMessages(Set.of(device.endpointArn())).get(device.endpointArn()).size());
    }

    @Test
    void worker_shouldCountTheTaskFailedAndEndTheSend_whenItFailsOnItsLastDelivery() {
        // given: a send planned, and a worker whose device reads fail (its table does not exist)
        place("APNS", 38.0, 38.0);
        String id = send(38.0, 38.0, 1, null);
        List<String> tasks = new ArrayList<>();
        PushWorkerHandler broken = new PushWorkerHandler(LocalDevices.with(LocalDevices.PUSH_WORKER_ENV, "DEVICES_TABLE", "no-such-table"));
        LocalDevices.drainPushQueue(event -> {
            SQSEvent plans = new SQSEvent();
            plans.setRecords(event.getRecords().stream().filter(r -> {
                boolean plan = r.getBody().contains(PlanStep.DISCRIMINATOR);
                if (!plan) {
                    tasks.add(r.getBody());
                }
                return plan;
            }).toList());
            return LocalDevices.invoke(worker, plans);
        });
        int maxReceiveCount = Integer.parseInt(LocalDevices.PUSH_WORKER_ENV.get("PUSH_MAX_RECEIVE_COUNT").orElseThrow());

        // when: the first task fails on an early delivery, then on its last one; the others run
        String first = new String(LocalDevices.invoke(broken, sqsEvent(tasks.getFirst(), 1)));
        JsonNode afterEarly = status(id);
        String last = new String(LocalDevices.invoke(broken, sqsEvent(tasks.getFirst(), maxReceiveCount)));
        for (String task : tasks.subList(1, tasks.size())) {
            LocalDevices.invoke(worker, sqsEvent(task, 1));
        }

        // then: both deliveries are reported failed (so SQS dead-letters the message), only the last is counted,
        // and the send is final: FAILED, with the tasks that ran counted
        assertTrue(first.contains("itemIdentifier") && last.contains("itemIdentifier"), first + last);
        assertEquals(0, afterEarly.path("tasks").path("failed").asLong(), afterEarly.toString());
        JsonNode status = status(id);
        assertEquals("FAILED", status.path("status").asText(), status.toString());
        assertEquals(1, status.path("tasks").path("failed").asLong());
        assertEquals(tasks.size() - 1, status.path("tasks").path("done").asLong());
        assertEquals(tasks.size(), status.path("tasks").path("total").asLong());
    }

    @Test
    void workerEnvironment_shouldGiveUpOnTheDeliveryThePushQueueDeadLetters_whenProvisionedFromTheTemplate()
            throws Exception {
        // given
        String redrive = LocalDevices.SQS.getQueueAttributes(b -> b.queueUrl(LocalDevices.PUSH_QUEUE_URL)
                .attributeNamesWithStrings("RedrivePolicy")).attributesAsStrings().get("RedrivePolicy");

        // when
        int queueMax = Json.MAPPER.readTree(redrive).path("maxReceiveCount").asInt();

        // then
        assertEquals(queueMax, Integer.parseInt(LocalDevices.PUSH_WORKER_ENV.get("PUSH_MAX_RECEIVE_COUNT").orElseThrow()));
    }

    /** An SQS event holding one message, delivered for the {@code receiveCount}th time. */
    private static String sqsEvent(String body, int receiveCount) {
        return "{\"Records\":[{\"messageId\":\"" + java.util.UUID.randomUUID() + "\",\"body\":" + Json.write(body)
                + ",\"attributes\":{\"ApproximateReceiveCount\":\"" + receiveCount + "\"},\"eventSource\":\"aws:sqs\"}]}";
    }

    /** Passes each event on, keeping the bodies of its messages. */
    private static Function<SQSEvent, byte[]> recording(List<String> bodies, Function<SQSEvent, byte[]> worker) {
        return event -> {
            event.getRecords().forEach(r -> bodies.add(r.getBody()));
            return worker.apply(event);
        };
    }

    @Test
    void worker_shouldContinueInANewTask_whenTimeRunsShort() {
        // given: five devices in one spot, a worker reading one item per page with no time to spare
        for (int i = 0; i < 5; i++) {
            place("FCM", 36.0, 36.0);
        }
        PushWorkerHandler hurried = new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV, 1);
        String id = send(36.0, 36.0, 2, null);
        long initialTasks = GeoIndex.plan(36.0, 36.0, 2).size();

        // when
        LocalDevices.drainPushQueue(event -> LocalDevices.invoke(hurried, event, new ShortOnTime()));

        // then: same counts, more tasks
        JsonNode status = status(id);
        assertCounts(status, 5, 5, 0, 0);
        assertTrue(status.path("tasks").path("total").asLong() > initialTasks, status.toString());
    }

    @Test
    void post_shouldAnswer400NamingTheFields_whenTheSendIsInvalid() {
        // given
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"message\":{\"title\":\"t\",\"body\":\"b\"}}", "near: is required");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":0},\"message\":{\"title\":\"t\",\"body\":\"b\"}}",
                "near.radiusKm: must be between 0.1 and 1000");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1001},\"message\":{\"title\":\"t\",\"body\":\"b\"}}",
                "near.radiusKm: must be between 0.1 and 1000");
        cases.put("{\"near\":{\"lat\":95,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\"}}",
                "near.lat: must be between -90 and 90");
        cases.put("{\"near\":{\"lat\":0,\"lon\":190,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\"}}",
                "near.lon: must be between -180 and 180");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\" \",\"body\":\"b\"}}",
                "message.title: must be 1 to 256 characters and not blank");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\"}}",
                "message.body: is required");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\","
                + "\"data\":{\"aps\":\"x\"}}}", "message.data.aps: is reserved by APNs or FCM");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\","
                + "\"data\":{\"n\":1}}}", "message.data.n: must be a string");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\","
                + "\"data\":{\"a\":\"" + "x".repeat(2100) + "\",\"b\":\"" + "y".repeat(2100) + "\"}}}",
                "message: makes a push payload larger than 4096 bytes");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\"},"
                + "\"platforms\":[\"FCM\",\"FCM\"]}", "platforms: must list distinct values of APNS, APNS_SANDBOX, FCM");
        cases.put("{\"near\":{\"lat\":0,\"lon\":0,\"radiusKm\":1},\"message\":{\"title\":\"t\",\"body\":\"b\"},"
                + "\"platforms\":[]}", "platforms: must be a non-empty array of APNS, APNS_SANDBOX, FCM");

        cases.forEach((request, expected) -> {
            // when
            APIGatewayProxyResponseEvent response = call(notifications,
                    proxy("POST", "/notifications", "/notifications", null, request));

            // then
            assertEquals(400, response.getStatusCode(), request);
            List<String> fields = new java.util.ArrayList<>();
            body(response).path("error").path("fields").forEach(f ->
                    fields.add(f.path("field").asText() + ": " + f.path("message").asText()));
            assertTrue(fields.contains(expected), request + " -> " + fields);
        });
    }

    @Test
    void get_shouldAnswer404Or400_whenTheIdIsUnknownOrMalformed() {
        // given / when
        APIGatewayProxyResponseEvent unknown = call(notifications, proxy("GET", "/notifications/{notificationId}",
                "/notifications/x", Map.of("notificationId", java.util.UUID.randomUUID().toString()), null));
        APIGatewayProxyResponseEvent malformed = call(notifications, proxy("GET", "/notifications/{notificationId}",
                "/notifications/x", Map.of("notificationId", "not-an-id"), null));

        // then
        assertEquals(404, unknown.getStatusCode());
        assertEquals(400, malformed.getStatusCode());
        assertEquals("notificationId", body(malformed).path("error").path("fields").path(0).path("field").asText());
    }

    /** A Lambda context with no time left, so every task hands over after its first page. */
    static final class ShortOnTime implements Context {
        @Override public String getAwsRequestId() { return "short-on-time"; }
        @Override public String getLogGroupName() { return "local"; }
        @Override public String getLogStreamName() { return "local"; }
        @Override public String getFunctionName() { return "PushWorkerFunction"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:push"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 0; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
