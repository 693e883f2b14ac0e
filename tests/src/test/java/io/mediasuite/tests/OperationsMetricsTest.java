package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import io.mediasuite.local.LocalMetrics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The functions' business metrics, end to end: every function runs as the local runner runs it (packaged
 * artifact, template environment, emulators) on every sample event of events/ plus a thumbnail scenario, and the
 * EMF documents they write are checked against the format's specification, against what the scenario did, and
 * against the operations dashboard of template.yaml, whose every custom metric must be one the code emits.
 */
class OperationsMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, LocalLambda> FUNCTIONS = new LinkedHashMap<>();
    private static final String IMAGES = "static/images/metrics/";

    private static Map<LocalMetrics.MetricKey, Double> thumbnailSums;
    private static List<LocalMetrics.Emitted> thumbnailDocuments;
    private static List<LocalMetrics.Emitted> refreshDocuments;

    @BeforeAll
    static void runScenarios() throws Exception {
        LocalCloud cloud = LocalCloud.shared();
        try (AwsLocalClients clients = new AwsLocalClients(cloud.emulators().environment())) {
            S3Client s3 = clients.s3;
            s3.putObject(b -> b.bucket(cloud.physicalId("ImagesBucket")).key(IMAGES + "photo.jpg")
                    .contentType("image/jpeg"), RequestBody.fromBytes(image(1200, 900, "jpeg")));
            s3.putObject(b -> b.bucket(cloud.physicalId("ImagesBucket")).key(IMAGES + "drawing.png")
                    .contentType("image/png"), RequestBody.fromBytes(image(900, 600, "png")));
        }
        LocalMetrics.shared().clear();

        // The thumbnail scenario: 3 JPEG renders, 2 PNG renders, 1 revalidation, 2 refusals of each kind below.
        LocalLambda thumbnails = function("ThumbnailFunction");
        JsonNode first = JSON.readTree(thumbnails.invoke(thumbnailEvent("thumb/400/300/photo.jpg", null)));
        thumbnails.invoke(thumbnailEvent("thumb/150/150/photo.jpg", null));
        thumbnails.invoke(thumbnailEvent("thumb/800/600/photo.jpg", null));
        thumbnails.invoke(thumbnailEvent("thumb/400/300/drawing.png", null));
        thumbnails.invoke(thumbnailEvent("thumb/400/0/drawing.png", null));
        thumbnails.invoke(thumbnailEvent("thumb/400/300/photo.jpg", first.path("headers").path("ETag").asText()));
        thumbnails.invoke(thumbnailEvent("thumb/400/300/absent.jpg", null));
        thumbnails.invoke(thumbnailEvent("thumb/401/300/photo.jpg", null));
        thumbnailSums = LocalMetrics.shared().sums();
        thumbnailDocuments = LocalMetrics.shared().documents();

        // A first registration, then the same one again: the steady state the devices README promises.
        byte[] registration = registrationEvent();
        function("DeviceApiFunction").invoke(registration);
        int before = LocalMetrics.shared().documents().size();
        function("DeviceApiFunction").invoke(registration);
        List<LocalMetrics.Emitted> all = LocalMetrics.shared().documents();
        refreshDocuments = all.subList(before, all.size());

        // A push task of a send no earlier test ran (the sample's own send may be done already: a redelivery of a
        // finished task counts nothing, by design).
        String task = Files.readString(Project.EVENTS.resolve("PushWorkerFunction/sqs-push-task.json"));
        String sampleSend = "9b2f6d4c-1e3a-4b5c-8d7e-0f1a2b3c4d5e";
        assertTrue(task.contains(sampleSend), "the sample push task changed");
        function("PushWorkerFunction").invoke(task.replace(sampleSend, java.util.UUID.randomUUID().toString())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        // Every sample event of every function (the devices' and invalidation's metrics come from these).
        for (String id : cloud.functionIds()) {
            for (Path event : Project.events(id)) {
                try {
                    function(id).invoke(Files.readAllBytes(event));
                } catch (LocalLambda.FunctionErrorException expected) {
                    // Some samples fail on purpose (a poison record): their metrics count all the same.
                }
            }
        }
        // A deploy event while CloudFront cannot be reached: the invalidation's retry metric, by reason.
        LocalLambda unknownDistribution = LocalLambda.load(withVariable(cloud, "InvalidationFunction",
                "AWS_ENDPOINT_URL_CLOUDFRONT", "http://127.0.0.1:9"));
        try {
            // the sample batch's page, renamed so that no earlier invocation has invalidated it, in this stack's bucket
            String batch = Files.readString(Project.EVENTS.resolve("InvalidationFunction/sqs-batch.json"));
            String page = "\\\"key\\\":\\\"index.html\\\"";
            assertTrue(batch.contains(page), "the sample batch changed: " + page + " not found");
            unknownDistribution.invoke(batch.replace(page, page.replace("index", "metrics/" + java.util.UUID.randomUUID()))
                    .replace("media-suite-site-local", cloud.physicalId("SiteBucket"))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            unknownDistribution.close();
        }
    }

    @AfterAll
    static void closeFunctions() {
        FUNCTIONS.values().forEach(LocalLambda::close);
    }

    @Test
    void metrics_shouldBeValidEmf_whenEveryFunctionRan() {
        // given every document the functions wrote
        List<LocalMetrics.Emitted> documents = LocalMetrics.shared().documents();
        assertFalse(documents.isEmpty(), "no function wrote a metric");
        assertEquals(List.of(), LocalMetrics.shared().unreadable());

        // then each one is a document CloudWatch accepts, in the stack's namespace
        for (LocalMetrics.Emitted emitted : documents) {
            assertEquals(List.of(), EmfDocuments.problems(emitted.document()), emitted.function() + ": "
                    + emitted.document());
            assertEquals("media-suite/" + LocalCloud.shared().stackName(), emitted.document().path("_aws")
                    .path("CloudWatchMetrics").get(0).path("Namespace").asText());
        }
    }

    @Test
    void thumbnailMetrics_shouldCountWhatTheScenarioDid_whenRendersAndRefusalsRan() {
        // then the sums are exactly the scenario's requests
        assertEquals(3.0, sum("ThumbnailsRendered", "OutputFormat", "jpeg"));
        assertEquals(2.0, sum("ThumbnailsRendered", "OutputFormat", "png"));
        assertEquals(1.0, sum("ThumbnailsNotModified", null, null));
        assertEquals(1.0, sum("ThumbnailsRefused", "Status", "404"));
        assertEquals(1.0, sum("ThumbnailsRefused", "Status", "400"));
        // one render time and one output size per render, none for a revalidation or a refusal
        assertEquals(5, thumbnailDocuments.stream().filter(d -> d.document().has("RenderTime")).count());
        assertEquals(5, thumbnailDocuments.stream().filter(d -> d.document().path("OutputBytes").asDouble() > 0)
                .count());
    }

    @Test
    void registrationMetrics_shouldCountOneDynamoDbAndOneSnsCall_whenADeviceRegistersAgainUnchanged() {
        // then the refresh reported itself as such, with the steady state's two calls
        assertEquals(1, refreshDocuments.stream()
                .filter(d -> "refreshed".equals(d.document().path("Outcome").asText())).count());
        JsonNode calls = refreshDocuments.stream().filter(d -> d.document().has("DynamoDbCallsPerRegistration"))
                .findFirst().orElseThrow().document();
        assertEquals(1.0, calls.get("DynamoDbCallsPerRegistration").asDouble());
        assertEquals(1.0, calls.get("SnsCallsPerRegistration").asDouble());
    }

    @Test
    void dashboard_shouldChartOnlyMetricsTheCodeEmits_whenReadFromTheTemplate() throws Exception {
        // given the dashboard's custom metrics, resolved for the local stack as CloudFormation would
        LocalCloud cloud = LocalCloud.shared();
        String namespace = "media-suite/" + cloud.stackName();
        Object body = cloud.resolve(cloud.template().properties("OperationsDashboard").get("DashboardBody"));
        JsonNode dashboard = JSON.readTree(String.valueOf(body));
        Set<String> charted = new TreeSet<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (metric.path(0).asText().equals(namespace)) {
                    charted.add(signature(namespace, metric));
                }
            }
        }
        assertFalse(charted.isEmpty(), "the dashboard charts no metric of " + namespace);

        // when the emitted documents are keyed the same way
        Set<String> emitted = new TreeSet<>();
        LocalMetrics.shared().sums().keySet().forEach(key -> emitted.add(signature(key)));

        // then every charted metric was emitted with the same namespace, name and dimensions
        Set<String> missing = new TreeSet<>(charted);
        missing.removeAll(emitted);
        assertEquals(Set.of(), missing, "charted but never emitted; emitted: " + emitted);
    }

    private static double sum(String name, String dimension, String value) {
        return thumbnailSums.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().dimensions().get("Service").equals("Thumbnails")
                        && (dimension == null ? e.getKey().dimensions().size() == 2
                        : value.equals(e.getKey().dimensions().get(dimension))))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** A dashboard metric array: namespace, name, then dimension name/value pairs, then optional rendering options. */
    private static String signature(String namespace, JsonNode metric) {
        Map<String, String> dimensions = new java.util.TreeMap<>();
        for (int i = 2; i + 1 < metric.size() && metric.get(i).isTextual(); i += 2) {
            dimensions.put(metric.get(i).asText(), metric.get(i + 1).asText());
        }
        return signature(namespace, metric.get(1).asText(), dimensions);
    }

    private static String signature(LocalMetrics.MetricKey key) {
        return signature(key.namespace(), key.name(), key.dimensions());
    }

    /**
     * Namespace, name, the Service and Stage values and the names of the other dimensions: a chart of one status
     * of {@code ThumbnailsRefused} is right whether or not the scenario produced that status.
     */
    private static String signature(String namespace, String name, Map<String, String> dimensions) {
        Map<String, String> shape = new java.util.TreeMap<>();
        dimensions.forEach((dimension, value) -> shape.put(dimension,
                dimension.equals("Service") || dimension.equals("Stage") ? value : "*"));
        return namespace + " " + name + " " + shape;
    }

    private static LocalLambda function(String id) {
        return FUNCTIONS.computeIfAbsent(id, fn -> LocalLambda.load(LocalCloud.shared().function(fn)));
    }

    private static io.mediasuite.local.FunctionSpec withVariable(LocalCloud cloud, String id, String name,
                                                                  String value) {
        io.mediasuite.local.FunctionSpec spec = cloud.function(id);
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put(name, value);
        return spec.withEnvironment(env);
    }

    private static byte[] registrationEvent() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Project.EVENTS.resolve("DeviceApiFunction/put-device.json").toFile());
        String deviceId = java.util.UUID.randomUUID().toString();
        ObjectNode body = (ObjectNode) JSON.readTree(event.get("body").asText());
        body.put("token", java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32)));
        event.put("body", JSON.writeValueAsString(body));
        event.put("path", "/devices/" + deviceId);
        ((ObjectNode) event.get("pathParameters")).put("deviceId", deviceId);
        return JSON.writeValueAsBytes(event);
    }

    private static byte[] thumbnailEvent(String thumbPath, String ifNoneMatch) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Project.EVENTS.resolve("ThumbnailFunction/fit.json").toFile());
        String proxy = IMAGES + thumbPath;
        event.put("path", "/" + proxy);
        ((ObjectNode) event.get("pathParameters")).put("proxy", proxy);
        if (ifNoneMatch != null) {
            ((ObjectNode) event.get("headers")).put("If-None-Match", ifNoneMatch);
            ((ObjectNode) event.get("multiValueHeaders")).set("If-None-Match",
                    JSON.createArrayNode().add(ifNoneMatch));
        }
        return JSON.writeValueAsBytes(event);
    }

    private static byte[] image(int width, int height, String format) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 110, 190));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(240, 170, 40));
        g.fillOval(width / 5, height / 5, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
