package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the agents of one cycle and builds its snapshot. The agents are called in parallel on the agent pool that
 * all runs share, each with the run's deadline counted from the cycle's start; an agent that throws, misses the
 * deadline (it is then interrupted) or is absent fails its entry and keeps its previous state.
 */
final class CycleExecutor {
    private final AgentDirectory agents;
    private final ThreadPoolExecutor pool;

    CycleExecutor(AgentDirectory agents, int poolSize) {
        this.agents = agents;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(poolSize, poolSize, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "harmonix-agent-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Resizes the agent pool in place; calls under way go on. */
    void resize(int poolSize) {
        // the core size may never exceed the maximum, so the order depends on the direction
        if (poolSize > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(poolSize);
            pool.setCorePoolSize(poolSize);
        } else {
            pool.setCorePoolSize(poolSize);
            pool.setMaximumPoolSize(poolSize);
        }
    }

    /** Interrupts the agents still running; calls made after this fail their entries. */
    void shutdown() {
        pool.shutdownNow();
    }

    /**
     * Calls the agents {@code run} names (or every agent present) for {@code cycle}, each from its state after the
     * last committed cycle.
     */
    ExecutedCycle execute(Run run, long cycle, Instant startedAt) throws InterruptedException {
        Instant deadline = startedAt.plus(run.deadline);
        AgentDirectory.Selection selection = agents.select(run.request.agentIds());
        Map<String, AgentHandle> selected = selection.present();

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
                calls.put(h.id(), CompletableFuture.failedFuture(
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
                        cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
            }
        }
        for (String id : selection.absent()) {
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
        return new ExecutedCycle(snapshot, newStates, selected, failed);
    }
}
