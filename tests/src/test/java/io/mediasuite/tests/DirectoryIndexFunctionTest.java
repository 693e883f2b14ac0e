package io.mediasuite.tests;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.edge.LocalEdge;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.template.SamTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template's viewer-request CloudFront Function (SiteDirectoryIndexFunction) is what makes site folders work
 * through the distribution: its code is executed for real (Node.js, CloudFront's event shape), and the template's
 * distribution, served by the local edge, answers {@code /blog/} with {@code blog/index.html} from the site bucket.
 */
class DirectoryIndexFunctionTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load(Project.ROOT.resolve("template.yaml"));

    @Test
    void functionCode_shouldAppendIndexHtmlToFolderUris_andLeaveOtherUrisAlone(@TempDir Path dir) throws Exception {
        // given the function's code from the template, and the URIs a browser sends
        Map<String, Object> props = TEMPLATE.properties("SiteDirectoryIndexFunction");
        assertEquals("cloudfront-js-2.0", map(props.get("FunctionConfig")).get("Runtime"));
        assertEquals(true, props.get("AutoPublish"));
        List<String> uris = List.of("/blog/", "/a/b/", "/", "/blog", "/blog/index.html", "/a.html", "/docs/v1.2/");
        Path harness = dir.resolve("run.js");
        Files.writeString(harness, props.get("FunctionCode") + "\nconst uris = " + new ObjectMapper().writeValueAsString(uris)
                + ";\nconsole.log(JSON.stringify(uris.map(uri => handler({version: '1.0', context: {eventType: "
                + "'viewer-request'}, viewer: {ip: '127.0.0.1'}, request: {method: 'GET', uri: uri, querystring: {}, "
                + "headers: {host: {value: 'example.org'}}, cookies: {}}}))));\n");

        // when
        Process node = new ProcessBuilder("node", harness.toString()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));

        // then
        assertEquals(0, node.exitValue(), output);
        JsonNode results = new ObjectMapper().readTree(output);
        List<String> rewritten = new java.util.ArrayList<>();
        results.forEach(request -> rewritten.add(request.path("uri").asText()));
        assertEquals(List.of("/blog/index.html", "/a/b/index.html", "/", "/blog", "/blog/index.html", "/a.html",
                "/docs/v1.2/index.html"), rewritten);
        results.forEach(request -> assertEquals("example.org", request.path("headers").path("host").path("value").asText()));
    }

    @Test
    void distribution_shouldRunTheFunctionOnTheDefaultBehaviourOnly_whenDeclared() {
        // given
        Map<String, Object> config = map(TEMPLATE.properties("SiteDistribution").get("DistributionConfig"));

        // when
        List<Object> onDefault = list(map(config.get("DefaultCacheBehavior")).get("FunctionAssociations"));

        // then
        assertEquals(1, onDefault.size());
        assertEquals("viewer-request", map(onDefault.getFirst()).get("EventType"));
        assertEquals(Map.of("Fn::GetAtt", List.of("SiteDirectoryIndexFunction", "FunctionARN")),
                map(onDefault.getFirst()).get("FunctionARN"));
        for (Object behavior : list(config.get("CacheBehaviors"))) {
            assertFalse(map(behavior).containsKey("FunctionAssociations"), "no function on " + map(behavior).get("PathPattern"));
        }
        assertEquals(TEMPLATE.resource("SiteDistribution").get("Condition"),
                TEMPLATE.resource("SiteDirectoryIndexFunction").get("Condition"));
    }

    @Test
    void get_shouldServeTheFoldersIndexHtml_whenTheTemplatesDistributionIsServedByTheLocalEdge() throws Exception {
        // given the project's template in the local stack, and a folder index in its site bucket
        String body = "<h1>blog " + UUID.randomUUID() + "</h1>";
        try (LocalCloud cloud = LocalCloud.start(Project.ROOT.resolve("template.yaml"), Emulators.shared(),
                "dir-index-test", Map.of());
             LocalEdge edge = LocalEdge.start(cloud, Map.of(), "127.0.0.1", 0)) {
            Map<String, String> env = cloud.emulators().environment();
            try (S3Client s3 = S3Client.builder().region(Region.of(env.get("AWS_REGION"))).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                    .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build()) {
                s3.putObject(b -> b.bucket(cloud.physicalId("SiteBucket")).key("blog/index.html").contentType("text/html"),
                        RequestBody.fromString(body));
            }
            HttpClient http = HttpClient.newHttpClient();

            // when
            HttpResponse<String> folder = http.send(HttpRequest.newBuilder(URI.create(edge.endpoint() + "/blog/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> noSlash = http.send(HttpRequest.newBuilder(URI.create(edge.endpoint() + "/blog")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> thumbnail = http.send(HttpRequest.newBuilder(URI.create(edge.endpoint()
                    + "/static/images/thumb/400/300/a.jpg")).build(), HttpResponse.BodyHandlers.ofString());

            // then: the folder serves its index; without the slash there is no such key (OAC: 403)
            assertEquals(200, folder.statusCode());
            assertEquals(body, folder.body());
            assertEquals("Miss from cloudfront", folder.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(403, noSlash.statusCode());
            // no API was given to this edge: the thumbnail origin is unreachable, which CloudFront answers 502
            assertEquals(502, thumbnail.statusCode());
            assertEquals("Error from cloudfront", thumbnail.headers().firstValue("X-Cache").orElseThrow());
        }
    }
}
