package io.mediasuite.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed sample events of this module's functions ({@code events/<LogicalId>/*.json}), each invoked
 * through its handler in the order a session would send them, with the status each should get.
 */
class SampleEventsTest {

    private static final Path EVENTS = Path.of("../../events");

    private static final Map<String, RequestStreamHandler> HANDLERS = Map.of(
            "DeviceApiFunction", new DeviceApiHandler(LocalDevices.DEVICE_API_ENV),
            "NotificationApiFunction", new NotificationApiHandler(LocalDevices.NOTIFICATION_API_ENV),
            "PushWorkerFunction", new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV),
            "EndpointFeedbackFunction", new EndpointFeedbackHandler(LocalDevices.FEEDBACK_ENV),
            "ExpiredDeviceCleanupFunction", new ExpiredDeviceCleanupHandler(LocalDevices.CLEANUP_ENV));

    /** Expected status per API sample; event-source samples must simply not fail. */
    private static final Map<String, Integer> STATUS = Map.of(
            "DeviceApiFunction/put-device.json", 201,
            "DeviceApiFunction/get-device.json", 404,
            "DeviceApiFunction/delete-device.json", 204,
            "NotificationApiFunction/post-notification.json", 202,
            "NotificationApiFunction/get-notification.json", 404);

    @TestFactory
    Stream<DynamicTest> sample_shouldBeHandled_whenInvokedThroughItsFunction() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String function : List.of("DeviceApiFunction", "NotificationApiFunction", "PushWorkerFunction",
                "EndpointFeedbackFunction", "ExpiredDeviceCleanupFunction")) {
            List<Path> events;
            try (var files = Files.list(EVENTS.resolve(function))) {
                events = files.filter(p -> p.toString().endsWith(".json")).sorted(SampleEventsTest::sessionOrder).toList();
            }
            assertFalse(events.isEmpty(), function);
            for (Path event : events) {
                String name = function + "/" + event.getFileName();
                tests.add(dynamicTest(name, () -> {
                    // given
                    String json = Files.readString(event);

                    // when
                    byte[] response = LocalDevices.invoke(HANDLERS.get(function), json);

                    // then
                    if (STATUS.containsKey(name)) {
                        JsonNode answer = Json.MAPPER.readTree(response);
                        assertEquals(STATUS.get(name).intValue(), answer.path("statusCode").asInt(), answer.toString());
                    } else if (function.equals("PushWorkerFunction") || function.equals("ExpiredDeviceCleanupFunction")) {
                        assertTrue(Json.MAPPER.readTree(response).path("batchItemFailures").isEmpty());
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** put before get before delete, so the device samples tell a story. */
    private static int sessionOrder(Path a, Path b) {
        List<String> order = List.of("put", "get", "delete", "post");
        return Integer.compare(rank(a, order), rank(b, order)) != 0 ? Integer.compare(rank(a, order), rank(b, order))
                : a.compareTo(b);
    }

    private static int rank(Path path, List<String> order) {
        String name = path.getFileName().toString();
        for (int i = 0; i < order.size(); i++) {
            if (name.startsWith(order.get(i))) {
                return i;
            }
        }
        return order.size();
    }
}
