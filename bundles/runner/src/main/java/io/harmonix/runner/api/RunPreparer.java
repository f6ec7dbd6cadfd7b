package io.harmonix.runner.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Readies this runtime for a run it is about to drive but did not start: a run taken over from another runtime of
 * the cluster (its lease expired), or one resumed from the journal. Published on the whiteboard; the runner asks
 * every preparer present, and one that comes while the runner waits for the run's agents, before the run's first
 * cycle here. What a run needs besides its agents' code is the preparer's business: the wave coordinator deploys a
 * wave's agent instances, whose configurations exist only in the runtime that started the wave.
 */
@ConsumerType
public interface RunPreparer {
    /**
     * Called on a runner thread before the run resumes here; it may wait (for the agents it deploys). A preparer
     * that has nothing to do with the run returns at once.
     *
     * @throws Exception when this runtime cannot drive the run now: a run taken over from another runtime is then
     *     left (its lease unrenewed, so that it is claimed again after a lease, here or elsewhere); a run resumed at
     *     start or by {@code cycle:resume} goes on with the agents present, as without a preparer
     */
    void prepare(String runId) throws Exception;

    /**
     * The run stopped here because another runtime of the cluster holds its lease now (it goes on there): what
     * {@link #prepare} set up for it here can go. Called on the run's thread after its last cycle here.
     */
    void released(String runId);
}
