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
 * instances deployed, each instance run by the runner as a run of its own ({@value #RUN_PREFIX}, the wave's id and
 * the instance's number), and once all its runs ended (or on {@link #stop}, or when a restart finds their runs
 * gone) their configurations deleted and their leases released. In a cluster each run goes where its lease is: the
 * runtime that takes one over deploys that run's instance first ({@link #prepare}), the one that lost it deletes
 * its own ({@link #released}); a stop is recorded in the wave's row, and each runtime stops the runs it drives
 * ({@link #actOnStops}). The start and end of waves at a runtime's start are {@link WaveRecovery}'s, stops and
 * ends {@link WaveStops}'. A little over 500 lines: what is left is a wave's start and the preparation of its runs,
 * which share the deployment and the set of runs being prepared here, and belong together.
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
    private final WaveStops stops;
    /** Puts together the cycles of a wave its runs committed and nobody aggregated yet ({@link WaveCycles}). */
    private volatile SqlConsumer<Wave> aggregator = w -> { };

    /** What {@link #aggregator} is. */
    interface SqlConsumer<T> {
        void accept(T t) throws SQLException;
    }

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
        this.stops = new WaveStops(this, runner);
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
                        plan.get(i).components(), "claiming its components", RUN_PREFIX + name));
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
            kept.add(new WaveStore.Instance(in.agentId(), waveId, in.type(), in.configName(), got, in.doing(),
                    in.runId()));
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
            List<String> started = new ArrayList<>();
            try {
                for (WaveStore.Instance in : instances) {
                    if (store.stopRequested(id)) {
                        break; // wave:stop while it was deploying: no more runs
                    }
                    if (startRun(in, request.cycles(), request.interval(), settings.deadline())) {
                        started.add(in.runId());
                    }
                }
            } catch (RuntimeException e) {
                started.forEach(this::stopQuietly);
                throw e;
            }
            // only from deploying: a short wave may have ended before this line
            store.running(id);
            dropOffered(instances);
            endIfRunsEnded(id); // stopped while deploying, or every run over already
        } catch (IOException | SQLException | RuntimeException e) {
            if (wave(id).map(w -> !w.status().ended()).orElse(false)) {
                // its runs started go no further: those offered would be claimed by runtimes with room (which
                // prepare no run of an ended wave), and one driven elsewhere stops at its next cycle (WaveCycles)
                for (WaveStore.Instance in : instances) {
                    stopHere(in.runId());
                }
                end(id, WaveStatus.FAILED, "could not be deployed: " + e.getMessage());
            }
            throw e;
        }
        return wave(id).orElseThrow();
    }

    /**
     * Starts the run of an instance whose agent is here.
     *
     * @return true when this call started it; false when it exists already (another runtime, continuing a wave
     *     whose starter seemed gone, started it first: it goes on there)
     */
    boolean startRun(WaveStore.Instance in, long cycles, java.time.Duration interval, java.time.Duration deadline) {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("wave", in.waveId());
        try {
            runner.start(new RunRequest(in.runId(), List.of(in.agentId()), cycles, interval, deadline, inputs));
            return true;
        } catch (IllegalArgumentException e) {
            if (runner.run(in.runId()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A run this runtime has no room for is offered to the others (the runner's {@code maxRuns}), and one another
     * runtime started is driven there: the agent of its instance here would be of no use (the runtime that claims it
     * deploys its own), so its configuration here is deleted.
     */
    void dropOffered(List<WaveStore.Instance> instances) {
        for (WaveStore.Instance in : instances) {
            synchronized (preparing) { // not while this runtime prepares it: it claimed it back meanwhile
                RunState state = runState(in.runId());
                if (state != null && !state.finished() && !drivenHere(in.runId())
                        && !preparing.contains(in.runId())) {
                    try {
                        deployment.remove(in.type(), in.configName());
                    } catch (IOException e) {
                        // housekeeping, not the wave's work: its run goes on where it is; the idle agent here goes
                        // when the wave ends here, or at this runtime's next start (a wave's configuration of a
                        // wave not running is deleted then)
                        warn.accept("wave " + in.waveId() + ": the configuration of " + in.agentId() + ", whose run "
                                + in.runId() + " goes on in another runtime, could not be deleted here: "
                                + e.getMessage());
                    }
                }
            }
        }
    }

    /** Where what goes wrong beside a wave's work is told (the runtime's log). */
    private volatile java.util.function.Consumer<String> warn = m -> { };

    /** Sets where what goes wrong beside a wave's work is told. */
    void warnings(java.util.function.Consumer<String> to) {
        this.warn = to;
    }

    /** The runs this runtime has prepared (or prepares) to drive: {@link #dropOffered} leaves their agents. */
    private final Set<String> preparing = new java.util.HashSet<>();

    /** Deploys the configurations of instances here and waits for their agents. @return the agents missing */
    List<String> deployHere(String target, List<WaveStore.Instance> instances) throws IOException {
        for (WaveStore.Instance in : instances) {
            deployment.deploy(in.type(), in.configName(), target, in.components());
        }
        return awaitAgents(instances.stream().map(WaveStore.Instance::agentId).toList());
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

    /** Sets what aggregates the cycles of a wave that are ready (its cycle listener's). */
    void aggregator(SqlConsumer<Wave> aggregator) {
        this.aggregator = aggregator;
    }

    /** Aggregates the cycles of the wave all its runs committed that nobody aggregated yet: its report is whole. */
    void aggregate(Wave w) throws SQLException {
        aggregator.accept(w);
    }

    /** Stops a wave from this runtime, whichever runtimes drive its runs: {@link WaveStops#stop}. */
    Wave stop(String waveId) {
        return stops.stop(waveId);
    }

    /** @see WaveStops#stopHere */
    boolean stopHere(String runId) {
        return stops.stopHere(runId);
    }

    /** @see WaveStops#actOnStops */
    void actOnStops() throws SQLException {
        stops.actOnStops();
    }

    private void stopQuietly(String runId) {
        try {
            runner.stop(runId);
        } catch (RuntimeException e) {
            // the wave is failed anyway; its run ends at its next cycle or is ended at the next start
        }
    }

    /** @see WaveStops#endIfRunsEnded */
    boolean endIfRunsEnded(String waveId) {
        return stops.endIfRunsEnded(waveId);
    }

    /** A run of a wave ended here (not interrupted): its instance's configuration here is deleted. */
    void runEnded(String runId) throws SQLException {
        synchronized (preparing) {
            preparing.remove(runId);
        }
        store.instancesOfRun(runId).forEach(this::runEnded);
    }

    /** Deletes the configuration of an instance here. */
    void runEnded(WaveStore.Instance in) {
        try {
            deployment.remove(in.type(), in.configName());
        } catch (IOException e) {
            throw new IllegalStateException("configuration of " + in.agentId() + " not deleted: " + e, e);
        }
    }

    /** @see WaveRecovery#continueLeft */
    List<String> continueLeft() throws SQLException, IOException {
        return new WaveRecovery(this, deployment, runner).continueLeft();
    }

    /**
     * Ends a wave once: its status and end recorded, its instances' configurations deleted, its leases released.
     * A wave already ended is left as it is (a stop and the end of its run may both come).
     */
    synchronized void end(String waveId, WaveStatus status, String message) {
        // several runtimes may end it at once (each saw its last run end): each deletes its own configurations of
        // it, and the status is written once (WaveStore#end)
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
            store.end(waveId, status, clock.instant(), message); // once, whichever runtime gets there first
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("wave " + waveId + " could not be ended cleanly: " + e, e);
        }
    }

    /** After a restart: see {@link WaveRecovery#recover}. @return what was done, one line per wave */
    List<String> recover(boolean resumeRuns) throws SQLException, IOException {
        return new WaveRecovery(this, deployment, runner).recover(resumeRuns);
    }

    /** @return whether this runtime's runner drives the run now (going or paused here; not known from the journal) */
    boolean drivenHere(String runId) {
        return runId != null && runner.run(runId).map(r -> r.state() == RunState.RUNNING
                || r.state() == RunState.PAUSED).orElse(false);
    }

    /**
     * Readies this runtime for a run of a wave it is about to drive but did not start (the runner asks: a run taken
     * over from a runtime that died, offered by one that had no room, or resumed at a start), as
     * {@link io.harmonix.runner.api.RunPreparer}: that run's instance is deployed here (Configuration Admin is each
     * runtime's own: those of the runtime that started the wave are of no use here), its component leases renewed
     * (the runtime driving the run renews them, at each cycle), and its agent awaited. Other runs are left as they
     * are; a run of a wave that has ended is stopped (journaled stopped, its lease released) and refused, so that no
     * runtime drives it or claims it again.
     *
     * @throws IllegalStateException when the agent did not come within the agent wait (the runner then leaves a run
     *     taken over to another runtime)
     */
    void prepare(String runId) throws SQLException, IOException {
        if (!runId.startsWith(RUN_PREFIX)) {
            return;
        }
        List<WaveStore.Instance> ofRun = store.instancesOfRun(runId);
        Optional<Wave> w = ofRun.isEmpty() ? Optional.empty() : wave(ofRun.get(0).waveId());
        if (w.isEmpty()) {
            return;
        }
        if (w.get().status().ended()) {
            // a run left offered, or interrupted, by a wave that failed or was ended meanwhile: it is stopped, so no
            // runtime claims it again (each would find no agent for it, and leave it to the next, for good)
            stopHere(runId);
            throw new IllegalStateException("wave " + w.get().id() + " has ended (" + w.get().status()
                    .name().toLowerCase(java.util.Locale.ROOT) + "): its run " + runId + " is stopped, not resumed");
        }
        List<String> ids = new ArrayList<>();
        List<WaveStore.Instance> deployedNow = new ArrayList<>();
        try {
            synchronized (preparing) {
                preparing.add(runId);
                Set<String> here = deployment.deployed(w.get().id() + "-").stream()
                        .map(AgentDeployment.Deployed::name).collect(Collectors.toSet());
                for (WaveStore.Instance in : ofRun) {
                    if (!here.contains(in.configName())) {
                        deployment.deploy(in.type(), in.configName(), w.get().target(), in.components());
                        deployedNow.add(in);
                    }
                    ids.add(in.agentId());
                }
            }
            for (WaveStore.Instance in : ofRun) {
                leases.renew(in.agentId(), clock.instant(), settings.leaseTime());
            }
            List<String> missing = awaitAgents(ids);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("wave " + w.get().id() + ": its agents did not appear within "
                        + settings.agentWait().toSeconds() + " s: " + String.join(", ", missing));
            }
        } catch (SQLException | IOException | RuntimeException e) {
            // the run is not driven here (the runner leaves it to a runtime ready for it): nothing of it stays, or
            // dropOffered would keep its agent here for good and a later claim find an agent deployed for nothing
            synchronized (preparing) {
                preparing.remove(runId);
                for (WaveStore.Instance in : deployedNow) {
                    try {
                        deployment.remove(in.type(), in.configName());
                    } catch (IOException notDeleted) {
                        e.addSuppressed(notDeleted); // deleted at the wave's end or the next start
                    }
                }
            }
            throw e;
        }
        // from deploying only, and once every run of it exists: its starter died between the runs' start and this
        boolean allStarted = true;
        for (WaveStore.Instance in : store.instances(w.get().id())) {
            allStarted &= in.runId() != null && runner.run(in.runId()).isPresent();
        }
        if (allStarted) {
            store.running(w.get().id());
        }
    }

    /**
     * A run of a wave stopped here because another runtime of the cluster holds it now: it goes on there, so only its
     * instance's configuration here is deleted (it would make an agent of it here for nothing).
     */
    void released(String runId) throws SQLException, IOException {
        if (!runId.startsWith(RUN_PREFIX)) {
            return;
        }
        synchronized (preparing) {
            preparing.remove(runId);
        }
        for (WaveStore.Instance in : store.instancesOfRun(runId)) {
            deployment.remove(in.type(), in.configName());
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

    /** @return the run as the runner knows it (going here, or from the journal, which the cluster shares) */
    Optional<RunInfo> run(String runId) {
        return runner.run(runId);
    }

    /** @return cycle {@code cycle} of a run, as committed (none when it was not, or is no longer retained) */
    Optional<io.harmonix.cycle.api.CycleSnapshot> cycle(String runId, long cycle) {
        try {
            return runner.cycles(runId, cycle - 1).stream().filter(s -> s.cycle() == cycle).findFirst();
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    static String newId(String prefix) {
        byte[] b = new byte[4];
        IDS.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
