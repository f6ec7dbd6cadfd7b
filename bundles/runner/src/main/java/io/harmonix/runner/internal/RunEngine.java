package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.RunRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The runner itself, free of OSGi so that it can be tested and measured on its own: the DS component
 * ({@link RunnerComponent}, a subclass that adds only the wiring) feeds it agents, recorders and listeners as they
 * come and go.
 *
 * <p>This class is the run control: it starts, pauses, resumes, stops and lists runs, and drives each run on a
 * thread of its own, cycle after cycle. One cycle: the {@link CycleExecutor} calls the agents of the
 * {@link AgentDirectory} and builds the snapshot; the {@link RunnerJournal} commits it (the index, through
 * {@link CycleRecorders}, included); then the events are published. {@link RunRecovery} brings runs back from the
 * journal (resume, fork).
 *
 * <p>Why over 500 lines: cycle execution, commit, recovery and the agent directory are already out. What is left is
 * the life of a run (start, pause, resume, stop, fail, resume after a failure, await) over one map of runs and one
 * lock, and what a fault does to it: a cycle that cannot be made durable fails the run once with its reason
 * ({@code Faults}), a failed run resumes from its last committed cycle. Moving those transitions out would have two
 * classes change the same run states. The leases of runs shared with other runtimes are out too ({@link RunLeases});
 * what stays here is where those transitions claim, end or lose a lease, for the same reason. So are the preparers of
 * runs taken over or resumed ({@link RunPreparers}); what stays is the one call before a resume and the one after a
 * loss, inside those same transitions. The room of {@code maxRuns} stays for the same reason: a start, a resume and
 * a claim decide under the one lock whether a run goes here, is queued here or is offered to the cluster, and the end
 * of a run frees its place in the same transition that ends it.
 */
public class RunEngine implements CycleRunner {
    private static final int FINISHED_RUNS_KEPT = 200;

    private final AgentDirectory agents;
    private final CycleRecorders recorders;
    private final CycleExecutor executor;
    private final RunnerJournal journal;
    private final RunRecovery recovery;
    /** What readies this runtime for a run it resumes but did not start (a wave's agents: the waves bundle). */
    private final RunPreparers preparers;
    /**
     * The runs going, the ones queued here, and the last finished ones; older ones are known from the journal only.
     * Its monitor also guards {@link #queued} and {@link #reserved}.
     */
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /**
     * The runs waiting for room ({@code maxRuns}) in this runner, oldest first, when no other runtime can take them
     * (no cluster node): started here as runs end. With a node, a run without room is offered by lease instead.
     */
    private final java.util.Deque<Run> queued = new java.util.ArrayDeque<>();
    /** Places taken by runs being claimed and adopted (see {@link RunLeases.Owner#reserve}). */
    private int reserved;
    private final EventDispatcher events;
    private final RunnerLog log;
    /** Whether runs are journaled: they then need a cycle recorder, and read back from the journal. */
    private final boolean durable;
    private final ServiceDiagnosis diagnosis;
    private volatile RunnerSettings settings;
    private volatile boolean closed;
    /** The runs held by lease with the other runtimes on the database, or null: every run is this runner's. */
    private volatile RunLeases leases;
    /** Whether the runtime is stopping (its framework shutting down): see {@link #whenStopping}. */
    private volatile java.util.function.BooleanSupplier stopping = () -> false;

    /** A runner whose runs live in memory only. */
    public RunEngine(RunnerSettings settings, RunnerLog log) {
        this(settings, log, new InMemoryJournal(), false, ServiceDiagnosis.NONE);
    }

    /**
     * A runner that journals every run and checkpoints every cycle through {@code journal}, and records every
     * cycle with at least one {@link CycleRecorder} (the index): a run waits while none is present, so that the
     * index never misses a committed cycle.
     */
    public RunEngine(RunnerSettings settings, RunnerLog log, JournalGate journal) {
        this(settings, log, journal, ServiceDiagnosis.NONE);
    }

    /**
     * As {@link #RunEngine(RunnerSettings, RunnerLog, JournalGate)}, with {@code diagnosis} telling when the
     * journal or the recorder is absent for good (its component failed to start): a run then fails, or is refused,
     * with that reason instead of waiting for it.
     */
    public RunEngine(RunnerSettings settings, RunnerLog log, JournalGate journal, ServiceDiagnosis diagnosis) {
        this(settings, log, new DurableJournal(journal, log, diagnosis), true, diagnosis);
    }

