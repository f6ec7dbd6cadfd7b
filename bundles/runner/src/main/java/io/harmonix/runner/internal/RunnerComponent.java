package io.harmonix.runner.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.RunJournal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runner as a DS component: {@link CycleRunner} service, fed with the agent, recorder and listener
 * whiteboards. Bad configuration is logged naming each wrong property, and the previous (or default) settings
 * stay in force, so that a typo in {@code etc/} never takes the runner away. Immediate: runs are background work
 * that must not end when the last user of the service lets go of it.
 */
@Component(service = CycleRunner.class, immediate = true, configurationPid = RunnerSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RunnerConfig.class)
public class RunnerComponent implements CycleRunner {
    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private final JournalGate journal = new JournalGate();
    private volatile RunEngine engine;
    private boolean execMode;
    private final java.util.Deque<Runnable> early = new java.util.concurrent.ConcurrentLinkedDeque<>();

    @Activate
    void activate(Map<String, Object> props, org.osgi.framework.BundleContext context) {
        execMode = context.getProperty("harmonix.exec") != null;
        RunEngine e = new RunEngine(settingsOrDefault(props, RunnerSettings.DEFAULTS), log(), journal);
        synchronized (this) {
            engine = e;
            // Dynamic references can be bound before activation; replay them into the new engine.
            Runnable r;
            while ((r = early.poll()) != null) {
                r.run();
            }
        }
        logger.info("runner started: pool {}, default deadline {}", e.settings().poolSize(),
                e.settings().defaultDeadline());
        if (e.settings().resumeOnStart() && !execMode) {
            // on a thread of its own: the journal may come a moment later than this component
            Thread resume = new Thread(() -> {
                try {
                    if (journal.await(() -> engine != e) != null && engine == e) {
                        List<String> resumed = e.resumeInterrupted(Duration.ofSeconds(30));
                        if (!resumed.isEmpty()) {
                            logger.info("resumed interrupted runs: {}", resumed);
                        }
                        e.recordLastCyclesOfFinishedRuns(Duration.ofSeconds(60));
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }, "harmonix-resume");
            resume.setDaemon(true);
            resume.start();
        }
    }

    @Modified
    void modified(Map<String, Object> props) {
        RunEngine e = engine;
        e.update(settingsOrDefault(props, e.settings()));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        RunEngine e = engine;
        engine = null;
        e.close(Duration.ofSeconds(5));
    }

    private RunnerSettings settingsOrDefault(Map<String, Object> props, RunnerSettings fallback) {
        try {
            return RunnerSettings.parse(props);
        } catch (IllegalArgumentException e) {
            logger.error("configuration refused, keeping the current settings: {}", e.getMessage());
            return fallback;
        }
    }

    private RunnerLog log() {
        return new RunnerLog() {
            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                logger.warn(message, cause);
            }

            @Override
            public void error(String message, Throwable cause) {
                logger.error(message, cause);
            }
        };
    }

    /** Applies a whiteboard change now, or once the engine exists. */
    private synchronized void withEngine(java.util.function.Consumer<RunEngine> change) {
        RunEngine e = engine;
        if (e != null) {
            change.accept(e);
        } else {
            early.add(() -> change.accept(engine));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgent(Agent agent, ServiceReference<Agent> ref) {
        Bundle b = ref.getBundle();
        AgentInfo info = new AgentInfo(String.valueOf(ref.getProperty(Agent.ID)),
                ref.getProperty(Agent.TYPE) == null ? "" : String.valueOf(ref.getProperty(Agent.TYPE)),
                b == null ? -1 : b.getBundleId(), b == null ? "?" : b.getSymbolicName());
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        withEngine(e -> e.addAgent(info, agent, id));
    }

    void removeAgent(ServiceReference<Agent> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        withEngine(e -> e.removeAgent(id));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setJournal(RunJournal j) {
        journal.set(j);
    }

    void unsetJournal(RunJournal j) {
        journal.clear(j);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRecorder(CycleRecorder recorder) {
        withEngine(e -> e.addRecorder(recorder));
    }

    void removeRecorder(CycleRecorder recorder) {
        withEngine(e -> e.removeRecorder(recorder));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(CycleListener listener, ServiceReference<CycleListener> ref) {
        Bundle b = ref.getBundle();
        String name = (b == null ? "?" : b.getSymbolicName()) + "#" + ref.getProperty(Constants.SERVICE_ID);
        withEngine(e -> e.addListener(listener, name));
    }

    void removeListener(CycleListener listener) {
        withEngine(e -> e.removeListener(listener));
    }

    // ---- CycleRunner, delegated ---------------------------------------------------------------------------

    private RunEngine engine() {
        RunEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("the runner is not active");
        }
        return e;
    }

    @Override
    public RunInfo start(RunRequest request) {
        return engine().start(request);
    }

    @Override
    public List<RunInfo> runs() {
        return engine().runs();
    }

    @Override
    public Optional<RunInfo> run(String runId) {
        return engine().run(runId);
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle) {
        return engine().cycles(runId, afterCycle);
    }

    @Override
    public RunInfo pause(String runId) {
        return engine().pause(runId);
    }

    @Override
    public RunInfo resume(String runId) {
        return engine().resume(runId);
    }

    @Override
    public RunInfo stop(String runId) {
        return engine().stop(runId);
    }

    @Override
    public RunInfo await(String runId, Duration timeout) throws InterruptedException {
        return engine().await(runId, timeout);
    }

    @Override
    public List<AgentInfo> agents() {
        return engine().agents();
    }

    @Override
    public RunInfo fork(String runId, long cycle, String newRunId, Long cycles) {
        return engine().fork(runId, cycle, newRunId, cycles);
    }
}
