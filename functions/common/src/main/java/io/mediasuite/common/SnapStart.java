package io.mediasuite.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Priming for Lambda SnapStart, through the CRaC runtime hooks ({@code org.crac}) that Lambda's Java runtime
 * calls: work registered with {@link #beforeSnapshot} runs once, after init and just before Lambda snapshots the
 * published version, so every execution environment restored from that snapshot starts with it done.
 *
 * <p>What belongs here: loading and linking classes and warming code paths (JSON (de)serializers of the event
 * types, image codecs) with canned data. What does not: anything unique or time-bound (random seeds, ids,
 * timestamps, credentials: each restored environment would share them) and network calls (a connection opened
 * now would be stale in every restored copy). Without SnapStart (local runs, tests, $LATEST) the hooks never run
 * and cost nothing: {@code org.crac} falls back to a context that ignores them.
 *
 * <p>A priming failure is logged, never thrown: a snapshot without priming is slower, a failed snapshot is an
 * outage of the deployment.
 */
public final class SnapStart {

    /** org.crac keeps weak references to registered resources; these keep them alive. */
    private static final List<Primer> PRIMERS = new CopyOnWriteArrayList<>();

    private SnapStart() {
    }

    /** Runs {@code work} once before the snapshot. */
    public static void beforeSnapshot(String name, Runnable work) {
        Primer primer = new Primer(name, work);
        PRIMERS.add(primer);
        Core.getGlobalContext().register(primer);
    }

    /**
     * Runs every registered priming now, as the snapshot would (tests and the cold-start benchmark use it to
     * check that priming works without a network and to measure it).
     *
     * @return how many ran
     */
    public static int primeNow() {
        PRIMERS.forEach(Primer::prime);
        return PRIMERS.size();
    }

    private record Primer(String name, Runnable work) implements Resource {

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            prime();
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            // Nothing was kept that a restored copy must renew: priming holds no connections or unique state.
        }

        void prime() {
            long start = System.nanoTime();
            try {
                work.run();
                Log.debug("primed before snapshot", "priming", name, "ms", (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException | LinkageError e) {
                Log.error("priming failed; the snapshot is taken without it", e, "priming", name);
            }
        }
    }
}
