package io.harmonix.runner.internal;

import io.harmonix.runner.api.RunPreparer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link RunPreparer}s of the whiteboard, and the wait of a run about to resume here for its agents: each
 * preparer is asked once, also one that comes during the wait (at a runtime's start the runner's recovery and the
 * claims of other runtimes' runs may begin before the bundle that prepares those runs has published its preparer).
 */
final class RunPreparers {
    private final List<RunPreparer> all = new CopyOnWriteArrayList<>();
    private final AgentDirectory agents;
    private final RunnerLog log;

    RunPreparers(AgentDirectory agents, RunnerLog log) {
        this.agents = agents;
        this.log = log;
    }

    void add(RunPreparer p) {
        all.add(p);
    }

    void remove(RunPreparer p) {
        all.remove(p);
    }

    /**
     * Prepares the run with every preparer, then waits until its agents are present or {@code endNanos} has come,
     * asking any preparer that comes meanwhile too.
     *
     * @return the agents still absent
     * @throws Exception the first preparer's failure (the others asked are not undone)
     */
    List<String> prepareAndAwait(String runId, List<String> agentIds, long endNanos) throws Exception {
        Set<RunPreparer> asked = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            for (RunPreparer p : all) {
                if (asked.add(p)) {
                    p.prepare(runId);
                }
            }
            List<String> missing = agents.awaitPresent(agentIds, Math.min(endNanos, System.nanoTime()
                    + 100_000_000L));
            if (missing.isEmpty() || System.nanoTime() >= endNanos) {
                return missing;
            }
        }
    }

    /** Tells every preparer that the run stopped here because another runtime holds it now. */
    void released(String runId) {
        for (RunPreparer p : new ArrayList<>(all)) {
            try {
                p.released(runId);
            } catch (RuntimeException e) {
                log.warn("run " + runId + ": a preparer failed to let it go here: " + e.getMessage(), e);
            }
        }
    }
}
