package io.mediasuite.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A protocol-level stand-in for the one CodeDeploy operation a Lambda lifecycle hook calls,
 * {@code PutLifecycleEventHookExecutionStatus}, so hooks can be run without AWS (moto does not implement it).
 *
 * <p>It speaks CodeDeploy's wire protocol (AWS JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: CodeDeploy_20141006.<Operation>}) so the SDK's {@code CodeDeployClient} works against it
 * unchanged, and follows the operation's documented behaviour:
 * <ul>
 *   <li>{@code deploymentId} is required ({@code DeploymentIdRequiredException}) and must look like a deployment
 *       id ({@code InvalidDeploymentIdException}); an unknown deployment is {@code DeploymentDoesNotExistException};</li>
 *   <li>{@code lifecycleEventHookExecutionId} must name a hook execution of that deployment
 *       ({@code InvalidLifecycleEventHookExecutionIdException});</li>
 *   <li>{@code status} may only be {@code Succeeded} or {@code Failed}
 *       ({@code InvalidLifecycleEventHookExecutionStatusException});</li>
 *   <li>a hook execution is reported once: a second report is {@code LifecycleEventAlreadyCompletedException};</li>
 *   <li>the answer is {@code {"lifecycleEventHookExecutionId": ...}}.</li>
 * </ul>
 * Errors are HTTP 400 with {@code {"__type": ..., "message": ...}}, as JSON 1.1 services answer.
 *
 * <p>{@link #startHook(String)} plays the part of CodeDeploy starting a deployment's BeforeAllowTraffic hook: it
 * registers the execution and returns the lifecycle event CodeDeploy would send to the hook function. What the
 * hook reported is then read with {@link #awaitStatus}. A stand-in created with {@link #accepting()} (the local
 * runner's) also accepts reports for deployments it never started, since {@code sam local} has no CodeDeploy
 * that could start one, and lets an execution report again so a sample event can be invoked repeatedly; the
 * strict one ({@link #strict()}) behaves as CodeDeploy does and is the one tests use. Not emulated: IAM, every
 * other operation, hook time-outs.
 */
public final class LocalCodeDeploy implements AutoCloseable {

    /** The lifecycle event CodeDeploy sends to a hook function. */
    public record LifecycleEvent(String deploymentId, String lifecycleEventHookExecutionId) {
        /** As JSON, in CodeDeploy's field names. */
        public String toJson() {
            return Jsons.write(Map.of("DeploymentId", deploymentId,
                    "LifecycleEventHookExecutionId", lifecycleEventHookExecutionId));
        }
    }

    private static final String TARGET_PREFIX = "CodeDeploy_20141006.";
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("^d-[A-Z0-9]{9}$");
    private static final List<String> REPORTABLE = List.of("Succeeded", "Failed");

    private final HttpServer server;
    private final boolean acceptUnknown;
    /** deploymentId -> (executionId -> reported status, or "Pending"). */
    private final Map<String, Map<String, String>> deployments = new ConcurrentHashMap<>();

    private LocalCodeDeploy(boolean acceptUnknown) throws IOException {
        this.acceptUnknown = acceptUnknown;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Only deployments started with {@link #startHook} exist (for tests). */
    public static LocalCodeDeploy strict() throws IOException {
        return new LocalCodeDeploy(false);
    }

    /** Any well-formed deployment and execution id is accepted and recorded (for the local runner). */
    public static LocalCodeDeploy accepting() throws IOException {
        return new LocalCodeDeploy(true);
    }

    /** The endpoint to give the SDK ({@code AWS_ENDPOINT_URL_CODEDEPLOY}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Starts a deployment's PreTraffic hook: returns the event CodeDeploy would invoke the hook function with. */
    public LifecycleEvent startHook(String deploymentId) {
        if (!DEPLOYMENT_ID.matcher(deploymentId).matches()) {
            throw new IllegalArgumentException("not a deployment id: " + deploymentId);
        }
        String executionId = "eyJkZXBsb3ltZW50SWQiOi" + UUID.randomUUID().toString().replace("-", "");
        deployments.computeIfAbsent(deploymentId, d -> new ConcurrentHashMap<>()).put(executionId, "Pending");
        return new LifecycleEvent(deploymentId, executionId);
    }

    /** What the hook reported for this execution: empty while it has reported nothing. */
    public Optional<String> status(LifecycleEvent event) {
        String status = deployments.getOrDefault(event.deploymentId(), Map.of()).get(event.lifecycleEventHookExecutionId());
        return status == null || status.equals("Pending") ? Optional.empty() : Optional.of(status);
    }

    /** Waits up to {@code timeout} for the hook to report (hooks may report from a background thread). */
    public Optional<String> awaitStatus(LifecycleEvent event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> status = status(event);
        while (status.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            status = status(event);
        }
        return status;
    }

    /** Every report received, by deployment id then execution id (for the runner's log and for tests). */
    public Map<String, Map<String, String>> reports() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        deployments.forEach((id, executions) -> copy.put(id, Map.copyOf(executions)));
        return copy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            if (!exchange.getRequestMethod().equalsIgnoreCase("POST") || !target.startsWith(TARGET_PREFIX)) {
                error(exchange, "UnknownOperationException", "expected POST / with X-Amz-Target " + TARGET_PREFIX + "*");
                return;
            }
            String operation = target.substring(TARGET_PREFIX.length());
            if (!operation.equals("PutLifecycleEventHookExecutionStatus")) {
                error(exchange, "UnknownOperationException", operation + " is not emulated");
                return;
            }
            JsonNode request;
            try {
                request = Jsons.MAPPER.readTree(body);
            } catch (IOException e) {
                error(exchange, "SerializationException", "malformed JSON request");
                return;
            }
            putLifecycleEventHookExecutionStatus(exchange, request);
        }
    }

    private void putLifecycleEventHookExecutionStatus(HttpExchange exchange, JsonNode request) throws IOException {
        String deploymentId = request.path("deploymentId").asText("");
        String executionId = request.path("lifecycleEventHookExecutionId").asText("");
        String status = request.path("status").asText("");
        if (deploymentId.isEmpty()) {
            error(exchange, "DeploymentIdRequiredException", "At least one deployment ID must be specified.");
            return;
        }
        if (!DEPLOYMENT_ID.matcher(deploymentId).matches()) {
            error(exchange, "InvalidDeploymentIdException",
                    "Specified DeploymentId is not in the valid format: " + deploymentId);
            return;
        }
        if (!deployments.containsKey(deploymentId) && !acceptUnknown) {
            error(exchange, "DeploymentDoesNotExistException", "The deployment " + deploymentId + " could not be found.");
            return;
        }
        Map<String, String> executions = deployments.computeIfAbsent(deploymentId, d -> new ConcurrentHashMap<>());
        if (executionId.isEmpty() || (!executions.containsKey(executionId) && !acceptUnknown)) {
            error(exchange, "InvalidLifecycleEventHookExecutionIdException",
                    "The lifecycle event hook execution id " + executionId + " is not valid for deployment " + deploymentId);
            return;
        }
        if (!REPORTABLE.contains(status)) {
            error(exchange, "InvalidLifecycleEventHookExecutionStatusException",
                    "The status " + status + " is not valid; only Succeeded and Failed can be reported.");
            return;
        }
        boolean recorded = executions.putIfAbsent(executionId, status) == null
                || executions.replace(executionId, "Pending", status);
        if (!recorded && acceptUnknown) {
            // The runner's stand-in lets a sample event be invoked again; real CodeDeploy would refuse.
            executions.put(executionId, status);
            recorded = true;
        }
        if (!recorded) {
            error(exchange, "LifecycleEventAlreadyCompletedException",
                    "The lifecycle event " + executionId + " has already completed with " + executions.get(executionId));
            return;
        }
        respond(exchange, 200, Jsons.write(Map.of("lifecycleEventHookExecutionId", executionId)));
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        respond(exchange, 400, Jsons.write(Map.of("__type", type, "message", message)));
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
