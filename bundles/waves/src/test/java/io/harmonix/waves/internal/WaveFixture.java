package io.harmonix.waves.internal;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.state.testing.StateFixture;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the coordinator's tests run on: a real git repository with known findings in several components, the
 * coordinator's tables on a real Derby, a real runner engine whose agents come and go with the wave's
 * configurations ({@link EngineDeployment}), a machine load the test sets, and the coordinator wired as the
 * component wires it, its cycle listener on the engine.
 *
 * <p>The repository: {@code alpha/A.java} has a TODO and a FIXME on adjacent lines (their fixes overlap: severity
 * decides), {@code beta/B.java} two TODOs whose fixes overlap, one removing two lines and one removing one (the
 * smaller change decides), {@code gamma/stray.txt} proposes a change in {@code alpha} (outside its owner's
 * components), {@code delta/d.py} a TODO, {@code c01}..{@code c08} clean code, {@code docs/} Markdown only (not a
 * component), and the second commit's message admits a HACK, which every instance reports.
 */
final class WaveFixture implements AutoCloseable {
    static final List<String> COMPONENTS = List.of("alpha", "beta", "c01", "c02", "c03", "c04", "c05", "c06", "c07",
            "c08", "delta", "gamma");

    final Path dir;
    final GitRepo git;
    final DerbyFixture db;
    final EngineDeployment deployment;
    final AtomicReference<Load> load = new AtomicReference<>(new Load(0.1, 0.1, 1));
    final Map<Focus, Double> weights = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final int pool;
    private final StateFixture state;
    RunEngine engine;
    Coordinator coordinator;
    WaveCycles cycles;
    InfiniteMode infinite;
    WavesComponent waves;
    final WaveSettings settings;

    private WaveFixture(Path dir, int pool, int runnerPoolKnown) throws Exception {
        this(dir, pool, runnerPoolKnown, null);
    }

    private WaveFixture(Path dir, int pool, int runnerPoolKnown, StateFixture state) throws Exception {
        this.state = state;
        this.dir = dir;
        this.pool = pool;
        this.settings = new WaveSettings(Duration.ofMinutes(15), Duration.ofSeconds(20), Duration.ofSeconds(30),
                runnerPoolKnown);
        git = repo(dir.resolve("repo"));
        db = DerbyFixture.open(dir.resolve("db"), WaveTables.COMPONENT, WaveTables.MIGRATIONS);
        engine = newEngine();
        deployment = new EngineDeployment(engine);
        wire();
    }

    /** The repository described above, made at {@code at}. */
    static GitRepo repo(Path at) throws Exception {
        GitRepo git = GitRepo.init(at);
        git.write("alpha/A.java", "class A {\n// TODO tidy\n// FIXME the sum\n}\n")
                .write("beta/B.java", "class B {\n// TODO one\n//+ more\nint x;\n// TODO two\n}\n")
                .write("gamma/G.java", "class G {\n}\n")
                .write("gamma/stray.txt", "STRAY alpha/A.java\n")
                .write("delta/d.py", "# TODO py\nx = 1\n")
                .write("docs/guide.md", "TODO in the docs: not code\n")
                .write("README.md", "fixture\n");
        for (int i = 1; i <= 8; i++) {
            git.write(String.format("c%02d/X%d.java", i, i), "class X" + i + " {\n}\n");
        }
        git.commit("first");
        git.write("alpha/more.txt", "fine\n").commit("HACK around the build");
        return git;
    }

    /** @param pool the runner's agent pool, which the coordinator is told */
    static WaveFixture open(Path dir, int pool) throws Exception {
        return new WaveFixture(dir, pool, pool);
    }

    /** @param runnerPoolKnown the pool the coordinator is told the runner has, whatever it has */
    static WaveFixture open(Path dir, int pool, int runnerPoolKnown) throws Exception {
        return new WaveFixture(dir, pool, runnerPoolKnown);
    }

    Path repo() {
        return git.root();
    }

    private RunEngine newEngine() {
        RunnerSettings runner = new RunnerSettings(pool, Duration.ofSeconds(30), 50, false);
        if (state == null) {
            return new RunEngine(runner, RunnerLog.console());
        }
        JournalGate gate = new JournalGate();
        gate.set(state.journal());
        RunEngine e = new RunEngine(runner, RunnerLog.console(), gate);
        e.addRecorder(s -> { }); // the index's place: a journaled runner commits only what a recorder took
        return e;
    }

    /**
     * As {@link #open}, the runner journaling its runs in the state schema of a second real Derby, so that a run
     * going when the runtime stops is interrupted and can be resumed after a restart.
     */
    static WaveFixture openJournaled(Path dir, int pool) throws Exception {
        return new WaveFixture(dir, pool, pool, StateFixture.open(dir.resolve("state"), id -> null));
    }

    /** Where the wave's proposals go: nowhere (null) unless a test gives a sink ({@link #sink}). */
    private ProposalSink sink;

    /** Sends the waves' proposals to {@code to} from now on (the runtime's {@link LedgerSink}, say). */
    void sink(ProposalSink to) {
        engine.removeListener(cycles);
        engine.removePreparer(waves);
        waves.deactivate();
        sink = to;
        wire();
    }

    private void wire() {
        RunPace pace = new RunPace();
        coordinator = new Coordinator(new WaveStore(db.dataSource()), deployment, engine, load::get,
                () -> Map.copyOf(weights), settings, dir, Clock.systemUTC());
        cycles = new WaveCycles(coordinator, pace, sink, log::add);
        infinite = new InfiniteMode(coordinator, log::add);
        waves = new WavesComponent(coordinator, cycles, infinite);
        engine.addListener(cycles, "waves");
        engine.addPreparer(waves);
    }

    /**
     * A crash and a restart: the engine goes with its runs (it keeps no journal), the configurations stay (as
     * Configuration Admin's), a new engine and coordinator come up on the same database and recover.
     */
    List<String> restart() throws Exception {
        return restart(true);
    }

    /** @param resumeRuns false: a restart in exec mode, which resumes no run */
    List<String> restart(boolean resumeRuns) throws Exception {
        waves.deactivate();
        engine.removeListener(cycles); // a crash tells no one: the end of its runs is not seen
        engine.close(Duration.ofSeconds(10));
        engine = newEngine();
        deployment.engine = engine;
        deployment.reregister();
        wire();
        List<String> done = coordinator.recover(resumeRuns);
        infinite.resume();
        return done;
    }

    /** @return the runs of a wave, one per instance, in the order of its instances */
    List<String> runs(Wave w) {
        return w.instances().stream().map(i -> i.runId()).toList();
    }

    /** Waits until the wave has ended (the end of its run handled), at most a minute. */
    Wave awaitEnd(String waveId) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < until) {
            Wave w = coordinator.wave(waveId).orElseThrow();
            if (w.status().ended()) {
                return w;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("wave " + waveId + " did not end within a minute: "
                + coordinator.wave(waveId).orElseThrow() + "; log " + log);
    }

    @Override
    public void close() throws Exception {
        waves.deactivate();
        engine.close(Duration.ofSeconds(10));
        db.close();
        if (state != null) {
            state.close();
        }
    }
}