    private RunEngine(RunnerSettings settings, RunnerLog log, RunnerJournal journal, boolean durable,
            ServiceDiagnosis diagnosis) {
        this.journal = journal;
        this.settings = settings;
        this.log = log;
        this.durable = durable;
        this.diagnosis = diagnosis;
        this.events = new EventDispatcher(log);
        this.agents = new AgentDirectory(log);
        this.recorders = new CycleRecorders(log, () -> closed, diagnosis);
        this.executor = new CycleExecutor(agents, settings.poolSize());
        this.preparers = new RunPreparers(agents, log);
        this.recovery = new RunRecovery(journal, preparers, recorders, new Control(), log, () -> closed);
    }

    /** Applies new settings; the pool is resized in place, runs keep going. */
    public void update(RunnerSettings next) {
        executor.resize(next.poolSize());
        this.settings = next;
        roomFreed(); // maxRuns may have risen
    }

    public RunnerSettings settings() {
        return settings;
    }

    // ---- runs shared by lease (RunLeases) ---------------------------------------------------------------------

    /**
     * Shares this runner's durable runs with the other runtimes on its database by lease ({@link RunLeases}): from
     * now on a run starts or resumes here only under its lease, and the runs of a runtime that died are claimed and
     * resumed here. Runs already going here are claimed now; one another runtime holds stops here. Without a call
     * (no cluster node: a runner in memory, unit tests, a runtime without the cluster bundle) every journaled run is
     * this runner's, as it always was.
     *
     * @param node this runtime's node id, for messages
     * @param renewOnly true for a runtime that takes no other runtime's runs (exec mode)
     */
    public void shareRuns(io.harmonix.cluster.api.Leases shared, String node, boolean renewOnly) {
        shareRuns(shared, null, node, renewOnly);
    }

    /**
     * As {@link #shareRuns(io.harmonix.cluster.api.Leases, String, boolean)}, on {@code cluster}'s leases, knowing
     * from it whether this runtime is a cluster of one: then it keeps its runs through a database outage longer than
     * a lease, as nobody else can have taken them (see {@link RunLeases}).
     */
    public void shareRuns(io.harmonix.cluster.api.ClusterNode cluster, boolean renewOnly) {
        shareRuns(cluster.leases(), () -> cluster.nodes().stream().noneMatch(n -> n.alive()
                && !n.id().equals(cluster.nodeId())), cluster.nodeId(), renewOnly);
    }

    private void shareRuns(io.harmonix.cluster.api.Leases shared, java.util.concurrent.Callable<Boolean> alone,
            String node, boolean renewOnly) {
        if (!durable) {
            return; // runs in memory are nobody else's
        }
        RunLeases next = new RunLeases(shared, alone, node, () -> settings.claimInterval(), m -> log.warn(m, null));
        RunLeases previous = leases;
        leases = next;
        if (previous != null) {
            previous.close();
        }
        next.start(new LeaseOwner(), renewOnly);
        List<Run> going;
        List<Run> waiting;
        synchronized (runs) {
            going = runs.values().stream().filter(Run::going).toList();
            waiting = new ArrayList<>(queued);
            queued.clear();
            waiting.forEach(r -> runs.remove(r.id));
        }
        for (Run run : waiting) {
            // queued here while there was no node: offered to the cluster now (their journal says offered already)
            offerLease(run.id);
        }
        for (Run run : going) {
            try {
                if (!claim(run.id)) {
                    run.lose("another runtime holds its lease");
                }
            } catch (IllegalStateException e) {
                // the database away: the run goes on, and the renewals find out whether it is still this runner's
                log.warn("run " + run.id + ": " + e.getMessage(), null);
            }
        }
    }

    /**
     * The cluster node went away (its bundle stopped, or its configuration changed: a new one comes): no renewal and
     * no claim from now on. The runs going here go on; the next {@link #shareRuns} claims them again (a lease of this
     * node id, unexpired or not taken meanwhile, is this runner's at once).
     */
    public void unshareRuns() {
        RunLeases previous = leases;
        leases = null;
        if (previous != null) {
            previous.close();
        }
    }

    /** @return true when this runner may drive the run: no leases, or it holds the run's lease now */
    private boolean claim(String runId) {
        RunLeases l = leases;
        if (l == null) {
            return true;
        }
        try {
            return l.claim(runId);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the lease of run " + runId + " could not be taken: " + e.getMessage(), e);
        }
    }

    // ---- room (maxRuns) -------------------------------------------------------------------------------------

    /** @return how many more runs this runner may drive now; under {@link #runs}' monitor */
    private int roomLeft() {
        int max = settings.maxRuns();
        if (max == 0) {
            return Integer.MAX_VALUE;
        }
        int going = 0;
        for (Run r : runs.values()) {
            going += r.holdsPlace() ? 1 : 0;
        }
        return Math.max(0, max - going - reserved);
    }

    /** Why a run waits: what {@code cycle:runs} shows beside its state. */
    private String noRoom() {
        RunLeases l = leases;
        return "no room " + (l == null ? "here" : "on " + l.node()) + " (maxRuns " + settings.maxRuns() + "): "
                + (l == null ? "it starts here when a run ends" : "the first runtime with room starts it");
    }

