package io.mediasuite.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.devices.geo.Destination;
import io.mediasuite.devices.geo.GeoIndex;
import io.mediasuite.devices.registration.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Scale harness for geo sends, not a unit test (runs only with {@code -Dbenchmark=true}; see
 * bench/geo-send-scale.sh). Seeds {@code benchmark.devices} located devices straight into the devices table in
 * DynamoDB Local (BatchWriteItem, the item layout the registry writes: geo index keys, coarse coordinates), each
 * pointing at one of {@code benchmark.endpoints} real endpoints created in moto, so every publish is a real
 * Publish call that moto records. Then sends one notification to the circle through the API handler and drains
 * the PushQueue with {@code benchmark.pollers} poller loops into the push worker handler, and prints one JSON
 * line: tasks, messages (planning steps included), worker time per message, publishes per second overall and per
 * poller, time from POST until the status is final.
 *
 * <p>Seeding through the registration path (what {@link GeoSendThroughputBenchmark} does) costs five calls per
 * device; writing items directly lets 100 000 devices be laid out in about a minute. The send itself runs the
 * production code end to end: planning steps, claims, index reads, distance filter, publishes, counters.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class GeoSendScaleBenchmark {

    static {
        // As the template does for the worker: keep one idle connection per concurrent publish (set before the
        // JVM's first connection; run this class on its own).
        System.setProperty("http.maxConnections", "64");
    }

    @Test
    void send_shouldReportScaleFigures_whenTheCircleHoldsManyDevices() throws Exception {
        int count = Integer.getInteger("benchmark.devices", 10_000);
        int endpointCount = Integer.getInteger("benchmark.endpoints", 200);
        int pollers = Integer.getInteger("benchmark.pollers", 2);
        double lat = Double.parseDouble(System.getProperty("benchmark.lat", "48.8566"));
        double lon = Double.parseDouble(System.getProperty("benchmark.lon", "2.3522"));
        double radiusKm = Double.parseDouble(System.getProperty("benchmark.radiusKm", "300"));

        // given: endpoints in moto, devices in the circle (a little inside the edge: coordinates are coarsened)
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < endpointCount; i++) {
            String token = LocalDevices.apnsToken();
            endpoints.add(LocalDevices.SNS.createPlatformEndpoint(b -> b
                    .platformApplicationArn(LocalDevices.apnsApplication()).token(token)).endpointArn());
        }
        Random random = new Random(42);
        List<WriteRequest> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] p = Destination.of(lat, lon, random.nextDouble() * 360, (radiusKm - 2) * Math.sqrt(random.nextDouble()));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(item(LocalDevices.deviceId(), endpoints.get(i % endpointCount), p[0], p[1])).build()).build());
        }
        long seedStart = System.nanoTime();
        List<List<WriteRequest>> batches = new ArrayList<>();
        for (int i = 0; i < writes.size(); i += 25) {
            batches.add(writes.subList(i, Math.min(writes.size(), i + 25)));
        }
        Parallel.forEach(batches, new Semaphore(8), GeoSendScaleBenchmark::writeAll);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        // when
        NotificationApiHandler api = new NotificationApiHandler(LocalDevices.NOTIFICATION_API_ENV);
        PushWorkerHandler worker = new PushWorkerHandler(LocalDevices.PUSH_WORKER_ENV);
        long sendStart = System.nanoTime();
        APIGatewayProxyResponseEvent accepted = LocalDevices.call(api, LocalDevices.proxy("POST", "/notifications",
                "/notifications", null, "{\"near\":{\"lat\":" + lat + ",\"lon\":" + lon + ",\"radiusKm\":" + radiusKm
                        + "},\"message\":{\"title\":\"Benchmark\",\"body\":\"Scale run\"}}"));
        double acceptMillis = (System.nanoTime() - sendStart) / 1e6;
        String id = LocalDevices.body(accepted).path("notificationId").asText();
        AtomicLong workerNanos = new AtomicLong();
        AtomicInteger messages = new AtomicInteger();
        List<Integer> loops = new ArrayList<>();
        for (int i = 0; i < pollers; i++) {
            loops.add(i);
        }
        Parallel.forEach(loops, new Semaphore(pollers), i -> LocalDevices.drainPushQueue(event -> {
            long start = System.nanoTime();
            byte[] answer = LocalDevices.invoke(worker, event);
            workerNanos.addAndGet(System.nanoTime() - start);
            messages.addAndGet(event.getRecords().size());
            return answer;
        }));
        JsonNode status = status(api, id);
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;

        // then
        long sent = status.path("counts").path("sent").asLong();
        long tasks = status.path("tasks").path("total").asLong();
        System.out.printf("%nGEO SEND SCALE: {\"devices\":%d,\"endpoints\":%d,\"radiusKm\":%.0f,\"planSize\":%d,"
                        + "\"tasks\":%d,\"messages\":%d,\"status\":\"%s\",\"sent\":%d,\"seedSeconds\":%.1f,"
                        + "\"acceptMillis\":%.0f,\"secondsUntilFinal\":%.1f,\"pollers\":%d,"
                        + "\"workerMillisPerMessage\":%.1f,\"devicesPerTask\":%.0f,\"publishesPerSecond\":%.0f,"
                        + "\"publishesPerSecondPerPoller\":%.0f}%n%n",
                count, endpointCount, radiusKm, GeoIndex.plan(lat, lon, radiusKm).size(), tasks, messages.get(),
                status.path("status").asText(), sent, seedSeconds, acceptMillis, sendSeconds, pollers,
                workerNanos.get() / 1e6 / messages.get(), (double) sent / tasks, sent / sendSeconds,
                sent / sendSeconds / pollers);
        assertEquals("COMPLETED", status.path("status").asText(), status.toString());
        assertEquals(count, sent, status.toString());
    }

    private static JsonNode status(NotificationApiHandler api, String id) {
        return LocalDevices.body(LocalDevices.call(api, LocalDevices.proxy("GET", "/notifications/{notificationId}",
                "/notifications/" + id, Map.of("notificationId", id), null)));
    }

    /** A located, enabled APNs device as the registry stores it, as far as the geo index and the worker read it. */
    private static Map<String, AttributeValue> item(String deviceId, String endpointArn, double lat, double lon) {
        double coarseLat = GeoIndex.coarsen(lat);
        double coarseLon = GeoIndex.coarsen(lon);
        String geohash = GeoIndex.geohash(coarseLat, coarseLon);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("deviceId", AttributeValue.fromS(deviceId));
        item.put("platform", AttributeValue.fromS(Platform.APNS.name()));
        item.put("endpointArn", AttributeValue.fromS(endpointArn));
        item.put("enabled", AttributeValue.fromBool(true));
        item.put("lat", AttributeValue.fromN(Double.toString(coarseLat)));
        item.put("lon", AttributeValue.fromN(Double.toString(coarseLon)));
        item.put("geohash", AttributeValue.fromS(geohash));
        item.put("geoCell", AttributeValue.fromS(GeoIndex.cellKey(geohash, deviceId)));
        return item;
    }

    private static void writeAll(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(LocalDevices.DEVICES_TABLE, batch);
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = pending;
            var unprocessed = LocalDevices.DYNAMODB.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            pending = unprocessed == null ? Map.of() : unprocessed;
        }
    }
}
