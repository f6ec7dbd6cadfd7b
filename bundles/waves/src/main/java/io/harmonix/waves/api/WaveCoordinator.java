package io.harmonix.waves.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Deploys enhancement agents in waves over a target's components, and keeps them from getting in each other's way. */
@ProviderType
public interface WaveCoordinator {
    /**
     * Plans a wave, deploys its instances, claims their components and starts its run.
     *
     * @return the wave as it is once its run started
     * @throws IllegalArgumentException for a target that cannot be analysed, an unknown component, or a target
     *     whose components are all owned by running waves
     */
    Wave start(WaveRequest request);

    /**
     * Starts infinite mode over a target: a series of waves, one per interval (the first at once), never more than
     * the throttle's instances at once and fewer when the machine is loaded, until {@link #stopInfinite} of its id. It goes
     * on after a restart.
     *
     * @return the series as it is after its first tick
     * @throws IllegalArgumentException for a target that cannot be analysed
     */
    InfiniteSeries startInfinite(InfiniteRequest request);

    /** @return every infinite-mode series, newest first */
    List<InfiniteSeries> series();

    /**
     * Stops a wave from any runtime of the cluster: the stop is recorded in the wave's row, its runs this runtime
     * drives (or that nobody drives) are stopped here, and each runtime driving another of its runs stops it at its
     * next cycle or within a second; once every run has ended, the wave is stopped: its instances removed, its
     * leases released.
     *
     * @return the wave as it is once its runs here have stopped: {@link WaveStatus#STOPPED}, or still running with
     *     a message saying which runs stop elsewhere
     * @throws IllegalArgumentException for an unknown id
     */
    Wave stop(String waveId);

    /** Stops an infinite-mode series and its running waves. @throws IllegalArgumentException for an unknown id */
    InfiniteSeries stopInfinite(String seriesId);

    /** @return every wave recorded, newest first */
    List<Wave> waves();

    /**
     * A page of {@link #waves()}, read as a page from where the waves are kept (a console page never reads them all).
     * The default cuts it from {@link #waves()}, for providers that keep few.
     *
     * @return at most {@code limit} waves from the {@code offset}-th, newest first
     * @throws IllegalArgumentException for a negative offset or a limit below 1
     * @since 1.1
     */
    default List<Wave> waves(int offset, int limit) {
        checkPage(offset, limit);
        return waves().stream().skip(offset).limit(limit).toList();
    }

    /** @throws IllegalArgumentException for a negative offset or a limit below 1, naming it */
    static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: expected 0 or more, got " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit: expected 1 or more, got " + limit);
        }
    }

    Optional<Wave> wave(String waveId);

    /** @return what a wave found and proposed, merged, with its conflicts @throws IllegalArgumentException unknown */
    WaveReport report(String waveId);

    /** @return the agent instances of the running waves */
    List<AgentInstance> activeAgents();
}
