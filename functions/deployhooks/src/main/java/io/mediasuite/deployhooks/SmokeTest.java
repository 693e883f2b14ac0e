package io.mediasuite.deployhooks;

/**
 * One smoke check of a function's new version: real requests through {@link TargetVersion}, each answer
 * checked. Cleans up whatever it created, also when a check fails.
 */
public interface SmokeTest {

    /** The name the hook's {@code SMOKE_TEST} variable selects it by. */
    String name();

    /**
     * Runs the check.
     *
     * @param target the new version, invocable
     * @param runId  unique per hook execution; use it to name whatever the check creates
     * @throws SmokeFailure when the version misbehaves
     */
    void run(TargetVersion target, String runId) throws SmokeFailure;
}
