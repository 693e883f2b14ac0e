package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.InvalidLifecycleEventHookExecutionIdException;
import software.amazon.awssdk.services.codedeploy.model.InvalidLifecycleEventHookExecutionStatusException;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/** The CodeDeploy stand-in driven by the AWS SDK's CodeDeploy client, as a hook drives it. */
class LocalCodeDeployTest {

    private LocalCodeDeploy codeDeploy;
    private CodeDeployClient client;

    @BeforeEach
    void start() throws Exception {
        codeDeploy = LocalCodeDeploy.strict();
        client = CodeDeployClient.builder()
                .endpointOverride(codeDeploy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        codeDeploy.close();
    }

    @Test
    void putLifecycleEventHookExecutionStatus_shouldRecordTheVerdict_whenTheHookReportsOnce() throws Exception {
        // given
        LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook("d-ABCDEF123");

        // when
        String echoed = client.putLifecycleEventHookExecutionStatus(b -> b.deploymentId(event.deploymentId())
                .lifecycleEventHookExecutionId(event.lifecycleEventHookExecutionId())
                .status(LifecycleEventStatus.FAILED)).lifecycleEventHookExecutionId();

        // then
        assertEquals(event.lifecycleEventHookExecutionId(), echoed);
        assertEquals(Optional.of("Failed"), codeDeploy.awaitStatus(event, Duration.ofSeconds(1)));
    }

    @Test
    void putLifecycleEventHookExecutionStatus_shouldRejectASecondReport_whenAlreadyCompleted() {
        // given
        LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook("d-ABCDEF124");
        report(event, LifecycleEventStatus.SUCCEEDED);

        // when / then
        assertThrows(LifecycleEventAlreadyCompletedException.class, () -> report(event, LifecycleEventStatus.FAILED));
        assertEquals(Optional.of("Succeeded"), codeDeploy.status(event));
    }

    @Test
    void putLifecycleEventHookExecutionStatus_shouldRejectUnknownIdsAndStatuses_whenNotStarted() {
        // given
        LocalCodeDeploy.LifecycleEvent event = codeDeploy.startHook("d-ABCDEF125");

        // when / then
        assertThrows(DeploymentDoesNotExistException.class,
                () -> report(new LocalCodeDeploy.LifecycleEvent("d-NOTSTART1", "x"), LifecycleEventStatus.SUCCEEDED));
        assertThrows(InvalidLifecycleEventHookExecutionIdException.class,
                () -> report(new LocalCodeDeploy.LifecycleEvent(event.deploymentId(), "other"), LifecycleEventStatus.SUCCEEDED));
        assertThrows(InvalidLifecycleEventHookExecutionStatusException.class, () -> report(event, LifecycleEventStatus.IN_PROGRESS));
        assertTrue(codeDeploy.status(event).isEmpty());
    }

    private void report(LocalCodeDeploy.LifecycleEvent event, LifecycleEventStatus status) {
        client.putLifecycleEventHookExecutionStatus(b -> b.deploymentId(event.deploymentId())
                .lifecycleEventHookExecutionId(event.lifecycleEventHookExecutionId()).status(status));
    }
}
