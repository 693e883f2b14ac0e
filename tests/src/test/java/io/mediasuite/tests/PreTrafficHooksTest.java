package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.LambdaInvokeServer;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalCodeDeploy;
import io.mediasuite.local.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every PreTraffic hook of template.yaml, run as CodeDeploy runs it: the hook function (its packaged artifact,
 * its template environment) is invoked with the lifecycle event of a deployment started on a CodeDeploy stand-in
 * ({@link LocalCodeDeploy}, strict: only that deployment exists). It invokes its target's version through the
 * Lambda Invoke API ({@link LambdaInvokeServer}) and must report to CodeDeploy:
 * <ul>
 *   <li>{@code Succeeded} when the target is the healthy build of this checkout;</li>
 *   <li>{@code Failed} when the target is a broken build: a handler class that does not load, or (for the
 *       smoke tests that read or write data) an environment naming a table or bucket that does not exist.
 *       CodeDeploy then stops the deployment and the alias stays on the old version.</li>
 * </ul>
 */
class PreTrafficHooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOOK_HANDLER = "io.mediasuite.deployhooks.PreTrafficHookHandler::handleRequest";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();

    private static LocalCodeDeploy codeDeploy;
    private static final List<AutoCloseable> OPENED = new ArrayList<>();

    @BeforeAll
    static void startCodeDeploy() throws Exception {
        codeDeploy = LocalCodeDeploy.strict();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : OPENED) {
            closeable.close();
        }
        codeDeploy.close();
    }

    @TestFactory
    Stream<DynamicTest> hook_shouldReportSucceeded_whenTheNewVersionIsHealthy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String hook : hooks()) {
            tests.add(dynamicTest(hook, () -> {
                // given a deployment of the healthy build; the hook reaches it through the stack's Lambda endpoint
                LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook(nextDeploymentId());

                // when
                JsonNode outcome = runHook(hook, LocalCloud.shared().lambdaService(), event);

                // then
                assertEquals(Optional.of("Succeeded"), codeDeploy.status(event), hook + " reported " + outcome);
                assertTrue(outcome.path("succeeded").asBoolean(), outcome.toString());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> hook_shouldReportFailed_whenTheNewVersionDoesNotLoad() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String hook : hooks()) {
            tests.add(dynamicTest(hook, () -> {
                // given a build whose handler class is missing (a broken package)
                LambdaInvokeServer broken = serveBroken(hook, spec -> new FunctionSpec(spec.logicalId(),
                        spec.functionName(), "io.mediasuite.missing.NoSuchHandler::handleRequest", spec.codeUri(),
                        spec.memoryMb(), spec.timeoutSeconds(), spec.environment(), spec.routes(), spec.artifactDir()));
                LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook(nextDeploymentId());

                // when
                JsonNode outcome = runHook(hook, broken, event);

                // then
                assertEquals(Optional.of("Failed"), codeDeploy.status(event), hook + " reported " + outcome);
                assertFalse(outcome.path("succeeded").asBoolean(), outcome.toString());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> hook_shouldReportFailed_whenTheNewVersionsEnvironmentNamesMissingResources() {
        // Per smoke test, the resource it reads or writes through the target, and a name for it that does not
        // exist. (The push and invalidation checks touch no resource: publishing or invalidating for real would
        // reach devices and CloudFront; their targets' data paths are watched by the canary's alarms instead.)
        Map<String, Map<String, String>> breakages = Map.of(
                "device-registration", Map.of("DEVICES_TABLE", "no-such-table"),
                "endpoint-feedback", Map.of("DEVICES_TABLE", "no-such-table"),
                "notification-lookup", Map.of("NOTIFICATIONS_TABLE", "no-such-table"),
                "thumbnail", Map.of("IMAGES_BUCKET", "no-such-bucket-pretraffic"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String hook : hooks()) {
            FunctionSpec target = target(hook);
            Map<String, String> overrides = breakages.get(LocalCloud.shared().function(hook).environment().get("SMOKE_TEST"));
            if (overrides != null) {
                assertTrue(target.environment().keySet().containsAll(overrides.keySet()),
                        target.logicalId() + " is not configured by " + overrides.keySet());
                tests.add(dynamicTest(hook + " with " + overrides, () -> {
                    // given a build deployed with an environment that breaks it
                    LambdaInvokeServer broken = serveBroken(hook, spec -> {
                        Map<String, String> env = new LinkedHashMap<>(spec.environment());
                        env.putAll(overrides);
                        return spec.withEnvironment(env);
                    });
                    LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook(nextDeploymentId());

                    // when
                    JsonNode outcome = runHook(hook, broken, event);

                    // then
                    assertEquals(Optional.of("Failed"), codeDeploy.status(event), hook + " reported " + outcome);
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no hook targets a function with a breakable resource variable");
        return tests.stream();
    }

    /** Logical ids of the template's PreTraffic hook functions. */
    private static List<String> hooks() {
        LocalCloud cloud = LocalCloud.shared();
        List<String> hooks = cloud.functionIds().stream()
                .filter(id -> HOOK_HANDLER.equals(cloud.function(id).handler())).toList();
        assertFalse(hooks.isEmpty(), "template.yaml declares no PreTraffic hook");
        return hooks;
    }

    /** The function a hook tests: the one whose version TARGET_VERSION_ARN names. */
    private static FunctionSpec target(String hook) {
        LocalCloud cloud = LocalCloud.shared();
        String arn = cloud.function(hook).environment().get("TARGET_VERSION_ARN");
        String name = arn.split(":")[6];
        return cloud.functionIds().stream().map(cloud::function).filter(f -> f.functionName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(hook + " targets " + arn + ", no function of the stack"));
    }

    /** A Lambda endpoint serving the hook's target as {@code breaker} breaks it, and nothing else. */
    private static LambdaInvokeServer serveBroken(String hook, UnaryOperator<FunctionSpec> breaker) throws Exception {
        FunctionSpec broken = breaker.apply(target(hook));
        List<LocalLambda> loaded = new ArrayList<>();
        LambdaInvokeServer server = LambdaInvokeServer.startOnLoopback((name, qualifier) -> {
            if (!name.equals(broken.functionName())) {
                return Optional.empty();
            }
            LocalLambda lambda = LocalLambda.load(broken);
            loaded.add(lambda);
            return Optional.of(new LambdaInvokeServer.Target(lambda, qualifier == null ? "$LATEST" : qualifier));
        }, "us-east-1");
        OPENED.add(server);
        OPENED.add(() -> loaded.forEach(LocalLambda::close));
        return server;
    }

    /** Invokes the hook function with the lifecycle event, its Lambda and CodeDeploy endpoints set as given. */
    private static JsonNode runHook(String hook, LambdaInvokeServer lambda, LocalCodeDeploy.LifecycleEvent event)
            throws Exception {
        FunctionSpec spec = LocalCloud.shared().function(hook);
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_CODEDEPLOY", codeDeploy.endpoint().toString());
        try (LocalLambda function = LocalLambda.load(spec.withEnvironment(env))) {
            byte[] response = function.invoke(event.toJson().getBytes(StandardCharsets.UTF_8));
            return JSON.readTree(response);
        }
    }

    private static String nextDeploymentId() {
        return String.format("d-TEST%05d", DEPLOYMENTS.incrementAndGet());
    }
}
