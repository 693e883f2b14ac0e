package io.mediasuite.tests;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.local.template.SamTemplate;
import io.mediasuite.thumbnails.AcceptedFormats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thumbnail behaviour's cache key: ThumbnailAcceptFunction (viewer request) reduces Accept to
 * {@code image/webp} or nothing, and ThumbnailCachePolicy keys on exactly that header. The function's code from
 * template.yaml runs in Node.js on CloudFront's event shape, with the Accept headers browsers really send, and its
 * decision must equal the origin's ({@link AcceptedFormats}) for every one of them.
 */
class ThumbnailAcceptFunctionTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load(Project.ROOT.resolve("template.yaml"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Accept header (null: none sent) -> whether the viewer should get WebP. */
    private static final Map<String, Boolean> BROWSERS = browsers();

    private static Map<String, Boolean> browsers() {
        Map<String, Boolean> accepts = new LinkedHashMap<>();
        accepts.put("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", true); // Chrome, Edge
        accepts.put("image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,"
                + "image/svg+xml,image/*;q=0.8,*/*;q=0.5", true); // Safari 17
        accepts.put("image/avif,image/webp,*/*", true); // Firefox
        accepts.put("image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5", false); // Safari 13
        accepts.put("image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", false); // IE 11
        accepts.put("*/*", false); // curl, most HTTP libraries
        accepts.put("image/*", false);
        accepts.put("image/webp;q=0,image/*", false); // explicitly refused
        accepts.put("IMAGE/WEBP ; Q=0.5", true);
        accepts.put("image/webp;q=oops", false);
        accepts.put("", false);
        accepts.put(null, false);
        return accepts;
    }

    @Test
    void functionCode_shouldSetAcceptToWebpOrRemoveIt_exactlyAsTheOriginDecides(@TempDir Path dir) throws Exception {
        // given: one viewer request per browser, and one with Accept sent twice (CloudFront's multiValue)
        ArrayNode events = JSON.createArrayNode();
        List<String> accepts = new ArrayList<>(BROWSERS.keySet());
        for (String accept : accepts) {
            ObjectNode headers = JSON.createObjectNode();
            headers.putObject("host").put("value", "d111111abcdef8.cloudfront.net");
            if (accept != null) {
                headers.putObject("accept").put("value", accept);
            }
            events.add(viewerRequest(headers));
        }
        ObjectNode twice = JSON.createObjectNode();
        ObjectNode accept = twice.putObject("accept").put("value", "image/png");
        accept.putArray("multiValue").add(JSON.createObjectNode().put("value", "image/png"))
                .add(JSON.createObjectNode().put("value", "image/webp"));
        events.add(viewerRequest(twice));

        // when
        JsonNode results = run(dir, events);

        // then: exactly one value or none, the origin's decision, other headers untouched
        for (int i = 0; i < accepts.size(); i++) {
            JsonNode headers = results.get(i).path("headers");
            String sent = accepts.get(i);
            boolean webp = BROWSERS.get(sent);
            assertEquals(webp, AcceptedFormats.acceptsWebp(sent), "origin and edge agree on " + sent);
            if (webp) {
                assertEquals("image/webp", headers.path("accept").path("value").asText(), sent);
                assertTrue(headers.path("accept").path("multiValue").isMissingNode(), sent);
            } else {
                assertTrue(headers.path("accept").isMissingNode(), "Accept removed for " + sent);
            }
            assertEquals("d111111abcdef8.cloudfront.net", headers.path("host").path("value").asText());
        }
        assertEquals("image/webp", results.get(accepts.size()).path("headers").path("accept").path("value").asText(),
                "every value of a repeated Accept counts");
    }

    @Test
    void distribution_shouldKeyThumbnailsOnTheNormalisedAcceptOnly_andRunTheFunctionOnThatBehaviour() {
        // given
        Map<String, Object> config = map(TEMPLATE.properties("SiteDistribution").get("DistributionConfig"));
        Map<String, Object> thumbs = null;
        for (Object behaviour : list(config.get("CacheBehaviors"))) {
            if ("*/thumb/*".equals(map(behaviour).get("PathPattern"))) {
                thumbs = map(behaviour);
            }
        }

        // then: the function runs on viewer request of */thumb/*
        List<Object> associations = list(thumbs.get("FunctionAssociations"));
        assertEquals(1, associations.size());
        assertEquals("viewer-request", map(associations.get(0)).get("EventType"));
        assertEquals(Map.of("Fn::GetAtt", List.of("ThumbnailAcceptFunction", "FunctionARN")),
                map(associations.get(0)).get("FunctionARN"));
        assertEquals(Map.of("Ref", "ThumbnailCachePolicy"), thumbs.get("CachePolicyId"));
        Map<String, Object> function = TEMPLATE.properties("ThumbnailAcceptFunction");
        assertEquals("cloudfront-js-2.0", map(function.get("FunctionConfig")).get("Runtime"));
        assertEquals(true, function.get("AutoPublish"));

        // and the cache key holds the path plus that one header: at most two entries per thumbnail
        Map<String, Object> key = map(map(TEMPLATE.properties("ThumbnailCachePolicy").get("CachePolicyConfig"))
                .get("ParametersInCacheKeyAndForwardedToOrigin"));
        assertEquals("whitelist", map(key.get("HeadersConfig")).get("HeaderBehavior"));
        assertEquals(List.of("Accept"), list(map(key.get("HeadersConfig")).get("Headers")));
        assertEquals("none", map(key.get("QueryStringsConfig")).get("QueryStringBehavior"));
        assertEquals("none", map(key.get("CookiesConfig")).get("CookieBehavior"));
        assertEquals(false, key.get("EnableAcceptEncodingGzip"));
        assertNotEquals(Map.of("Ref", "ThumbnailCachePolicy"),
                map(config.get("DefaultCacheBehavior")).get("CachePolicyId"), "pages do not split on Accept");
    }

    private static ObjectNode viewerRequest(ObjectNode headers) {
        ObjectNode event = JSON.createObjectNode().put("version", "1.0");
        event.putObject("context").put("eventType", "viewer-request");
        event.putObject("viewer").put("ip", "198.51.100.7");
        ObjectNode request = event.putObject("request").put("method", "GET")
                .put("uri", "/static/images/thumb/400/300/b723eh0f0df.png");
        request.putObject("querystring");
        request.set("headers", headers);
        request.putObject("cookies");
        return event;
    }

    /** Runs the template's FunctionCode in Node.js over each event; the handler's results as a JSON array. */
    private static JsonNode run(Path dir, ArrayNode events) throws Exception {
        Object code = TEMPLATE.properties("ThumbnailAcceptFunction").get("FunctionCode");
        Path harness = dir.resolve("run.js");
        Files.writeString(harness, code + "\nconst events = " + JSON.writeValueAsString(events)
                + ";\nconsole.log(JSON.stringify(events.map(e => handler(e).headers)"
                + ".map(h => ({headers: h}))));\n");
        Process node = new ProcessBuilder("node", harness.toString()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), output);
        return JSON.readTree(output);
    }
}
