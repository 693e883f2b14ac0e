package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediasuite.local.emulator.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionPoolTest {

    /** Answers with an id made at init (one per instance) after sleeping the milliseconds the event names. */
    private static final String PROBE = """
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.nio.charset.StandardCharsets;
            import java.util.UUID;
            public class Probe implements RequestStreamHandler {
                private static final String INSTANCE = UUID.randomUUID().toString();
                public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
                    String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    java.util.regex.Matcher sleep = java.util.regex.Pattern.compile("sleep=(\\\\d+)").matcher(event);
                    try {
                        Thread.sleep(sleep.find() ? Long.parseLong(sleep.group(1)) : 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    String body = "{\\\\\\"instance\\\\\\":\\\\\\"" + INSTANCE + "\\\\\\"}";
                    out.write(("{\\"statusCode\\":200,\\"body\\":\\"" + body + "\\"}").getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    private static FunctionSpec probe;

    @BeforeAll
    static void compileProbe(@TempDir Path dir) {
        probe = TestFunctions.compile(dir, "ProbeFunction", "Probe", PROBE,
                List.of(new FunctionSpec.ApiRoute("ProbeApi", "/probe", "GET", "local", List.of())));
    }

    @Test
    void invoke_shouldRunTwoInstances_whenTwoHttpRequestsOverlap() throws Exception {
        // given
        try (FunctionPool pool = new FunctionPool(probe, 4);
             ApiGatewayServer server = new ApiGatewayServer("ProbeApi", Map.of("ProbeFunction", pool), "127.0.0.1",
                     ChildProcess.freePort())) {
            server.start();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/probe?sleep=800")).build();

            // when
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> second = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());

            // then
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(30, TimeUnit.SECONDS).statusCode());
            assertNotEquals(first.get().body(), second.get().body(), "two overlapping requests, two instances");
            assertEquals(2, pool.instancesStarted());
        }
    }

    @Test
    void invoke_shouldReuseTheWarmInstance_whenInvocationsDoNotOverlap() {
        // given
        try (FunctionPool pool = new FunctionPool(probe, 4)) {
            // when
            String first = new String(pool.invoke(bytes("{}")), StandardCharsets.UTF_8);
            String second = new String(pool.invoke(bytes("{}")), StandardCharsets.UTF_8);

            // then
            assertEquals(first, second);
            assertEquals(1, pool.instancesStarted());
        }
    }

    @Test
    void invoke_shouldThrottle_whenEveryAllowedInstanceIsBusy() throws Exception {
        // given
        try (FunctionPool pool = new FunctionPool(probe, 1)) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<byte[]> busy = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                return pool.invoke(bytes("sleep=1500"));
            });
            started.await();
            Thread.sleep(300);

            // when / then
            assertThrows(FunctionPool.ThrottledException.class, () -> pool.invoke(bytes("{}")));
            assertEquals(1, pool.throttles());
            byte[] waited = pool.invokeWhenFree(bytes("{}"));
            assertEquals(new String(busy.get(), StandardCharsets.UTF_8), new String(waited, StandardCharsets.UTF_8));
            assertEquals(1, pool.instancesStarted());
        }
    }

    @Test
    void invoke_shouldAnswer500_whenTheApiFunctionIsThrottled() throws Exception {
        // given
        try (FunctionPool pool = new FunctionPool(probe, 0);
             ApiGatewayServer server = new ApiGatewayServer("ProbeApi", Map.of("ProbeFunction", pool), "127.0.0.1",
                     ChildProcess.freePort())) {
            server.start();

            // when
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/probe")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // then
            assertEquals(500, response.statusCode());
            assertEquals("{\"message\": \"Internal server error\"}", response.body());
        }
    }

    @Test
    void limitFor_shouldFollowTheTemplate_whenFunctionsDeclareConcurrency() {
        // given
        LocalCloud cloud = LocalCloud.shared();

        // when / then
        assertEquals(FunctionPool.LOCAL_MAX_CONCURRENCY, FunctionPool.limitFor(cloud, "ThumbnailFunction"),
                "ReservedConcurrentExecutions 50, capped locally");
        assertEquals(2, FunctionPool.limitFor(cloud, "InvalidationFunction"), "ScalingConfig.MaximumConcurrency");
        assertEquals(FunctionPool.LOCAL_DEFAULT_CONCURRENCY, FunctionPool.limitFor(cloud, "DeviceApiFunction"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
