package io.harmonix.waves.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TargetException;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.AgentInstance;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Waves from start to end: planned over the components nobody owns, recorded, their components claimed, their
 * instances deployed, run by the runner as one run ({@value #RUN_PREFIX} and the wave's id), and at the end (or on
 * {@link #stop}, or when a restart finds their run gone) their configurations deleted and their leases released.
 * In a cluster the run goes where its lease is: the runtime that takes it over deploys the wave's instances first
 * ({@link #prepare}), the one that lost it deletes its own ({@link #released}).
 */
final class Coordinator {
    static final String RUN_PREFIX = "wave-";
    private static final SecureRandom IDS = new SecureRandom();

    final WaveStore store;
    final Leases leases;
    private final AgentDeployment deployment;
    private final CycleRunner runner;
    private final Load.Gauge gauge;
    private final Supplier<Map<Focus, Double>> weights;
    private final WaveSettings settings;
    private final Path home;
    final Clock clock;

    Coordinator(WaveStore store, AgentDeployment deployment, CycleRunner runner, Load.Gauge gauge,
            Supplier<Map<Focus, Double>> weights, WaveSettings settings, Path home, Clock clock) {
        this.store = store;
        this.leases = new Leases(store.dataSource());
        this.deployment = deployment;
        this.runner = runner;
        this.gauge = gauge;
        this.weights = weights;
        this.settings = settings;
        this.home = home;
        this.clock = clock;
    }

    WaveSettings settings() {
        return settings;
    }

    Load load() {
        return gauge.read();
    }

    Map<Focus, Double> weights() {
        return weights.get();
    }

    /** Starts a wave; {@code series} and {@code throttle} for infinite mode (null and 0 otherwise). */
    Wave start(WaveRequest request, String series, int throttle) {
        Target target = open(request);
        try {
            List<String> components = request.components().isEmpty() ? Components.of(target) : target.components();
            if (components.isEmpty()) {
                throw new IllegalArgumentException("target " + target.root() + " has no top-level folder holding code "
                        + "to make components of; give them with --components a,b");
            }
            String root = target.root().toString();
            Instant now = clock.instant();
            Set<String> owned = leases.onTarget(root).stream().filter(l -> l.expiresAt().isAfter(now))
                    .map(Leases.Lease::component).collect(Collectors.toSet());
            List<String> free = components.stream().filter(c -> !owned.contains(c)).toList();
            if (free.isEmpty()) {
                throw new IllegalArgumentException("every component of " + root + " asked for (" + String.join(", ",
                        components) + ") is owned by an instance of a running wave (wave:agents lists them)");
            }
            // infinite mode's throttle is already the room the load leaves (InfiniteMode): not scaled twice
            double capacity = request.size() == WaveSize.INFINITE ? 1.0 : gauge.read().capacity();
            List<WavePlanner.Planned> plan = WavePlanner.plan(request.size(), request.focus(), free, capacity,
                    throttle, weights.get());
            if (plan.isEmpty()) {
                throw new IllegalStateException("no capacity left for a wave on " + root + ": " + gauge.read());
            }
            String id = newId("w-");
            List<WaveStore.Instance> instances = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                String name = id + "-" + (i + 1);
                String type = plan.get(i).type();
                instances.add(new WaveStore.Instance(AgentDeployment.agentId(type, name), id, type, name,
                        plan.get(i).components(), "claiming its components"));
            }
            Focus focus = request.size() == WaveSize.SMALL ? Focus.parse(plan.get(0).type()) : null;
            store.insert(new Wave(id, root, request.size(), focus, components, WaveStatus.DEPLOYING, List.of(),
                    RUN_PREFIX + id, request.cycles(), series, now, null, null), instances);
            return deploy(id, root, request, claim(root, id, instances, now));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("wave on " + target.root() + " could not be started: " + e, e);
        }
    }

    private Target open(WaveRequest request) {
        try {
            return Target.open(home, request.target(), request.components());
        } catch (TargetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the target cannot be analysed, saying why */
    void checkTarget(String target) {
        open(WaveRequest.of(target, WaveSize.LARGE, null, List.of()));
    }

    /** Claims each planned instance's components; an instance left with none is dropped. @return those kept */
    private List<WaveStore.Instance> claim(String root, String waveId, List<WaveStore.Instance> planned, Instant now)
            throws SQLException {
        List<WaveStore.Instance> kept = new ArrayList<>();
        for (WaveStore.Instance in : planned) {
            List<String> got = new ArrayList<>();
            for (String c : in.components()) {
                if (leases.claim(root, c, in.agentId(), waveId, now, settings.leaseTime())) {
                    got.add(c);
                }
            }
            if (got.isEmpty()) {
                store.dropInstance(in.agentId());
                continue;
            }
            if (!got.equals(in.components())) {
                store.components(in.agentId(), got);
            }
            store.doing(in.agentId(), "waiting for its agent");
            kept.add(new WaveStore.Instance(in.agentId(), waveId, in.type(), in.configName(), got, in.doing()));
        }
        return kept;
    }

    private Wave deploy(String id, String root, WaveRequest request, List<WaveStore.Instance> instances)
            throws SQLException, IOException {
        if (instances.isEmpty()) {
            end(id, WaveStatus.FAILED, "every component was claimed by another wave meanwhile");
            throw new IllegalArgumentException("wave " + id + " on " + root + ": every component was claimed by "
                    + "another wave meanwhile");
        }
        try {
            for (WaveStore.Instance in : instances) {
                deployment.deploy(in.type(), in.configName(), root, in.components());
            }
            List<String> ids = instances.stream().map(WaveStore.Instance::agentId).toList();
            List<String> missing = awaitAgents(ids);
            if (!missing.isEmpty()) {
                String why = "its agents did not appear within " + settings.agentWait().toSeconds() + " s: "
                        + String.join(", ", missing) + " (is the bundle of their type installed and active?)";
                end(id, WaveStatus.FAILED, why);
                throw new IllegalStateException("wave " + id + " failed: " + why);
            }
            for (WaveStore.Instance in : instances) {
                store.doing(in.agentId(), "running");
            }
            ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("wave", id);
            runner.start(new RunRequest(RUN_PREFIX + id, ids, request.cycles(), request.interval(),
                    settings.deadline(), inputs));
            // only from deploying: a short run may have ended (and the wave with it) before this line
            store.running(id);
        } catch (IOException | RuntimeException e) {
            if (wave(id).map(w -> !w.status().ended()).orElse(false)) {
                end(id, WaveStatus.FAILED, "could not be deployed: " + e.getMessage());
            }
            throw e;
        }
        return wave(id).orElseThrow();
    }

    private List<String> awaitAgents(List<String> ids) {
        Instant until = clock.instant().plus(settings.agentWait());
        while (true) {
            Set<String> present = runner.agents().stream().map(AgentInfo::agentId).collect(Collectors.toSet());
            List<String> missing = ids.stream().filter(i -> !present.contains(i)).toList();
            if (missing.isEmpty() || clock.instant().isAfter(until)) {
                return missing;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }

    /** Stops a wave's run (waiting for its cycle under way, up to the agent wait) and ends it. */
    Wave stop(String waveId) {
        Wave w = wave(waveId).orElseThrow(() -> new IllegalArgumentException("wave:stop: no wave '" + waveId
                + "' (wave:list shows them)"));
        if (w.status().ended()) {
            return w;
        }
        if (w.runId() != null && runner.run(w.runId()).isPresent()) {
            runner.stop(w.runId());
            try {
                runner.await(w.runId(), settings.agentWait());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        end(waveId, WaveStatus.STOPPED, "stopped on request");
        return wave(waveId).orElseThrow();
    }

    /**
     * Ends a wave once: its status and end recorded, its instances' configurations deleted, its leases released.
     * A wave already ended is left as it is (a stop and the end of its run may both come).
     */
    synchronized void end(String waveId, WaveStatus status, String message) {
        try {
            Optional<Wave> w = wave(waveId);
            if (w.isEmpty() || w.get().status().ended()) {
                return;
            }
            // instances and leases go first: once the wave reads ended, nothing of it is left
            for (WaveStore.Instance in : store.instances(waveId)) {
                deployment.remove(in.type(), in.configName());
                store.done(in.agentId());
            }
            leases.releaseWave(waveId);
            store.update(waveId, status, null, clock.instant(), message);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("wave " + waveId + " could not be ended cleanly: " + e, e);
        }
    }

    /**
     * After a restart: a wave whose run goes on here, or can be resumed here, is kept (its instances deployed by
     * {@link #prepare} as the runner resumes the run); one whose run another runtime of the cluster drives is left
     * to it; any other is ended. Then configurations of waves not running here are deleted, so none leaks. A wave
     * that cannot be recovered is said so and the others go on.
     *
     * @param resumeRuns false in exec mode, whose commands are one-shot (the runner and the workflow engine resume
     *     nothing there either): a wave whose run was interrupted is kept as it is, to go on at the next start in
     *     run or shell mode, or by {@code cycle:resume}
     * @return what was done, one line per wave
     */
    List<String> recover(boolean resumeRuns) throws SQLException, IOException {
        List<String> done = new ArrayList<>();
        Set<String> elsewhere = new java.util.HashSet<>();
        for (Wave w : store.unended(leases)) {
            try {
                done.add(w.id() + ": " + recover(w, resumeRuns, elsewhere));
            } catch (SQLException | IOException | RuntimeException e) {
                done.add(w.id() + ": not recovered here: " + e.getMessage());
            }
        }
        for (AgentDeployment.Deployed d : deployment.deployed("w-")) {
            String waveId = d.name().substring(0, Math.max(0, d.name().lastIndexOf('-')));
            Optional<Wave> w = wave(waveId);
            if (w.isEmpty() || w.get().status().ended()) {
                deployment.remove(d.type(), d.name());
                done.add(d.name() + ": configuration deleted (wave not running)");
            } else if (elsewhere.contains(waveId) && !drivenHere(w.get().runId())) {
                deployment.remove(d.type(), d.name());
                done.add(d.name() + ": configuration deleted (its wave goes on in another runtime)");
            }
        }
        return done;
    }

    /** Recovers one unended wave. @return what was done */
    private String recover(Wave w, boolean resumeRuns, Set<String> elsewhere) throws SQLException, IOException {
        Optional<RunInfo> run = w.runId() == null ? Optional.empty() : runner.run(w.runId());
        if (run.isEmpty() && w.status() == WaveStatus.DEPLOYING
                && w.startedAt().plus(settings.agentWait()).isAfter(clock.instant())) {
            // its starter may be waiting for its agents in another runtime: it starts the run or ends the wave
            return "left (deploying, no run yet: started " + w.startedAt() + ", maybe by another runtime)";
        }
        if (run.isEmpty() || run.get().state().finished()) {
            String why = run.isEmpty() ? "its run is gone" : "its run is " + run.get().state().name()
                    .toLowerCase(java.util.Locale.ROOT);
            end(w.id(), run.map(r -> r.state() == RunState.COMPLETED ? WaveStatus.COMPLETED : null)
                    .orElse(WaveStatus.STOPPED), "ended at restart: " + why);
            return "ended (" + why + ")";
        }
        if (drivenHere(w.runId())) {
            prepare(w.runId()); // deploys only what is missing: the run goes on with its agents as they are
            return "resumed (run " + w.runId() + ")";
        }
        if (!resumeRuns) {
            return "kept (run " + w.runId() + " is " + run.get().state().name().toLowerCase(java.util.Locale.ROOT)
                    + "; it goes on at the next start in run or shell mode, or by cycle:resume " + w.runId() + ")";
        }
        try {
            runner.resume(w.runId()); // claims its lease; the runner has this coordinator prepare it first
            return "resumed (run " + w.runId() + ")";
        } catch (IllegalArgumentException e) {
            Optional<RunInfo> now = runner.run(w.runId());
            if (now.isPresent() && !now.get().state().finished() && !drivenHere(w.runId())) {
                elsewhere.add(w.id());
                return "left to the runtime that drives run " + w.runId() + " (" + e.getMessage() + ")";
            }
            throw e;
        }
    }

    /** @return whether this runtime's runner drives the run now (going or paused here; not known from the journal) */
    private boolean drivenHere(String runId) {
        return runId != null && runner.run(runId).map(r -> r.state() == RunState.RUNNING
                || r.state() == RunState.PAUSED).orElse(false);
    }

    /**
     * Readies this runtime for a wave's run it is about to drive but did not start (the runner asks: a run taken
     * over from a runtime that died, or resumed at a start), as {@link io.harmonix.runner.api.RunPreparer}: the
     * wave's instances are deployed here (Configuration Admin is each runtime's own: those of the runtime that
     * started the wave are of no use here), their component leases renewed (the runtime driving the run renews
     * them, at each cycle), and their agents awaited. Other runs, and runs of waves that ended, are left as they are.
     *
     * @throws IllegalStateException when an agent did not come within the agent wait (the runner then leaves a run
     *     taken over to another runtime)
     */
    void prepare(String runId) throws SQLException, IOException {
        if (!runId.startsWith(RUN_PREFIX)) {
            return;
        }
        Optional<Wave> w = store.byRun(runId, leases);
        if (w.isEmpty() || w.get().status().ended()) {
            return;
        }
        Set<String> here = deployment.deployed(w.get().id() + "-").stream().map(AgentDeployment.Deployed::name)
                .collect(Collectors.toSet());
        List<String> ids = new ArrayList<>();
        for (WaveStore.Instance in : store.instances(w.get().id())) {
            if (!here.contains(in.configName())) {
                deployment.deploy(in.type(), in.configName(), w.get().target(), in.components());
            }
            leases.renew(in.agentId(), clock.instant(), settings.leaseTime());
            ids.add(in.agentId());
        }
        List<String> missing = awaitAgents(ids);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("wave " + w.get().id() + ": its agents did not appear within "
                    + settings.agentWait().toSeconds() + " s: " + String.join(", ", missing));
        }
        store.running(w.get().id()); // from deploying only: its starter died between the run's start and this
    }

    /**
     * The wave's run stopped here because another runtime of the cluster holds it now: the wave goes on there, so
     * only its configurations here are deleted (they would make agents of it here for nothing).
     */
    void released(String runId) throws SQLException, IOException {
        if (!runId.startsWith(RUN_PREFIX)) {
            return;
        }
        Optional<Wave> w = store.byRun(runId, leases);
        if (w.isPresent()) {
            for (WaveStore.Instance in : store.instances(w.get().id())) {
                deployment.remove(in.type(), in.configName());
            }
        }
    }

    Optional<Wave> wave(String waveId) {
        try {
            return store.wave(waveId, leases);
        } catch (SQLException e) {
            throw new IllegalStateException("waves unreadable: " + e, e);
        }
    }

    List<Wave> waves() {
        try {
            return store.waves(leases);
        } catch (SQLException e) {
            throw new IllegalStateException("waves unreadable: " + e, e);
        }
    }

    List<Wave> waves(int offset, int limit) {
        try {
            return store.waves(leases, offset, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("waves unreadable: " + e, e);
        }
    }

    WaveReport report(String waveId) {
        Wave w = wave(waveId).orElseThrow(() -> new IllegalArgumentException("no wave '" + waveId
                + "' (wave:list shows them)"));
        try {
            return new WaveReport(w, store.findings(waveId), store.conflicts(waveId), store.proposals(waveId));
        } catch (SQLException e) {
            throw new IllegalStateException("wave " + waveId + " unreadable: " + e, e);
        }
    }

    List<AgentInstance> activeAgents() {
        try {
            List<AgentInstance> out = new ArrayList<>();
            for (Wave w : store.unended(leases)) {
                out.addAll(w.instances());
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("waves unreadable: " + e, e);
        }
    }

    /** @return the state of a run, or null when the runner does not know it */
    RunState runState(String runId) {
        return runId == null ? null : runner.run(runId).map(RunInfo::state).orElse(null);
    }

    static String newId(String prefix) {
        byte[] b = new byte[4];
        IDS.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
