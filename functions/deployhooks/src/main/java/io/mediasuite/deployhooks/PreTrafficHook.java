package io.mediasuite.deployhooks;

import io.mediasuite.common.Log;
import java.util.Locale;

/**
 * Runs a smoke test against the new version and reports the verdict to CodeDeploy. Any failure of the check,
 * including one nobody anticipated, is a {@code Failed} verdict, which makes CodeDeploy stop the deployment and
 * leave (or put back) all traffic on the old version.
 */
public final class PreTrafficHook {

    /** The verdict and, when it failed, why. */
    public record Outcome(boolean succeeded, String reason) {
    }

    private final SmokeTest smokeTest;
    private final TargetVersion target;
    private final DeploymentReporter reporter;

    public PreTrafficHook(SmokeTest smokeTest, TargetVersion target, DeploymentReporter reporter) {
        this.smokeTest = smokeTest;
        this.target = target;
        this.reporter = reporter;
    }

    public Outcome run(LifecycleEvent event) {
        if (event == null || !event.complete()) {
            // Without both ids there is nobody to report to; failing the invocation is all that is left.
            throw new IllegalArgumentException("not a CodeDeploy lifecycle event: " + event);
        }
        Outcome outcome = check(event);
        reporter.report(event, outcome.succeeded());
        Log.info(outcome.succeeded() ? "pre-traffic check passed; traffic may shift"
                        : "pre-traffic check failed; deployment will roll back",
                "deploymentId", event.deploymentId(), "smokeTest", smokeTest.name(),
                "targetVersion", target.versionArn(), "reason", outcome.reason());
        return outcome;
    }

    private Outcome check(LifecycleEvent event) {
        // Unique per execution and readable in the target's logs and data: "pretraffic-d-abc123xyz".
        String runId = "pretraffic-" + event.deploymentId().toLowerCase(Locale.ROOT);
        try {
            smokeTest.run(target, runId);
            return new Outcome(true, null);
        } catch (SmokeFailure e) {
            return new Outcome(false, e.getMessage());
        } catch (RuntimeException e) {
            Log.error("smoke test crashed", e, "smokeTest", smokeTest.name());
            return new Outcome(false, "smoke test crashed: " + e);
        }
    }
}