    /**
     * Offers the lease of a run journaled as offered. A failure is left to the lease: claimed to create the run and
     * no longer renewed, it expires, and the first runtime with room claims it then.
     */
    private void offerLease(String runId) {
        RunLeases l = leases;
        if (l == null) {
            return;
        }
        try {
            l.offer(runId);
        } catch (java.sql.SQLException | RuntimeException e) {
            log.warn("run " + runId + ": its lease could not be offered (" + e.getMessage() + "); it is claimed once "
                    + "it expires", null);
        }
    }

    /**
     * A run ended here, or the settings changed: the runs queued here start while there is room, and the claims look
     * for offered runs now rather than at their next interval.
     */
    private void roomFreed() {
        List<Run> next = new ArrayList<>();
        synchronized (runs) {
            while (!queued.isEmpty() && roomLeft() > 0) {
                Run r = queued.pollFirst();
                if (r.leaveQueue()) {
                    next.add(r);
                }
            }
        }
        for (Run r : next) {
            journal.setState(r.id, "running", null);
            log.info("run " + r.id + " leaves the queue: it starts at cycle " + (r.completedCycles() + 1));
            startThread(r);
        }
        RunLeases l = leases;
        if (l != null) {
            l.wake();
        }
    }

    /**
     * A journaled run that is to go on but has no room here: journaled as offered, then offered by lease (or queued
     * here without a node). For runs found at start beyond the room, and {@code cycle:resume} at capacity.
     */
    private RunInfo offerRecorded(RunRecord r) {
        String why = noRoom();
        if (!"offered".equals(r.state())) {
            try {
                journal.within(Duration.ofSeconds(10)).setState(r.runId(), "offered", why);
            } catch (IOException e) {
                throw new IllegalStateException("run " + r.runId() + " could not be offered: " + Faults.describe(e),
                        e);
            }
        }
        RunRequest request = RunDefinitions.fromJson(r.runId(), r.definition());
        Run run = new Run(r.runId(), request, request.deadline(), settings.historySize(), r.lastCycle(),
                r.state().equals("paused"), r.forkedFrom(), r.createdAt());
        run.queue(why);
        if (leases != null) {
            offerLease(r.runId());
            return run.info();
        }
        run.states.putAll(recovery.states(r));
        synchronized (runs) {
            if (runs.containsKey(r.runId())) {
                return runs.get(r.runId()).info();
            }
            runs.put(r.runId(), run);
            queued.addLast(run);
        }
        roomFreed();
        return run.info();
    }

    private static IllegalArgumentException heldElsewhere(String runId) {
        return new IllegalArgumentException("run '" + runId + "' is held by another runtime of the cluster "
                + "(cluster:leases shows which): run the command there");
    }

    /** What the runner does with the runs {@link RunLeases} claims or loses. */
    private final class LeaseOwner implements RunLeases.Owner {
        @Override
        public boolean adopt(String runId) {
            if (closed) {
                return true; // kept unrenewed: it expires, and the next runner takes it
            }
            if (live(runId) != null) {
                return true;
            }
            Optional<RunRecord> r = journalRun(runId);
            if (r.isEmpty() || r.get().finished()) {
                return false;
            }
            try {
                recovery.prepare(r.get());
                // read again: preparing takes seconds (a wave's agents), and a cycle:stop here meanwhile journals the
                // run stopped and releases its lease; resumed from the record read before, it went on unleased
                Optional<RunRecord> now = journalRun(runId);
                if (now.isEmpty() || now.get().finished()) {
                    log.info("run " + runId + " ended while it was prepared here (" + now.map(RunRecord::state)
                            .orElse("gone") + "): not resumed");
                    return false;
                }
                recovery.adopted(now.get());
            } catch (IllegalStateException e) {
                RunJournal j = journal.readable();
                if (j != null && Boolean.TRUE.equals(RunRecovery.endedNow(j, runId))) {
                    // a preparer ended it (a run of a wave that ended meanwhile): nobody is to drive it
                    log.info("run " + runId + " ended while it was prepared here: " + e.getMessage());
                    return false;
                }
                RunLeases l = leases;
                if (l != null) {
                    l.interrupted(runId); // unrenewed: claimed again after a lease, here or by a runtime ready for it
                }
                log.warn(e.getMessage() + ": left to expire, for a runtime that can drive it", null);
            }
            return true;
        }

        @Override
        public void lost(String runId) {
            Run run = live(runId);
            if (run != null) {
                run.lose("another runtime holds its lease now");
            }
        }

        @Override
        public int room() {
            synchronized (runs) {
                return closed ? 0 : roomLeft();
            }
        }

