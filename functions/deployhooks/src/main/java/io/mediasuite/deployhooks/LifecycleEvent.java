package io.mediasuite.deployhooks;

/**
 * What CodeDeploy invokes a lifecycle hook with: {@code {"DeploymentId": "d-…", "LifecycleEventHookExecutionId": "…"}}.
 * Both are needed to report the hook's result; neither says which version is being deployed (the hook's
 * configuration does, see {@link HookConfig}).
 */
public record LifecycleEvent(String deploymentId, String lifecycleEventHookExecutionId) {

    /** Whether the event carries both ids, without which no result can be reported. */
    public boolean complete() {
        return deploymentId != null && !deploymentId.isBlank()
                && lifecycleEventHookExecutionId != null && !lifecycleEventHookExecutionId.isBlank();
    }
}
