package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.RunRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Runs brought back from the journal: interrupted runs resumed where their last committed cycle left them, forks
 * of a past cycle, and the index caught up with cycles committed but not recorded when a run or its process ended.
 * It reads the journal and decides where a run goes on from; {@link RunEngine} registers and drives the run.
 */
final class RunRecovery {
    /**
     * How many of a run's last committed cycles the index may lack after a crash: it syncs a run's record while the
     * run commits its next cycle, and waits for that sync before it writes the next record.
     */
    static final int UNSYNCED_RECORDS = 2;

    /** What recovery asks of the run control. */
    interface RunControl {
        /** @return whether the run is in this runner's memory (going, or finished recently) */
        boolean isLive(String runId);

        /**
         * @return true when this runner may drive the run: no other runtime of the cluster holds its lease (it is
         *     this runtime's now), or there is no cluster
         */
        boolean claim(String runId);

        /**
         * Registers and starts a run recovered from its journal record, unless it is live already.
         *
         * @param states each agent's state after the run's last committed cycle
         * @return the run
         */
        RunInfo startRecovered(RunRecord record, RunRequest request, Map<String, JsonNode> states);

        /** @return the error for a run id nobody knows, naming the runs there are */
        IllegalArgumentException unknownRun(String runId);

        /** @return false when this runner has no room for one more run now ({@code maxRuns}); else a place is kept */
        boolean reserve();

        /** Gives back the place {@link #reserve} kept. */
        void unreserve();

        /**
         * A run to go on for which there is no room here, or one journaled as offered: offered by lease (queued
         * here without a cluster node), journaled as offered.
         */
        void offer(RunRecord record);
    }

    /**
     * A new run that goes on from a past cycle of another.
     *
     * @param request its definition (its id, and its last cycle)
     * @param startCycle its first cycle, the one after the cycle it was forked at
     * @param forkedFrom {@code <run>:<cycle>}
     * @param states each agent's state after the cycle it was forked at
     */
    record Fork(RunRequest request, long startCycle, String forkedFrom, Map<String, JsonNode> states) {
    }

    private final RunnerJournal journal;
    private final RunPreparers preparers;
    private final CycleRecorders recorders;
    private final RunControl control;
    private final RunnerLog log;
    private final BooleanSupplier runnerClosed;

    RunRecovery(RunnerJournal journal, RunPreparers preparers, CycleRecorders recorders, RunControl control,
            RunnerLog log, BooleanSupplier runnerClosed) {
        this.journal = journal;
        this.preparers = preparers;
        this.recorders = recorders;
        this.control = control;
        this.log = log;
        this.runnerClosed = runnerClosed;
    }

    /**
     * @return whether the journal has the run ended now (a preparer may stop a run it is asked to prepare: a run of
     *     a wave that has ended), or null when the journal does not answer
     */
    static Boolean endedNow(RunJournal j, String runId) {
        try {
            return j.run(runId).map(RunRecord::finished).orElse(true);
        } catch (IOException e) {
            return null;
        }
    }

    /** See {@link RunEngine#resumeInterrupted(Duration)}. */
    List<String> resumeInterrupted(Duration agentWait) {
        List<String> resumed = new ArrayList<>();
        RunJournal j = journal.current();
        if (j == null) {
            return resumed;
        }
        long end = System.nanoTime() + agentWait.toNanos();
        try {
            for (RunRecord r : j.runs()) {
                if (!r.finished() && !control.isLive(r.runId())) {
                    if ("offered".equals(r.state())) {
                        // never started: offered again (its lease may have gone with a node that has none now), or
                        // queued here without a node
                        try {
                            control.offer(r);
                        } catch (RuntimeException e) {
                            log.error("run " + r.runId() + " could not be offered: " + e.getMessage(), e);
                        }
                        continue;
                    }
                    if (!control.reserve()) {
                        try {
                            if (control.claim(r.runId())) {
                                log.info("run " + r.runId() + " is offered: no room for it here (maxRuns)");
                                control.offer(r);
                            }
                        } catch (RuntimeException e) {
                            log.error("run " + r.runId() + " could not be offered: " + e.getMessage(), e);
                        }
                        continue;
                    }
                    try {
                        if (!control.claim(r.runId())) {
                            log.info("run " + r.runId() + " goes on in another runtime of the cluster (it holds "
                                    + "its lease): not resumed here");
                            continue;
                        }
                        List<String> missing;
                        try {
                            missing = preparers.prepareAndAwait(r.runId(), RunDefinitions.fromJson(r.runId(),
                                    r.definition()).agentIds(), end);
                        } catch (Exception e) {
                            if (!Boolean.FALSE.equals(endedNow(j, r.runId()))) {
                                // a preparer ended it (a run of a wave that has ended): resumed, it would go on
                                // unleased against a journal that says it ended (unanswered: the next start's)
                                log.info("run " + r.runId() + " not resumed: " + e.getMessage());
                                continue;
                            }
                            // resumed as without a preparer: a run of this runtime goes on with the agents it has
                            log.warn("run " + r.runId() + " could not be prepared: " + e.getMessage(), e);
                            missing = List.of();
                        }
                        if (!missing.isEmpty()) {
                            log.warn("run " + r.runId() + " resumes without agents " + missing + ": not present after "
                                    + agentWait.toSeconds() + " s", null);
                        }
                        resume(r);
                        resumed.add(r.runId());
                    } catch (RuntimeException e) {
                        log.error("run " + r.runId() + " could not be resumed: " + e.getMessage(), e);
                    } finally {
                        control.unreserve();
                    }
                }
            }
        } catch (IOException e) {
            log.error("interrupted runs could not be read from the journal: " + e.getMessage(), e);
        }
        return resumed;
    }

