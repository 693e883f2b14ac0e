package io.mediasuite.deployhooks;

import java.util.List;
import java.util.Set;

/**
 * Push worker: an empty batch must come back with no failure, and a batch holding one task that is not a task
 * must come back with exactly that message failed (retried, then dead-lettered) rather than crash the batch or
 * vanish. No real task is sent: it would push to real devices.
 */
final class PushTaskSmokeTest implements SmokeTest {

    static final String NAME = "push-task";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        Set<String> none = SqsBatches.failedIds("empty batch",
                target.invoke("empty batch", SqsBatches.batch(target, runId, List.of())));
        if (!none.isEmpty()) {
            throw new SmokeFailure("empty batch: reported failed items " + none);
        }
        String what = "batch with one malformed task";
        Set<String> failed = SqsBatches.failedIds(what,
                target.invoke(what, SqsBatches.batch(target, runId, List.of("{\"pretraffic\":\"not a push task\"}"))));
        if (!failed.equals(Set.of(runId + "-0"))) {
            throw new SmokeFailure(what + ": expected exactly " + runId + "-0 reported failed, got " + failed);
        }
    }
}