        @Override
        public boolean reserve() {
            return !closed && reserveRoom();
        }

        @Override
        public void unreserve() {
            unreserveRoom();
        }
    }

    // ---- whiteboard -------------------------------------------------------------------------------------

    /** As {@link #addAgent(AgentInfo, Agent, int, long)} with the default service ranking, 0. */
    public void addAgent(AgentInfo info, Agent agent, long serviceId) {
        addAgent(info, agent, 0, serviceId);
    }

    /** @param ranking the service's {@code service.ranking}: which of several agents of one id runs use */
    public void addAgent(AgentInfo info, Agent agent, int ranking, long serviceId) {
        agents.add(info, agent, ranking, serviceId);
    }

    /** An agent service's properties changed: see {@link AgentDirectory#replace}. */
    public void replaceAgent(AgentInfo info, Agent agent, int ranking, long serviceId) {
        agents.replace(info, agent, ranking, serviceId);
    }

    public void removeAgent(long serviceId) {
        agents.remove(serviceId);
    }

    public void addRecorder(CycleRecorder recorder) {
        recorders.add(recorder);
    }

    public void removeRecorder(CycleRecorder recorder) {
        recorders.remove(recorder);
    }

    public void addListener(CycleListener listener, String name) {
        events.addListener(listener, name);
    }

    public void removeListener(CycleListener listener) {
        events.removeListener(listener);
    }

    /** A preparer of the runs this runner resumes but did not start: see {@link io.harmonix.runner.api.RunPreparer}. */
    public void addPreparer(io.harmonix.runner.api.RunPreparer preparer) {
        preparers.add(preparer);
    }

    public void removePreparer(io.harmonix.runner.api.RunPreparer preparer) {
        preparers.remove(preparer);
    }

    // ---- CycleRunner ------------------------------------------------------------------------------------

    @Override
    public RunInfo start(RunRequest request) {
        if (closed) {
            throw new IllegalStateException("the runner is shutting down");
        }
        agents.checkPresent(request.agentIds());
        Duration deadline = request.deadline() == null ? settings.defaultDeadline() : request.deadline();
        String id = request.runId() == null ? Ids.newRunId() : request.runId();
        Ids.checkRunId(id);
        return launch(id, request, deadline, 1, null, null, false);
    }

    /**
     * Journals and starts a new run whose first cycle is {@code startCycle}.
     *
     * @param states the agents' states to start from (a fork's), or null
     */
    private RunInfo launch(String id, RunRequest request, Duration deadline, long startCycle, String forkedFrom,
            Map<String, JsonNode> states, boolean paused) {
        if (durable && recorders.isEmpty()) {
            // a run whose cycles no recorder will take would commit its first cycle and then fail: say so now
            String why = diagnosis.whyAbsent(CycleRecorder.class.getName());
            if (why != null) {
                throw new IllegalStateException("run " + id + " not started: no cycle recorder (the index) is "
                        + "present: " + why);
            }
        }
        Run run;
        boolean here;
        synchronized (runs) {
            if (runs.containsKey(id)) {
                throw new IllegalArgumentException("a run with id '" + id + "' exists already");
            }
            here = roomLeft() > 0;
            if (!claim(id)) {
                throw new IllegalArgumentException("a run with id '" + id + "' exists already (another runtime of "
                        + "the cluster holds it)");
            }
            try {
                journal.createRun(id, request, deadline, startCycle, forkedFrom);
            } catch (RuntimeException e) {
                RunLeases l = leases;
                if (l != null) {
                    // not released: the id may be a journaled run's, whose lease this claim took; left unrenewed,
                    // it expires and whoever claims it resumes that run, or ends the lease of a finished one
                    l.interrupted(id);
                }
                throw e;
            }
            run = new Run(id, request, deadline, settings.historySize(), startCycle - 1, paused, forkedFrom,
                    Instant.now());
            if (states != null) {
                run.states.putAll(states);
            }
            if (!here) {
                run.queue(noRoom());
                if (leases == null) {
                    queued.addLast(run); // no other runtime can take it: it waits here
                    runs.put(id, run);
                }
            } else {
                runs.put(id, run);
            }
            forgetOldRuns();
        }
        if (!here) {
            // journaled as offered first, then offered: whoever claims it finds it so (and journals it running)
            journal.setState(id, "offered", run.info().message());
            log.info("run " + id + " is offered: " + run.info().message());
            offerLease(id);
            return run.info();
        }
        startThread(run);
        return run.info();
    }

    private void startThread(Run run) {
        run.thread = new Thread(() -> drive(run), "harmonix-run-" + run.id);
        run.thread.start();
    }

    /**
     * Goes on with every run the journal holds as going or paused that is not running here: after a restart, or
     * after the runner bundle came back.
     *
     * @return the runs resumed
     */
    public List<String> resumeInterrupted() {
        return resumeInterrupted(Duration.ZERO);
    }

