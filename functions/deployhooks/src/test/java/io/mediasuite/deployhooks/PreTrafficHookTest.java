package io.mediasuite.deployhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.local.LocalCodeDeploy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentDoesNotExistException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The hook's verdict logic against the CodeDeploy stand-in (strict: as CodeDeploy behaves), reached through the
 * SDK client the hook builds. The smoke tests here are plain implementations of the interface; the real ones
 * run against real function builds in the tests module (PreTrafficHooksTest).
 */
class PreTrafficHookTest {

    private static final String VERSION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:media-suite-DeviceApi:7";

    private LocalCodeDeploy codeDeploy;
    private AwsClients clients;

    @BeforeEach
    void start() throws Exception {
        codeDeploy = LocalCodeDeploy.strict();
        clients = new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL_CODEDEPLOY", codeDeploy.endpoint().toString(),
                "AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9")));
    }

    @AfterEach
    void stop() {
        codeDeploy.close();
    }

    @Test
    void run_shouldReportSucceeded_whenTheSmokeTestPasses() {
        // given
        LocalCodeDeploy.LifecycleEvent started = codeDeploy.startHook("d-PASSES001");
        String[] runId = new String[1];

        // when
        PreTrafficHook.Outcome outcome = hook((target, id) -> runId[0] = id).run(event(started));

        // then
        assertTrue(outcome.succeeded());
        assertEquals(Optional.of("Succeeded"), codeDeploy.status(started));
        assertEquals("pretraffic-d-passes001", runId[0]);
    }

    @Test
    void run_shouldReportFailedWithTheReason_whenTheSmokeTestFails() {
        // given
        LocalCodeDeploy.LifecycleEvent started = codeDeploy.startHook("d-FAILS0001");

        // when
        PreTrafficHook.Outcome outcome = hook((target, id) -> {
            throw new SmokeFailure("GET /devices/x: expected status [200], got 500");
        }).run(event(started));

        // then
        assertFalse(outcome.succeeded());
        assertTrue(outcome.reason().contains("got 500"), outcome.reason());
        assertEquals(Optional.of("Failed"), codeDeploy.status(started));
    }

    @Test
    void run_shouldReportFailed_whenTheSmokeTestCrashes() {
        // given
        LocalCodeDeploy.LifecycleEvent started = codeDeploy.startHook("d-CRASHES01");

        // when
        PreTrafficHook.Outcome outcome = hook((target, id) -> {
            throw new IllegalStateException("unexpected");
        }).run(event(started));

        // then
        assertFalse(outcome.succeeded());
        assertEquals(Optional.of("Failed"), codeDeploy.status(started));
    }

    @Test
    void run_shouldFailTheInvocation_whenCodeDeployRefusesTheReport() {
        // given a deployment CodeDeploy does not know: the verdict cannot be delivered
        LifecycleEvent unknown = new LifecycleEvent("d-UNKNOWN01", "execution");

        // when / then: the invocation fails, so CodeDeploy times the hook out and rolls back
        assertThrows(DeploymentDoesNotExistException.class, () -> hook((target, id) -> { }).run(unknown));
    }

    @Test
    void run_shouldRefuseTheEvent_whenItLacksTheIds() {
        // given
        LifecycleEvent incomplete = new LifecycleEvent("d-NOEXEC001", " ");

        // when / then
        assertThrows(IllegalArgumentException.class, () -> hook((target, id) -> { }).run(incomplete));
        assertTrue(codeDeploy.reports().isEmpty());
    }

    private PreTrafficHook hook(SmokeBody body) {
        SmokeTest smoke = new SmokeTest() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void run(TargetVersion target, String runId) throws SmokeFailure {
                body.run(target, runId);
            }
        };
        return new PreTrafficHook(smoke, new TargetVersion(clients.build(LambdaClient.builder(), "LAMBDA"), VERSION_ARN),
                new DeploymentReporter(clients.build(CodeDeployClient.builder(), "CODEDEPLOY")));
    }

    private static LifecycleEvent event(LocalCodeDeploy.LifecycleEvent started) {
        return new LifecycleEvent(started.deploymentId(), started.lifecycleEventHookExecutionId());
    }

    @FunctionalInterface
    private interface SmokeBody {
        void run(TargetVersion target, String runId) throws SmokeFailure;
    }
}