    /**
     * Resumes a run claimed from another runtime (its lease expired: it died), once its preparers made it ready here
     * and its agents came (waiting a little, as a start does).
     *
     * @throws IllegalStateException when a preparer failed or an agent of the run is still absent: the run is not
     *     resumed here (its cycles would fail those agents' entries and leave their states behind); the caller
     *     leaves its lease to expire, so that a runtime that has them takes it, or this one once they came
     */
    RunInfo adopt(RunRecord r) {
        prepare(r);
        return adopted(r);
    }

    /**
     * The first half of {@link #adopt}: asks the preparers and waits for the run's agents.
     *
     * @throws IllegalStateException when they failed or an agent is still absent
     */
    void prepare(RunRecord r) {
        List<String> missing;
        try {
            missing = preparers.prepareAndAwait(r.runId(), RunDefinitions.fromJson(r.runId(), r.definition())
                    .agentIds(), System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
        } catch (Exception e) {
            throw new IllegalStateException("run " + r.runId() + " could not be prepared here: " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("run " + r.runId() + " has agents absent here: " + missing);
        }
    }

    /** The second half of {@link #adopt}: resumes the prepared run, as its journal record {@code r} is now. */
    RunInfo adopted(RunRecord r) {
        log.info("run " + r.runId() + (OFFERED.equals(r.state()) ? " claimed: it was offered (no room where it "
                + "was started)" : " taken over from another runtime of the cluster (its lease expired)"));
        return resume(r);
    }

    private static final String OFFERED = "offered";

    /**
     * Rebuilds a run from its journal record and the states of its last committed cycle, and starts it. A run
     * offered, never started, starts at its first cycle from its journaled definition (agents, cycles, interval,
     * deadline, inputs): journaled as running first.
     */
    RunInfo resume(RunRecord r) {
        RunRequest request = RunDefinitions.fromJson(r.runId(), r.definition());
        Map<String, JsonNode> states = states(r);
        RunRecord going = r;
        if (OFFERED.equals(r.state())) {
            try {
                journal.within(Duration.ofSeconds(10)).setState(r.runId(), "running", null);
            } catch (IOException e) {
                throw new IllegalStateException("run " + r.runId() + " could not be journaled as running: "
                        + e.getMessage(), e);
            }
            going = new RunRecord(r.runId(), r.definition(), "running", r.lastCycle(), null, r.forkedFrom(),
                    r.createdAt(), r.updatedAt());
        }
        return control.startRecovered(going, request, states);
    }

    /**
     * Each agent's state after the run's last committed cycle. A fork's are the states of the run it was forked
     * from at that cycle, overlaid with those its own cycles produced: a fork that committed no cycle yet (offered,
     * or interrupted before its first) has none of its own, and an agent that produced no new state in its cycles
     * keeps the one it was forked with.
     */
    Map<String, JsonNode> states(RunRecord r) {
        Map<String, JsonNode> states = new TreeMap<>();
        RunJournal j = journal.within(Duration.ofSeconds(10));
        try {
            String from = r.forkedFrom();
            int colon = from == null ? -1 : from.lastIndexOf(':');
            if (colon > 0) {
                j.statesAt(from.substring(0, colon), Long.parseLong(from.substring(colon + 1)))
                        .forEach((id, s) -> states.put(id, s.payload()));
            }
            j.statesAt(r.runId(), r.lastCycle()).forEach((id, s) -> states.put(id, s.payload()));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("the states of run " + r.runId() + " after cycle " + r.lastCycle()
                    + " could not be loaded: " + e.getMessage(), e);
        }
        return states;
    }

    /**
     * Where a fork of {@code runId} at {@code cycle} starts from. See {@link RunEngine#fork}.
     *
     * @param newRunId the fork's id, or null for a new one
     * @param cycles how many cycles the fork runs, or null for those the original had left
     */
    Fork fork(String runId, long cycle, String newRunId, Long cycles) {
        RunJournal j = journal.within(Duration.ofSeconds(10));
        try {
            RunRecord source = j.run(runId).orElseThrow(() -> control.unknownRun(runId));
            if (cycle < 0 || cycle > source.lastCycle()) {
                throw new IllegalArgumentException("run '" + runId + "' has committed cycles up to "
                        + source.lastCycle() + "; it cannot be forked at cycle " + cycle);
            }
            RunRequest original = RunDefinitions.fromJson(runId, source.definition());
            long last;
            if (cycles != null) {
                if (cycles < 1) {
                    throw new IllegalArgumentException("a fork needs at least 1 cycle; was " + cycles);
                }
                last = cycle + cycles;
            } else if (original.cycles() == RunRequest.UNTIL_STOPPED) {
                last = RunRequest.UNTIL_STOPPED;
            } else if (original.cycles() > cycle) {
                last = original.cycles();
            } else {
                throw new IllegalArgumentException("run '" + runId + "' had no cycles left after cycle " + cycle
                        + "; give the fork a number of cycles");
            }
            Map<String, JsonNode> states = new TreeMap<>();
            j.statesAt(runId, cycle).forEach((id, s) -> states.put(id, s.payload()));
            String id = newRunId == null ? Ids.newRunId() : newRunId;
            Ids.checkRunId(id);
            RunRequest request = new RunRequest(id, original.agentIds(), last, original.interval(),
                    original.deadline(), original.inputs());
            return new Fork(request, cycle + 1, runId + ":" + cycle, states);
        } catch (IOException e) {
            throw new IllegalStateException("run " + runId + " could not be forked: " + e.getMessage(), e);
        }
    }

    /**
     * For a resumed run: records its last two committed snapshots again, in order, in case the crash (or the failure
     * that ended it) came before they were durable in the index: the index syncs a run's record while the run
     * commits its next cycle, so it may lack the last two (see docs/architecture.md, "One cycle"). The index skips
     * what it has.
     *
     * @throws IOException when the recorders cannot take them (see {@link CycleRecorders#recordUntilTaken})
     */
    void recordLastCommitted(Run run) throws InterruptedException, IOException {
        long last = run.completedCycles();
        if (last < 1) {
            return;
        }
        RunJournal j = journal.await(run::stopRequested);
        if (j == null) {
            return;
        }
        List<CycleSnapshot> committed;
        try {
            committed = j.cycles(run.id, last - UNSYNCED_RECORDS, UNSYNCED_RECORDS);
        } catch (IOException e) {
            log.warn("run " + run.id + ": its last committed cycles could not be read to record them again", e);
            return;
        }
        for (CycleSnapshot s : committed) {
            recorders.recordUntilTaken(run, s); // its failure is the run's
        }
    }

    /** See {@link RunEngine#recordLastCommittedCycles}. */
    int recordLastCommittedCycles(Duration wait) throws InterruptedException {
        if (journal.current() == null) {
            return 0;
        }
        if (!recorders.awaitAny(wait)) {
            log.warn("no cycle recorder within " + wait.toSeconds() + "s: the runs' last committed cycles were not "
                    + "checked against it", null);
            return 0;
        }
        int n = 0;
        try {
            RunJournal j = journal.current();
            for (RunRecord r : j == null ? List.<RunRecord>of() : j.runs()) {
                // a run of this runner records its own cycles (a resumed one its last committed first)
                if (r.lastCycle() < 1 || control.isLive(r.runId()) || runnerClosed.getAsBoolean()) {
                    continue;
                }
                for (CycleSnapshot s : j.cycles(r.runId(), r.lastCycle() - UNSYNCED_RECORDS, UNSYNCED_RECORDS)) {
                    recorders.recordOnce(s);
                }
                n++;
            }
        } catch (IOException e) {
            log.warn("the runs' last committed cycles could not all be checked against the recorders", e);
        }
        return n;
    }
}