    /**
     * As {@link #resumeInterrupted()}, but first waits (at most {@code agentWait} in all) until the agents a run
     * names are present: at a runtime's start, agent bundles may start after the runner, and a cycle run without
     * one of its agents would leave that agent's state behind (its entry fails as "not present").
     */
    public List<String> resumeInterrupted(Duration agentWait) {
        return recovery.resumeInterrupted(agentWait);
    }

    /**
     * Hands the last committed snapshots of every journaled run that is not going here to the recorders again (they
     * skip what they have; the last two, see {@link RunRecovery#UNSYNCED_RECORDS}): a safety net under the commit protocol, which records every committed cycle before its
     * run ends. What it catches: a run that failed because its index could not take that snapshot (a full disk),
     * and one interrupted between its checkpoint and its record that is not resumed here (exec mode resumes
     * nothing). Waits up to {@code wait} for a recorder.
     *
     * @return how many runs' last committed snapshots were handed over
     */
    public int recordLastCommittedCycles(Duration wait) throws InterruptedException {
        return recovery.recordLastCommittedCycles(wait);
    }

    @Override
    public RunInfo fork(String runId, long cycle, String newRunId, Long cycles) {
        RunRecovery.Fork fork = recovery.fork(runId, cycle, newRunId, cycles);
        return launch(fork.request().runId(), fork.request(), fork.request().deadline(), fork.startCycle(),
                fork.forkedFrom(), fork.states(), false);
    }

    @Override
    public List<RunInfo> runs() {
        Map<String, RunInfo> all = new LinkedHashMap<>();
        for (RunRecord r : journalRuns()) {
            all.put(r.runId(), info(r));
        }
        synchronized (runs) {
            runs.values().forEach(r -> all.put(r.id, r.info()));
        }
        return all.values().stream().sorted(Comparator.comparing(RunInfo::startedAt)).toList();
    }

