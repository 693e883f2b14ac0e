package io.mediasuite.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.devices.registration.DeviceRegistration;
import io.mediasuite.devices.registration.DeviceRegistry;
import io.mediasuite.devices.registration.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Geo-send throughput harness, not a unit test: seeds {@code benchmark.devices} (default 10 000) devices within
 * 20 km of a point through the real registration path, sends one notification to all of them, and drains the
 * PushQueue with {@code benchmark.pollers} (default 1) concurrent poller loops into the PushWorker handler,
 * printing publishes per second. Runs only when asked:
 *
 * <pre>
 * ./mvnw -o -q -pl functions/devices -am verify -Dtest=GeoSendThroughputBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true [-Dbenchmark.devices=10000] [-Dbenchmark.pollers=1]
 * </pre>
 *
 * The numbers measure this code against the emulators (moto answers Publish from one Python process), so they
 * are a floor for the code path, not a forecast of SNS.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class GeoSendThroughputBenchmark {

    static {
        // As the template does for the worker (JAVA_TOOL_OPTIONS): keep one idle connection per concurrent publish.
        // Must be set before this JVM's first HTTP connection, so run this class on its own.
        System.setProperty("http.maxConnections", "64");
    }

    @Test
    void send_shouldReportPublishesPerSecond_whenTargetingTenThousandDevices() throws Exception {
        int count = Integer.getInteger("benchmark.devices", 10_000);
        int pollers = Integer.getInteger("benchmark.pollers", 1);
        double lat = -33.87;
        double lon = 151.21;
        double radiusKm = 20;

        // given: devices seeded through the registration algorithm, 32 at a time
        DeviceRegistry registry = DeviceApiHandler.registryFrom(LocalDevices.DEVICE_API_ENV);
        Random random = new Random(42);
        List<DeviceRegistration> registrations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] p = io.mediasuite.devices.geo.Destination.of(lat, lon, random.nextDouble() * 360,
                    (radiusKm - 1.5) * Math.sqrt(random.nextDouble()));
            boolean fcm = i % 2 == 0;
            registrations.add(new DeviceRegistration(LocalDevices.deviceId(), fcm ? Platform.FCM : Platform.APNS,
                    fcm ? LocalDevices.fcmToken() : LocalDevices.apnsToken(), null,
                    DeviceRegistration.Location.coarse(p[0], p[1]), null, null));
        }
        long seedStart = System.nanoTime();
        Parallel.forEach(registrations, new Semaphore(32), registry::register);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        // when
        NotificationApiHandler api = new NotificationApiHandler(LocalDevices.NOTIFICATION_API_ENV);
        APIGatewayProxyResponseEvent accepted = LocalDevices.call(api, LocalDevices.proxy("POST", "/notifications",
                "/notifications", null, "{\"near\":{\"lat\":" + lat + ",\"lon\":" + lon + ",\"radiusKm\":" + radiusKm
                        + "},\"message\":{\"title\":\"Benchmark\",\"body\":\"Throughput run\"}}"));
        String id = LocalDevices.body(accepted).path("notificationId").asText();
        PushWorkerHandler worker = new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV);
        AtomicInteger processed = new AtomicInteger();
        long sendStart = System.nanoTime();
        processed.addAndGet(LocalDevices.drainPushQueue(worker, pollers));
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;

        // and, for scale, the emulator's own ceiling: bare Publish calls to the same endpoints, same concurrency
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < Math.min(count, 2000); i++) {
            endpoints.add(registry.find(registrations.get(i).deviceId()).orElseThrow().endpointArn());
        }
        long bareStart = System.nanoTime();
        Parallel.forEach(endpoints, new Semaphore(32), arn -> LocalDevices.SNS.publish(b -> b.targetArn(arn)
                .messageStructure("json").message("{\"default\":\"bare\"}")));
        double bareRate = endpoints.size() / ((System.nanoTime() - bareStart) / 1e9);

        // then
        JsonNode status = LocalDevices.body(LocalDevices.call(api, LocalDevices.proxy("GET",
                "/notifications/{notificationId}", "/notifications/" + id, Map.of("notificationId", id), null)));
        long sent = status.path("counts").path("sent").asLong();
        System.out.printf("%nGEO SEND BENCHMARK: %d devices seeded in %.1f s (%.0f registrations/s); "
                        + "%d tasks, %d matched, %d sent in %.1f s with %d poller(s) = %.0f publishes/s "
                        + "(bare Publish calls to the same emulator, 32 in flight: %.0f/s)%n%n",
                count, seedSeconds, count / seedSeconds, processed.get(), status.path("counts").path("matched").asLong(),
                sent, sendSeconds, pollers, sent / sendSeconds, bareRate);
        assertEquals(count, sent, status.toString());
    }
}
