package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.RunRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The runner itself, free of OSGi so that it can be tested and measured on its own: the DS component
 * ({@link RunnerComponent}) feeds it agents, recorders and listeners as they come and go.
 *
 * <p>One cycle: resolve the selected agents, call them in parallel on the shared pool, each with the run's
 * deadline counted from the cycle's start; build the snapshot; hand it to every recorder (the commit); keep each
 * agent's new state for the next cycle; publish the events.
 */
public final class RunEngine implements CycleRunner {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int FINISHED_RUNS_KEPT = 200;

    private final Map<String, List<AgentHandle>> agents = new ConcurrentHashMap<>();
    private final List<CycleRecorder> recorders = new CopyOnWriteArrayList<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final EventDispatcher events;
    private final RunnerLog log;
    private final ThreadPoolExecutor pool;
    /** Null: runs live in memory only (unit tests, benchmarks); else every cycle is checkpointed in the journal. */
    private final JournalGate journal;
    private volatile RunnerSettings settings;
    private volatile boolean closed;

    /** A runner whose runs live in memory only. */
    public RunEngine(RunnerSettings settings, RunnerLog log) {
        this(settings, log, null);
    }

    /**
     * A runner that journals every run and checkpoints every cycle through {@code journal}, and records every
     * cycle with at least one {@link CycleRecorder} (the index): a run waits while none is present, so that the
     * index never misses a committed cycle.
     */
    public RunEngine(RunnerSettings settings, RunnerLog log, JournalGate journal) {
        this.journal = journal;
        this.settings = settings;
        this.log = log;
        this.events = new EventDispatcher(log);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.poolSize(), settings.poolSize(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "harmonix-agent-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Applies new settings; the pool is resized in place, runs keep going. */
    public void update(RunnerSettings next) {
        if (next.poolSize() > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(next.poolSize());
            pool.setCorePoolSize(next.poolSize());
        } else {
            pool.setCorePoolSize(next.poolSize());
            pool.setMaximumPoolSize(next.poolSize());
        }
        this.settings = next;
    }

    public RunnerSettings settings() {
        return settings;
    }

    // ---- whiteboard -------------------------------------------------------------------------------------

    public void addAgent(AgentInfo info, io.harmonix.cycle.api.Agent agent, long serviceId) {
        if (info.agentId() == null || !ID.matcher(info.agentId()).matches()) {
            log.warn("agent service " + serviceId + " of bundle " + info.bundleSymbolicName()
                    + " is ignored: its harmonix.agent.id '" + info.agentId()
                    + "' is missing or not 1-64 letters, digits, '.', '-' or '_'", null);
            return;
        }
        List<AgentHandle> same = agents.computeIfAbsent(info.agentId(), id -> new CopyOnWriteArrayList<>());
        same.add(new AgentHandle(info, agent, serviceId));
        if (same.size() > 1) {
            log.warn("agent id '" + info.agentId() + "' is registered " + same.size() + " times; runs use the one of "
                    + "bundle " + same.get(0).info().bundleSymbolicName(), null);
        }
    }

    public void removeAgent(long serviceId) {
        agents.values().forEach(list -> list.removeIf(h -> h.serviceId() == serviceId));
        agents.values().removeIf(List::isEmpty);
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

    // ---- CycleRunner ------------------------------------------------------------------------------------

    @Override
    public RunInfo start(RunRequest request) {
        if (closed) {
            throw new IllegalStateException("the runner is shutting down");
        }
        for (String id : request.agentIds()) {
            if (!agents.containsKey(id)) {
                throw new IllegalArgumentException("unknown agent '" + id + "'; present: "
                        + (agents.isEmpty() ? "none" : String.join(", ", new TreeMap<>(agents).keySet())));
            }
        }
        Duration deadline = request.deadline() == null ? settings.defaultDeadline() : request.deadline();
        String id = request.runId() == null ? newRunId() : request.runId();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("run id '" + id + "' must be 1-64 letters, digits, '.', '-' or '_'");
        }
        return launch(id, request, deadline, 1, null, null, false);
    }

    /**
     * Journals (when durable) and starts a new run whose first cycle is {@code startCycle}.
     *
     * @param states the agents' states to start from (a fork's), or null
     */
    private RunInfo launch(String id, RunRequest request, Duration deadline, long startCycle, String forkedFrom,
            Map<String, JsonNode> states, boolean paused) {
        Run run;
        synchronized (runs) {
            if (runs.containsKey(id)) {
                throw new IllegalArgumentException("a run with id '" + id + "' exists already");
            }
            if (journal != null) {
                RunJournal j = journalWithin(Duration.ofSeconds(10));
                try {
                    j.createRun(id, RunDefinitions.toJson(request, deadline), startCycle, forkedFrom);
                } catch (StateConflictException e) {
                    throw new IllegalArgumentException("a run with id '" + id + "' exists already (in the journal)");
                } catch (IOException e) {
                    throw new IllegalStateException("run " + id + " could not be journaled: " + e.getMessage(), e);
                }
            }
            run = new Run(id, request, deadline, settings.historySize(), startCycle - 1, paused, forkedFrom,
                    Instant.now());
            if (states != null) {
                run.states.putAll(states);
            }
            runs.put(id, run);
            forgetOldRuns();
        }
        run.thread = new Thread(() -> drive(run), "harmonix-run-" + run.id);
        run.thread.start();
        return run.info();
    }

    private RunJournal journalWithin(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            RunJournal j = journal.await(() -> System.nanoTime() > end);
            if (j == null) {
                throw new IllegalStateException("runs are durable, and the run journal (bundle io.harmonix.state, "
                        + "on io.harmonix.store) has not been available for " + wait.toSeconds() + "s");
            }
            return j;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run journal", e);
        }
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
        List<String> resumed = new ArrayList<>();
        if (journal == null || journal.current() == null) {
            return resumed;
        }
        long end = System.nanoTime() + agentWait.toNanos();
        try {
            for (RunRecord r : journal.current().runs()) {
                if (!r.finished() && !inMemory(r.runId())) {
                    try {
                        List<String> missing = awaitAgents(RunDefinitions.fromJson(r.runId(), r.definition())
                                .agentIds(), end);
                        if (!missing.isEmpty()) {
                            log.warn("run " + r.runId() + " resumes without agents " + missing + ": not present after "
                                    + agentWait.toSeconds() + " s", null);
                        }
                        resumeFromJournal(r);
                        resumed.add(r.runId());
                    } catch (RuntimeException e) {
                        log.error("run " + r.runId() + " could not be resumed: " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            log.error("interrupted runs could not be read from the journal: " + e.getMessage(), e);
        }
        return resumed;
    }

    /** @return the agents of {@code ids} still absent when they all came or the time ran out */
    private List<String> awaitAgents(List<String> ids, long endNanos) {
        while (true) {
            List<String> missing = ids.stream().filter(id -> {
                List<AgentHandle> list = agents.get(id);
                return list == null || list.isEmpty();
            }).toList();
            if (missing.isEmpty() || System.nanoTime() >= endNanos) {
                return missing;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }

    /**
     * Hands the last committed snapshot of every finished run to the recorders again (they skip what they have):
     * a run stopped while its index was away ends with that snapshot not recorded. Waits up to {@code wait} for a
     * recorder.
     *
     * @return how many snapshots were handed over
     */
    public int recordLastCyclesOfFinishedRuns(Duration wait) throws InterruptedException {
        if (journal == null || journal.current() == null) {
            return 0;
        }
        long end = System.nanoTime() + wait.toNanos();
        while (recorders.isEmpty()) {
            if (System.nanoTime() > end || closed) {
                log.warn("no cycle recorder within " + wait.toSeconds() + "s: finished runs not checked against it",
                        null);
                return 0;
            }
            Thread.sleep(50);
        }
        int n = 0;
        try {
            RunJournal j = journal.current();
            for (RunRecord r : j == null ? List.<RunRecord>of() : j.runs()) {
                if (!r.finished() || r.lastCycle() < 1 || closed) {
                    continue;
                }
                for (CycleSnapshot s : j.cycles(r.runId(), r.lastCycle() - 1, 1)) {
                    for (CycleRecorder recorder : recorders) {
                        recorder.recordCycle(s);
                    }
                    n++;
                }
            }
        } catch (IOException e) {
            log.warn("finished runs could not all be checked against the recorders", e);
        }
        return n;
    }

    private boolean inMemory(String runId) {
        synchronized (runs) {
            return runs.containsKey(runId);
        }
    }

    /** Rebuilds a run from its journal record and the states of its last committed cycle, and starts it. */
    private RunInfo resumeFromJournal(RunRecord r) {
        RunRequest request = RunDefinitions.fromJson(r.runId(), r.definition());
        Map<String, JsonNode> states = new TreeMap<>();
        try {
            journal.current().statesAt(r.runId(), r.lastCycle()).forEach((id, s) -> states.put(id, s.payload()));
        } catch (IOException e) {
            throw new IllegalStateException("the states of run " + r.runId() + " after cycle " + r.lastCycle()
                    + " could not be loaded: " + e.getMessage(), e);
        }
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
        run.thread = new Thread(() -> drive(run), "harmonix-run-" + run.id);
        run.thread.start();
        return run.info();
    }

    @Override
    public RunInfo fork(String runId, long cycle, String newRunId, Long cycles) {
        if (journal == null) {
            throw new IllegalStateException("runs are not journaled here: nothing to fork from");
        }
        RunJournal j = journalWithin(Duration.ofSeconds(10));
        try {
            RunRecord source = j.run(runId).orElseThrow(() -> unknownRun(runId));
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
            String id = newRunId == null ? newRunId() : newRunId;
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("run id '" + id + "' must be 1-64 letters, digits, '.', '-' or '_'");
            }
            RunRequest request = new RunRequest(id, original.agentIds(), last, original.interval(),
                    original.deadline(), original.inputs());
            return launch(id, request, original.deadline(), cycle + 1, runId + ":" + cycle, states, false);
        } catch (IOException e) {
            throw new IllegalStateException("run " + runId + " could not be forked: " + e.getMessage(), e);
        }
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
        return all.values().stream().sorted(java.util.Comparator.comparing(RunInfo::startedAt)).toList();
    }

    @Override
    public Optional<RunInfo> run(String runId) {
        synchronized (runs) {
            Run run = runs.get(runId);
            if (run != null) {
                return Optional.of(run.info());
            }
        }
        return journalRun(runId).map(RunEngine::info);
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle) {
        Run run;
        synchronized (runs) {
            run = runs.get(runId);
        }
        RunJournal j = journal == null ? null : journal.current();
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
        Run run;
        synchronized (runs) {
            run = runs.get(runId);
        }
        if (run != null) {
            run.requestResume();
            return run.info();
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        if (r.finished()) {
            throw new IllegalArgumentException("run '" + runId + "' has finished (" + r.state()
                    + "); it cannot be resumed");
        }
        RunInfo resumed = resumeFromJournal(r);
        find(runId).requestResume(); // a run paused before the restart goes on too: resume means go
        return resumed;
    }

    @Override
    public RunInfo stop(String runId) {
        Run run;
        synchronized (runs) {
            run = runs.get(runId);
        }
        if (run != null) {
            run.requestStop("on request");
            return run.info();
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        if (!r.finished()) {
            try {
                journalWithin(Duration.ofSeconds(10)).setState(runId, "stopped", "on request, while interrupted");
            } catch (IOException e) {
                throw new IllegalStateException("run " + runId + " could not be stopped: " + e.getMessage(), e);
            }
        }
        return run(runId).orElseThrow();
    }

    @Override
    public RunInfo await(String runId, Duration timeout) throws InterruptedException {
        Run run;
        synchronized (runs) {
            run = runs.get(runId);
        }
        if (run == null) {
            return run(runId).orElseThrow(() -> unknownRun(runId));
        }
        run.finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return run.info();
    }

    private List<RunRecord> journalRuns() {
        RunJournal j = journal == null ? null : journal.current();
        if (j == null) {
            return List.of();
        }
        try {
            return j.runs();
        } catch (IOException e) {
            log.warn("the run journal could not be read", e);
            return List.of();
        }
    }

    private Optional<RunRecord> journalRun(String runId) {
        RunJournal j = journal == null ? null : journal.current();
        if (j == null) {
            return Optional.empty();
        }
        try {
            return j.run(runId);
        } catch (IOException e) {
            log.warn("the run journal could not be read", e);
            return Optional.empty();
        }
    }

    /** A run known only from the journal: finished, or interrupted (it was going when its process ended). */
    private static RunInfo info(RunRecord r) {
        RunRequest d = RunDefinitions.fromJson(r.runId(), r.definition());
        RunState state = r.finished() ? RunState.valueOf(r.state().toUpperCase(java.util.Locale.ROOT))
                : RunState.INTERRUPTED;
        return new RunInfo(r.runId(), state, d.agentIds(), d.cycles(), d.interval(), d.deadline(), r.lastCycle(), 0,
                r.createdAt(), r.finished() ? r.updatedAt() : null, r.message(), r.forkedFrom());
    }

    @Override
    public List<AgentInfo> agents() {
        return new TreeMap<>(agents).values().stream().filter(l -> !l.isEmpty()).map(l -> l.get(0).info()).toList();
    }

    /** Stops every run, waits for them to end and for listeners to get their events, then frees the threads. */
    public void close(Duration grace) throws InterruptedException {
        closed = true;
        List<Run> all;
        synchronized (runs) {
            all = new ArrayList<>(runs.values());
        }
        all.forEach(r -> r.interrupt("the runner was shut down"));
        long end = System.nanoTime() + grace.toNanos();
        for (Run r : all) {
            if (r.thread != null) {
                r.thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (r.thread.isAlive()) {
                    r.thread.interrupt();
                }
            }
        }
        pool.shutdownNow();
        events.close(Math.max(1, (end - System.nanoTime()) / 1_000_000));
    }

    private Run find(String runId) {
        synchronized (runs) {
            Run run = runs.get(runId);
            if (run != null) {
                return run;
            }
        }
        RunRecord r = journalRun(runId).orElseThrow(() -> unknownRun(runId));
        throw new IllegalArgumentException("run '" + runId + "' is " + (r.finished() ? "finished (" + r.state() + ")"
                : "interrupted at cycle " + r.lastCycle() + "; cycle:resume " + runId + " goes on with it"));
    }

    private IllegalArgumentException unknownRun(String runId) {
        List<String> ids = runs().stream().map(RunInfo::runId).toList();
        return new IllegalArgumentException("unknown run '" + runId + "'" + (ids.isEmpty() ? "; there are no runs"
                : "; runs: " + String.join(", ", ids.subList(Math.max(0, ids.size() - 20), ids.size()))));
    }

    private static String newRunId() {
        return "run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
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

    // ---- the run's thread ---------------------------------------------------------------------------------

    private void drive(Run run) {
        publish(CycleEventType.RUN_STARTED, run, 0, null, null);
        try {
            recordLastCommitted(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // handled by the loop below
        }
        RunState end = RunState.COMPLETED;
        String why = null;
        try {
            while (run.moreCycles()) {
                long cycle = run.completedCycles() + 1;
                try {
                    if (run.pauseIfRequested()) {
                        journalState(run, "paused", null);
                        publish(CycleEventType.RUN_PAUSED, run, 0, null, null);
                        run.awaitResume();
                        if (run.stopRequested()) {
                            break;
                        }
                        journalState(run, "running", null);
                        publish(CycleEventType.RUN_RESUMED, run, 0, null, null);
                    }
                    runCycle(run, cycle);
                    if (run.moreCycles()) {
                        run.sleepInterval();
                    }
                } catch (IOException e) {
                    end = RunState.FAILED;
                    why = "cycle " + cycle + " could not be recorded: " + e.getMessage();
                    log.error("run " + run.id + ": " + why, e);
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
            if (run.interrupted() && end != RunState.FAILED) {
                end = RunState.INTERRUPTED; // the journal keeps it going: it resumes
            } else {
                journalState(run, end.name().toLowerCase(java.util.Locale.ROOT), why == null ? run.info().message() : why);
            }
            run.finish(end, why);
            publish(CycleEventType.RUN_FINISHED, run, 0, null, end.name().toLowerCase()
                    + (run.info().message() == null ? "" : ": " + run.info().message()));
            if (end == RunState.INTERRUPTED) {
                synchronized (runs) {
                    runs.remove(run.id); // known from the journal again, as interrupted
                }
            }
        }
    }

    private void runCycle(Run run, long cycle) throws IOException, InterruptedException {
        Instant startedAt = Instant.now();
        publish(CycleEventType.CYCLE_STARTED, run, cycle, null, null);
        Instant deadline = startedAt.plus(run.deadline);

        // Which agents take part: the requested ones (absent ones fail), or every agent present now.
        Map<String, AgentHandle> selected = new TreeMap<>();
        List<String> absent = new ArrayList<>();
        if (run.request.agentIds().isEmpty()) {
            agents.forEach((id, list) -> {
                if (!list.isEmpty()) {
                    selected.put(id, list.get(0));
                }
            });
        } else {
            for (String id : run.request.agentIds()) {
                List<AgentHandle> list = agents.get(id);
                if (list == null || list.isEmpty()) {
                    absent.add(id);
                } else {
                    selected.put(id, list.get(0));
                }
            }
        }

        Map<String, Future<AgentResult>> calls = new LinkedHashMap<>();
        Map<String, Long> began = new ConcurrentHashMap<>();
        Map<String, Long> took = new ConcurrentHashMap<>();
        for (AgentHandle h : selected.values()) {
            AgentContext context = new AgentContext(run.id, cycle, run.states.get(h.id()), run.request.inputs(),
                    deadline);
            try {
                calls.put(h.id(), pool.submit(() -> {
                    long t0 = System.nanoTime();
                    began.put(h.id(), t0);
                    try {
                        return h.agent().step(context);
                    } finally {
                        took.put(h.id(), (System.nanoTime() - t0) / 1_000_000);
                    }
                }));
            } catch (RejectedExecutionException e) {
                calls.put(h.id(), java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("the agent pool is shut down")));
            }
        }

        List<AgentEntry> entries = new ArrayList<>();
        Map<String, JsonNode> newStates = new TreeMap<>();
        int failed = 0;
        for (Map.Entry<String, Future<AgentResult>> call : calls.entrySet()) {
            String id = call.getKey();
            AgentHandle h = selected.get(id);
            JsonNode previous = run.states.get(id);
            long waitNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
            try {
                AgentResult result = call.getValue().get(waitNanos, TimeUnit.NANOSECONDS);
                entries.add(new AgentEntry(id, h.info().agentType(), AgentStatus.OK,
                        CycleSnapshots.digest(result.state()), result.outputs(), result.metrics(),
                        took.getOrDefault(id, 0L), null));
                newStates.put(id, result.state());
            } catch (TimeoutException e) {
                call.getValue().cancel(true);
                failed++;
                Long t0 = began.get(id);
                entries.add(new AgentEntry(id, h.info().agentType(), AgentStatus.TIMEOUT,
                        CycleSnapshots.digest(previous), null, null,
                        t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000,
                        "no answer within the deadline of " + run.deadline.toMillis() + " ms"
                                + (t0 == null ? " (it waited for a free agent thread)" : "")));
            } catch (ExecutionException e) {
                failed++;
                Throwable cause = e.getCause() == null ? e : e.getCause();
                entries.add(new AgentEntry(id, h.info().agentType(), AgentStatus.FAILED,
                        CycleSnapshots.digest(previous), null, null, took.getOrDefault(id, 0L),
                        cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
            }
        }
        for (String id : absent) {
            failed++;
            entries.add(new AgentEntry(id, "", AgentStatus.FAILED, CycleSnapshots.digest(run.states.get(id)), null,
                    null, 0, "agent '" + id + "' is not present"));
        }

        Instant endedAt = Instant.now();
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("agents", (double) entries.size());
        metrics.put("failed", (double) failed);
        metrics.put("durationMillis", (double) Duration.between(startedAt, endedAt).toMillis());
        CycleSnapshot snapshot = new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, run.id, cycle,
                CycleSnapshot.cycleIdOf(run.id, cycle), startedAt, endedAt, CycleStatus.of(entries.size(), failed),
                entries, metrics);

        if (journal == null) {
            // In memory only: recorded, then the new states count, then the world is told.
            for (CycleRecorder recorder : recorders) {
                recorder.recordCycle(snapshot);
            }
            run.states.putAll(newStates);
            run.committed(snapshot, failed);
            publish(CycleEventType.CYCLE_COMPLETED, run, cycle, snapshot, null);
            return;
        }
        // Durable: the checkpoint is the commit (snapshot and new states in one transaction); then the snapshot is
        // recorded (the index), exactly the one committed; then the world is told. A crash between checkpoint and
        // record is mended when the run resumes: its last committed snapshot is recorded again (recorders are
        // idempotent on the cycle), so the index holds the very snapshot whose states the run goes on from.
        List<AgentCheckpoint> states = new ArrayList<>();
        newStates.forEach((id, state) -> states.add(new AgentCheckpoint(id, selected.get(id).agent().stateVersion(),
                state)));
        if (!checkpoint(run, snapshot, states)) {
            return; // stopped while the journal was away: this cycle does not count
        }
        run.states.putAll(newStates);
        run.committed(snapshot, failed);
        record(run, snapshot);
        publish(CycleEventType.CYCLE_COMPLETED, run, cycle, snapshot, null);
    }

    /**
     * Hands a committed snapshot to every recorder, waiting while none is present and retrying while one fails, so
     * that a run never gets ahead of its index. Gives up only when the run stops or the runner closes: an
     * interrupted run records the snapshot when it resumes; for a run stopped while its index was away,
     * {@link #recordLastCyclesOfFinishedRuns} does it when a runner starts.
     */
    private void record(Run run, CycleSnapshot snapshot) throws InterruptedException {
        long backoff = 50;
        boolean warned = false;
        while (!closed && !run.stopRequested()) {
            if (recorders.isEmpty()) {
                if (!warned) {
                    log.warn("run " + run.id + " waits: no cycle recorder (the index) is present", null);
                    warned = true;
                }
                Thread.sleep(50);
                continue;
            }
            try {
                for (CycleRecorder recorder : recorders) {
                    recorder.recordCycle(snapshot);
                }
                return;
            } catch (IOException | RuntimeException e) {
                if (!warned) {
                    log.warn("run " + run.id + ": cycle " + snapshot.cycle() + " could not be recorded yet; retrying",
                            e);
                    warned = true;
                }
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    /** For a resumed run: records its last committed snapshot again, in case the crash came before it was. */
    private void recordLastCommitted(Run run) throws InterruptedException {
        long last = run.completedCycles();
        if (journal == null || last < 1) {
            return;
        }
        RunJournal j = journal.await(run::stopRequested);
        if (j == null) {
            return;
        }
        try {
            List<CycleSnapshot> committed = j.cycles(run.id, last - 1, 1);
            if (!committed.isEmpty()) {
                record(run, committed.get(0));
            }
        } catch (IOException e) {
            log.warn("run " + run.id + ": its last committed cycle could not be read to record it again", e);
        }
    }

    /** Records a run's state in the journal, if there is one now; a miss only shows in the log. */
    private void journalState(Run run, String state, String message) {
        RunJournal j = journal == null ? null : journal.current();
        if (journal == null) {
            return;
        }
        if (j == null) {
            log.warn("run " + run.id + " is " + state + ", but the run journal is away: not recorded", null);
            return;
        }
        try {
            j.setState(run.id, state, message);
        } catch (IOException e) {
            log.warn("run " + run.id + " is " + state + ", but that could not be journaled", e);
        }
    }

    /**
     * Commits a cycle to the journal: waits while the journal is away and retries a failed checkpoint, so that no
     * cycle counts without one.
     *
     * @return false when the run was stopped or interrupted before the checkpoint could be made
     * @throws StateConflictException when the journal refuses the cycle (another writer, or a gap)
     */
    private boolean checkpoint(Run run, CycleSnapshot snapshot, List<AgentCheckpoint> states)
            throws InterruptedException, StateConflictException {
        long backoff = 50;
        boolean warned = false;
        while (true) {
            RunJournal j = journal.await(run::stopRequested);
            if (j == null || closed) {
                // a run thread that outlived its runner's close must not commit: a new runner may have resumed
                // the run already
                return false;
            }
            try {
                j.checkpoint(snapshot, states);
                if (warned) {
                    log.info("run " + run.id + ": cycle " + snapshot.cycle() + " checkpointed after waiting");
                }
                return true;
            } catch (StateConflictException e) {
                throw e;
            } catch (IOException e) {
                if (!warned) {
                    log.warn("run " + run.id + ": cycle " + snapshot.cycle() + " could not be checkpointed yet; "
                            + "retrying until the journal takes it", e);
                    warned = true;
                }
                if (run.stopRequested()) {
                    return false;
                }
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    private void publish(CycleEventType type, Run run, long cycle, CycleSnapshot snapshot, String message) {
        events.publish(new CycleEvent(type, run.id, cycle, Instant.now(), snapshot, message));
    }
}
