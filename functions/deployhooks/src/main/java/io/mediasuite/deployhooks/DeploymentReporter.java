package io.mediasuite.deployhooks;

import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/** Tells CodeDeploy how a lifecycle hook ended: {@code PutLifecycleEventHookExecutionStatus}. */
public final class DeploymentReporter {

    private final CodeDeployClient codeDeploy;

    public DeploymentReporter(CodeDeployClient codeDeploy) {
        this.codeDeploy = codeDeploy;
    }

    /**
     * Reports the result. Exceptions propagate: a hook that cannot report must fail its invocation, and CodeDeploy
     * then fails the deployment when the hook times out, which rolls it back.
     */
    public void report(LifecycleEvent event, boolean succeeded) {
        codeDeploy.putLifecycleEventHookExecutionStatus(b -> b
                .deploymentId(event.deploymentId())
                .lifecycleEventHookExecutionId(event.lifecycleEventHookExecutionId())
                .status(succeeded ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED));
    }
}