    @Override
    public Optional<RunInfo> run(String runId) {
        Run run = live(runId);
        return run != null ? Optional.of(run.info()) : journalRun(runId).map(RunEngine::info);
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle) {
        Run run = live(runId);
        RunJournal j = journal.current();
        if (run != null && (j == null || run.oldestRetained() != 0 && run.oldestRetained() <= afterCycle + 1)) {
            return run.cyclesAfter(afterCycle);
        }
        if (run == null && journalRun(runId).isEmpty()) {
            throw unknownRun(runId);
        }
        if (j == null) {
            return run == null ? List.of() : run.cyclesAfter(afterCycle);
        }
        try {
            return j.cycles(runId, afterCycle, Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new IllegalStateException("the cycles of run " + runId + " could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public RunInfo pause(String runId) {
        Run run = find(runId);
        run.requestPause();
        return run.info();
    }

    @Override
    public RunInfo resume(String runId) {
        Run run = live(runId);
        // a failed run goes on from its journal, as an interrupted one: the cause (a full disk, an index that could
        // not start) may have been mended since; in memory only, there is nothing to go on from
        boolean failed = run != null && durable && run.state() == RunState.FAILED;
        if (run != null && !failed) {
            run.requestResume();
            return run.info();
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        if (r.finished() && !r.state().equals("failed")) {
            throw new IllegalArgumentException("run '" + runId + "' has finished (" + r.state()
                    + "); it cannot be resumed");
        }
        if (!claim(runId)) {
            throw heldElsewhere(runId);
        }
        if (failed) {
            synchronized (runs) {
                runs.remove(runId, run);
            }
        }
        if (!reserveRoom()) {
            // no room here (maxRuns): it goes on where there is, as a start would
            return offerRecorded(r);
        }
        try {
            if (r.finished()) {
                try {
                    journal.within(Duration.ofSeconds(10)).setState(runId, "running", null);
                } catch (IOException e) {
                    throw new IllegalStateException("run " + runId + " could not be resumed: " + Faults.describe(e),
                            e);
                }
            }
            try {
                // no wait beyond the preparers' own: cycle:resume goes on with the agents present, as it always did
                preparers.prepareAndAwait(runId, RunDefinitions.fromJson(runId, r.definition()).agentIds(), 0);
            } catch (Exception e) {
                RunJournal j = journal.readable();
                if (j != null && Boolean.TRUE.equals(RunRecovery.endedNow(j, runId))) {
                    // a preparer ended it (a run of a wave that has ended): not resumed, and the caller told why
                    throw new IllegalStateException("run " + runId + " was not resumed: " + e.getMessage(), e);
                }
                log.warn("run " + runId + " could not be prepared: " + e.getMessage(), e);
            }
            RunInfo resumed;
            try {
                resumed = recovery.resume(r);
            } catch (RuntimeException e) {
                if (failed) {
                    // refused (the cause not mended yet): the run stays failed, as it was, and is not resumed by
                    // itself at the next start as a "running" journal entry would be
                    try {
                        journal.within(Duration.ofSeconds(10)).setState(runId, "failed", r.message());
                    } catch (IOException again) {
                        e.addSuppressed(again);
                    }
                    synchronized (runs) {
                        runs.putIfAbsent(runId, run);
                    }
                }
                throw e;
            }
            find(runId).requestResume(); // a run paused before the restart goes on too: resume means go
            return resumed;
        } finally {
            unreserveRoom();
        }
    }

    @Override
    public RunInfo stop(String runId) {
        Run run = live(runId);
        if (run != null) {
            boolean wasQueued;
            synchronized (runs) {
                wasQueued = queued.remove(run);
            }
            run.requestStop("on request");
            if (wasQueued) {
                // it never started: nothing to wait for
                journal.setState(runId, "stopped", "on request, while offered");
                run.finish(RunState.STOPPED, "on request, while offered");
            }
            return run.info();
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        if (!r.finished()) {
            if (!claim(runId)) {
                throw heldElsewhere(runId); // it goes on in another runtime: stopped there
            }
            try {
                journal.within(Duration.ofSeconds(10)).setState(runId, "stopped", "on request, while "
                        + ("offered".equals(r.state()) ? "offered" : "interrupted"));
            } catch (IOException e) {
                throw new IllegalStateException("run " + runId + " could not be stopped: " + e.getMessage(), e);
            }
            RunLeases l = leases;
            if (l != null) {
                l.release(runId);
            }
        }
        return run(runId).orElseThrow();
    }

    /**
     * Waits for a run to finish wherever it goes: in this runner (its end), or, with leases, in another runtime of the
     * cluster (the journal read until it says finished): a run offered, or taken over after this runner lost it.
     * Without leases a run the journal has as going but this runner does not drive is interrupted, and waits for
     * nobody: answered at once, as ever.
     */
    @Override
    public RunInfo await(String runId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Run run = live(runId);
            // a slice at a time: a run queued here may go to the cluster's offers meanwhile (a node came)
            if (run != null && !run.finished.await(Math.min(Math.max(0, end - System.nanoTime()), 100_000_000L),
                    TimeUnit.NANOSECONDS)) {
                if (closed || System.nanoTime() >= end) {
                    return run.info();
                }
                continue;
            }
            RunInfo now = run != null ? run.info() : run(runId).orElseThrow(() -> unknownRun(runId));
            boolean elsewhere = leases != null && !now.state().finished() && (run == null
                    || now.state() == RunState.INTERRUPTED);
            if (!elsewhere || closed || System.nanoTime() >= end) {
                return now;
            }
            Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    /**
     * The runs of the journal. A journal that is away or cannot be read is an error, with its reason: answering
     * with the runs in memory only said "no runs" of a database that could not be opened.
     */
    private List<RunRecord> journalRuns() {
        RunJournal j = journal.readable();
        if (j == null) {
            return List.of();
        }
        try {
            return j.runs();
        } catch (IOException e) {
            throw new IllegalStateException("the run journal could not be read: " + Faults.describe(e), e);
        }
    }

    private Optional<RunRecord> journalRun(String runId) {
        RunJournal j = journal.readable();
        if (j == null) {
            return Optional.empty();
        }
        try {
            return j.run(runId);
        } catch (IOException e) {
            throw new IllegalStateException("the run journal could not be read: " + Faults.describe(e), e);
        }
    }

    /** A run known only from the journal: finished, or interrupted (it was going when its process ended). */
    private static RunInfo info(RunRecord r) {
        RunRequest d = RunDefinitions.fromJson(r.runId(), r.definition());
        RunState state = r.finished() ? RunState.valueOf(r.state().toUpperCase(Locale.ROOT))
                : "offered".equals(r.state()) ? RunState.OFFERED : RunState.INTERRUPTED;
        return new RunInfo(r.runId(), state, d.agentIds(), d.cycles(), d.interval(), d.deadline(), r.lastCycle(), 0,
                r.createdAt(), r.finished() ? r.updatedAt() : null, r.message(), r.forkedFrom());
    }

    @Override
    public List<AgentInfo> agents() {
        return agents.list();
    }

    /** Stops every run, waits for them to end and for listeners to get their events, then frees the threads. */
    public void close(Duration grace) throws InterruptedException {
        closed = true;
        journal.close();
        RunLeases l = leases;
        if (l != null) {
            l.close(); // no renewal, no claim: the leases held expire, and other runtimes go on with their runs
        }
        List<Run> all;
        synchronized (runs) {
            all = new ArrayList<>(runs.values());
        }
        all.forEach(r -> r.interrupt("the runner was shut down"));
        synchronized (runs) {
            // never started: the journal keeps them offered, and the next start queues or offers them again
            queued.forEach(r -> r.finish(RunState.INTERRUPTED, "the runner was shut down while it waited for room"));
            queued.clear();
        }
        long end = System.nanoTime() + grace.toNanos();
        for (Run r : all) {
            if (r.thread != null) {
                r.thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (r.thread.isAlive()) {
                    r.thread.interrupt();
                }
            }
        }
        executor.shutdown();
        events.close(Math.max(1, (end - System.nanoTime()) / 1_000_000));
    }

    private Run find(String runId) {
        Run run = live(runId);
        if (run != null) {
            return run;
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        throw new IllegalArgumentException("run '" + runId + "' is " + (r.finished() ? "finished (" + r.state() + ")"
                : "offered".equals(r.state()) ? "offered (" + r.message() + ")"
                : "interrupted at cycle " + r.lastCycle() + "; cycle:resume " + runId + " goes on with it"));
    }

    private IllegalArgumentException unknownRun(String runId) {
        List<String> ids = runs().stream().map(RunInfo::runId).toList(); // a journal away fails here, saying why
        return new IllegalArgumentException("unknown run '" + runId + "'" + (ids.isEmpty() ? "; there are no runs"
                : "; runs: " + String.join(", ", ids.subList(Math.max(0, ids.size() - 20), ids.size()))));
    }

    /** @return the run if this runner has it in memory (going, or finished recently), else null */
    private Run live(String runId) {
        synchronized (runs) {
            return runs.get(runId);
        }
    }

    private void forgetOldRuns() {
        long finished = runs.values().stream().filter(r -> r.state().finished()).count();
        var it = runs.values().iterator();
        while (finished > FINISHED_RUNS_KEPT && it.hasNext()) {
            if (it.next().state().finished()) {
                it.remove();
                finished--;
            }
        }
    }

    /** The run control as {@link RunRecovery} sees it. */
    private final class Control implements RunRecovery.RunControl {
        @Override
        public boolean isLive(String runId) {
            return live(runId) != null;
        }

        @Override
        public boolean claim(String runId) {
            return RunEngine.this.claim(runId);
        }

        @Override
        public RunInfo startRecovered(RunRecord r, RunRequest request, Map<String, JsonNode> states) {
            Run run;
            synchronized (runs) {
                if (runs.containsKey(r.runId())) {
                    return runs.get(r.runId()).info();
                }
                run = new Run(r.runId(), request, request.deadline(), settings.historySize(), r.lastCycle(),
                        r.state().equals("paused"), r.forkedFrom(), r.createdAt());
                run.states.putAll(states);
                runs.put(r.runId(), run);
            }
            log.info("run " + r.runId() + " resumes after cycle " + r.lastCycle()
                    + (r.state().equals("paused") ? " (paused)" : ""));
            startThread(run);
            return run.info();
        }

        @Override
        public IllegalArgumentException unknownRun(String runId) {
            return RunEngine.this.unknownRun(runId);
        }

        @Override
        public boolean reserve() {
            return reserveRoom();
        }

        @Override
        public void unreserve() {
            unreserveRoom();
        }

        @Override
        public void offer(RunRecord record) {
            offerRecorded(record);
        }
    }

    /** @return false when there is no room for one more run here; else a place is kept until {@link #unreserveRoom} */
    private boolean reserveRoom() {
        synchronized (runs) {
            if (roomLeft() <= 0) {
                return false;
            }
            reserved++;
            return true;
        }
    }

    private void unreserveRoom() {
        synchronized (runs) {
            reserved--;
        }
    }

    // ---- the run's thread ---------------------------------------------------------------------------------

    private void drive(Run run) {
        publish(CycleEventType.RUN_STARTED, run, 0, null, null);
        String unrecorded = null;
        try {
            recovery.recordLastCommitted(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // handled by the loop below
        } catch (IOException e) {
            unrecorded = e.getMessage();
        }
        RunState end = RunState.COMPLETED;
        String why = null;
        boolean conflict = false;
        try {
            if (unrecorded != null) {
                end = RunState.FAILED;
                why = unrecorded;
                log.error("run " + run.id + " failed: " + why, null);
                return;
            }
            while (run.moreCycles()) {
                long cycle = run.completedCycles() + 1;
                try {
                    if (run.pauseIfRequested()) {
                        journal.setState(run.id, "paused", null);
                        publish(CycleEventType.RUN_PAUSED, run, 0, null, null);
                        run.awaitResume();
                        if (run.stopRequested()) {
                            break;
                        }
                        journal.setState(run.id, "running", null);
                        publish(CycleEventType.RUN_RESUMED, run, 0, null, null);
                    }
                    runCycle(run, cycle);
                    if (run.moreCycles()) {
                        run.sleepInterval();
                    }
                } catch (IOException e) {
                    if (e instanceof io.harmonix.cycle.api.StateConflictException && leases != null) {
                        // the journal has this cycle from another writer: another runtime drove the run meanwhile
                        // (this one's lease ran out unseen). Nothing more is written here; RunLeases.conflicted
                        // says who goes on
                        conflict = true;
                        run.lose("the journal has cycle " + cycle + " from another runtime: " + e.getMessage());
                        log.warn("run " + run.id + " stops here: " + e.getMessage(), null);
                        return;
                    }
                    // the cycle could not be made durable (checkpoint or record): the run fails with the reason,
                    // once; cycle:resume goes on from its last committed cycle when the cause is mended
                    end = RunState.FAILED;
                    why = e.getMessage();
                    log.error("run " + run.id + " failed: " + why, e);
                    publish(CycleEventType.CYCLE_FAILED, run, cycle, null, why);
                    return;
                } catch (InterruptedException e) {
                    if (closed || run.stopRequested()) {
                        throw e;
                    }
                    // Not a stop: something else interrupted the thread. Derby does, to threads that used it,
                    // when its engine shuts down (the store bundle stopping). A cycle that did not commit is done
                    // again; a committed one is not.
                    log.warn("run " + run.id + " was interrupted without a stop (at cycle " + cycle
                            + "); it goes on", null);
                }
            }
            if (run.stopRequested()) {
                end = RunState.STOPPED;
            }
        } catch (InterruptedException e) {
            end = RunState.STOPPED;
            why = "interrupted";
        } catch (RuntimeException | Error e) {
            end = RunState.FAILED;
            why = "runner error: " + e;
            log.error("run " + run.id + " failed", e);
        } finally {
            RunLeases l = leases;
            if (run.lost()) {
                end = RunState.INTERRUPTED; // another runtime goes on with it: nothing is written here
                preparers.released(run.id);
            } else if (run.interrupted() && end != RunState.FAILED) {
                end = RunState.INTERRUPTED; // the journal keeps it going: it resumes
                if (l != null) {
                    l.interrupted(run.id); // unrenewed: this node takes it back at its restart, another after a lease
                }
            } else {
                journal.setState(run.id, end.name().toLowerCase(Locale.ROOT),
                        why == null ? run.info().message() : why);
                if (l != null) {
                    l.release(run.id);
                }
            }
            // ended before it is told, so that a listener told of the end reads the run as ended (the waves end a
            // wave once all its runs read so: told first, a wave whose listener read "running" never ended); its
            // place here (maxRuns) is free only once told, so that a listener never hears of the next run taking it
            // before it hears of this one's end
            String message = why != null ? why : run.info().message();
            run.finishUntold(end, why);
            publish(CycleEventType.RUN_FINISHED, run, 0, null, end.name().toLowerCase()
                    + (message == null ? "" : ": " + message));
            run.told();
            if (end == RunState.INTERRUPTED) {
                synchronized (runs) {
                    runs.remove(run.id); // known from the journal again, as interrupted
                }
            }
            if (conflict && l != null) {
                l.conflicted(run.id);
            }
            if (!closed) {
                roomFreed();
            }
        }
    }

    /** Runs one cycle, commits it, and tells the listeners; a cycle that does not commit does not count. */
    /**
     * Tells the engine how to know that the runtime is stopping. A runtime stops its bundles one after the other,
     * the agents' before the runner's: a cycle run in between would find its agents absent and commit their entries
     * as failed, their states a cycle behind (KillRecoveryIT saw it: exec mode stopping under a run it had started).
     * While the runtime stops, no cycle is started and none executed is committed; the run is interrupted and
     * resumes at the next start.
     */
    public void whenStopping(java.util.function.BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    private void runCycle(Run run, long cycle) throws IOException, InterruptedException {
        if (stopping.getAsBoolean()) {
            run.interrupt("the runtime is stopping");
            return;
        }
        Instant startedAt = Instant.now();
        publish(CycleEventType.CYCLE_STARTED, run, cycle, null, null);
        ExecutedCycle executed = executor.execute(run, cycle, startedAt);
        if (stopping.getAsBoolean()) {
            run.interrupt("the runtime is stopping"); // its agents may have gone during the cycle: done again
            return;
        }
        if (journal.commit(run, executed, recorders)) {
            publish(CycleEventType.CYCLE_COMPLETED, run, cycle, executed.snapshot(), null);
        }
    }

    private void publish(CycleEventType type, Run run, long cycle, CycleSnapshot snapshot, String message) {
        events.publish(new CycleEvent(type, run.id, cycle, Instant.now(), snapshot, message));
    }
}
