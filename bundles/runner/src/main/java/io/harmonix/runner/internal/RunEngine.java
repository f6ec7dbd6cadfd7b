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
    private volatile RunnerSettings settings;
    private volatile boolean closed;

    public RunEngine(RunnerSettings settings, RunnerLog log) {
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
        Run run;
        synchronized (runs) {
            String id = request.runId() == null ? newRunId() : request.runId();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("run id '" + id
                        + "' must be 1-64 letters, digits, '.', '-' or '_'");
            }
            if (runs.containsKey(id)) {
                throw new IllegalArgumentException("a run with id '" + id + "' exists already");
            }
            run = new Run(id, request, deadline, settings.historySize());
            runs.put(id, run);
            forgetOldRuns();
        }
        run.thread = new Thread(() -> drive(run), "harmonix-run-" + run.id);
        run.thread.start();
        return run.info();
    }

    @Override
    public List<RunInfo> runs() {
        synchronized (runs) {
            return runs.values().stream().map(Run::info).toList();
        }
    }

    @Override
    public Optional<RunInfo> run(String runId) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(runId)).map(Run::info);
        }
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle) {
        return find(runId).cyclesAfter(afterCycle);
    }

    @Override
    public RunInfo pause(String runId) {
        Run run = find(runId);
        run.requestPause();
        return run.info();
    }

    @Override
    public RunInfo resume(String runId) {
        Run run = find(runId);
        run.requestResume();
        return run.info();
    }

    @Override
    public RunInfo stop(String runId) {
        Run run = find(runId);
        run.requestStop("on request");
        return run.info();
    }

    @Override
    public RunInfo await(String runId, Duration timeout) throws InterruptedException {
        Run run = find(runId);
        run.finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return run.info();
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
        all.forEach(r -> r.requestStop("the runner was shut down"));
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
            if (run == null) {
                throw new IllegalArgumentException("unknown run '" + runId + "'" + (runs.isEmpty()
                        ? "; there are no runs" : "; runs: " + String.join(", ", runs.keySet())));
            }
            return run;
        }
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
        RunState end = RunState.COMPLETED;
        String why = null;
        try {
            while (run.moreCycles()) {
                if (run.pauseIfRequested()) {
                    publish(CycleEventType.RUN_PAUSED, run, 0, null, null);
                    run.awaitResume();
                    if (run.stopRequested()) {
                        break;
                    }
                    publish(CycleEventType.RUN_RESUMED, run, 0, null, null);
                }
                long cycle = run.completedCycles() + 1;
                try {
                    runCycle(run, cycle);
                } catch (IOException e) {
                    end = RunState.FAILED;
                    why = "cycle " + cycle + " could not be recorded: " + e.getMessage();
                    log.error("run " + run.id + ": " + why, e);
                    publish(CycleEventType.CYCLE_FAILED, run, cycle, null, why);
                    return;
                }
                if (run.moreCycles()) {
                    run.sleepInterval();
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
            run.finish(end, why);
            publish(CycleEventType.RUN_FINISHED, run, 0, null, end.name().toLowerCase()
                    + (run.info().message() == null ? "" : ": " + run.info().message()));
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

        // The commit: durable first, then the new states count, then the world is told.
        for (CycleRecorder recorder : recorders) {
            recorder.recordCycle(snapshot);
        }
        run.states.putAll(newStates);
        run.committed(snapshot, failed);
        publish(CycleEventType.CYCLE_COMPLETED, run, cycle, snapshot, null);
    }

    private void publish(CycleEventType type, Run run, long cycle, CycleSnapshot snapshot, String message) {
        events.publish(new CycleEvent(type, run.id, cycle, Instant.now(), snapshot, message));
    }
}
