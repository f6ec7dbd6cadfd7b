package io.harmonix.runner.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.RunJournal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runner as a DS component: the {@link CycleRunner} service is the {@link RunEngine} itself, built by this
 * constructor (the engine stays free of OSGi, so that tests and benchmarks build it without a framework; this
 * subclass adds only the wiring), fed with the agent, recorder and listener whiteboards (bound to that engine: DS
 * binds dynamic references only once the component is constructed; the bind methods are named bind and unbind,
 * as the engine's own add and remove methods are what they call). A configuration (PID
 * {@value RunnerSettings#PID}) applies in place when it is right as a whole; a wrong one is logged naming each
 * wrong property and the settings in force stay, so that a typo in {@code etc/} never takes the runner away nor
 * resets the keys it did not touch. Immediate: runs are background work that must not end when the last user of
 * the service lets go of it.
 */
@Component(service = CycleRunner.class, immediate = true, configurationPid = RunnerSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RunnerConfig.class)
public class RunnerComponent extends RunEngine {
    private final Logger logger;
    private final JournalGate journal;
    private final boolean execMode;
    private final AtomicBoolean recovering = new AtomicBoolean();
    private volatile boolean deactivated;
    /** The cluster node bound now, or null. */
    private volatile io.harmonix.cluster.api.ClusterNode cluster;
    private final ServiceComponentRuntime components;

    @Activate
    public RunnerComponent(RunnerConfig config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger,
            @Reference ServiceComponentRuntime components) {
        // DS's account of the index's and the journal's components: a run fails with their failure rather than
        // wait for ever for a recorder or a journal that failed to start
        this(RunnerSettings.read(config, properties).orElseThrow(logger::error, logger::warn), context, logger,
                new JournalGate(), components);
    }

    private RunnerComponent(RunnerSettings settings, BundleContext context, Logger logger, JournalGate journal,
            ServiceComponentRuntime components) {
        super(settings, log(logger), journal, new ComponentDiagnosis(components));
        this.components = components;
        this.logger = logger;
        this.journal = journal;
        execMode = context.getProperty("harmonix.exec") != null;
        Bundle framework = context.getBundle(0);
        whenStopping(() -> framework.getState() == Bundle.STOPPING);
        logger.info("runner started: pool {}, default deadline {}", settings.poolSize(), settings.defaultDeadline());
    }

    /**
     * Called once the references are bound: goes on with the runs a stop or a crash interrupted, and checks the
     * last committed cycle of every other run against the index. Not in exec mode, whose commands are one-off: there
     * the check waits for the first run asked for ({@link #start}, {@link #resume}, {@link #fork}), so that a
     * command that runs nothing (agent:list, index:verify, help) does not boot, nor on a fresh data folder create,
     * the database to read the runs; a run resumed records its own last committed cycles first in any mode, and the
     * next start in shell or run mode checks the others (as it always did: exec mode ran the check beside its
     * commands, never before them).
     */
    @Activate
    void activate() {
        if (!execMode) {
            recover(settings().resumeOnStart());
        }
    }

    @Override
    public RunInfo start(RunRequest request) {
        recoverOnce();
        return super.start(request);
    }

    @Override
    public RunInfo resume(String runId) {
        recoverOnce();
        return super.resume(runId);
    }

    @Override
    public RunInfo fork(String runId, long cycle, String newRunId, Long cycles) {
        recoverOnce();
        return super.fork(runId, cycle, newRunId, cycles);
    }

    /** Exec mode: the check of the runs' last committed cycles, once, at the first run asked for. */
    private void recoverOnce() {
        if (execMode && recovering.compareAndSet(false, true)) {
            recover(false);
        }
    }

    private void recover(boolean resume) {
        // on a thread of its own: the journal may come a moment later than this component
        Thread recovery = new Thread(() -> {
            try {
                if (journal.await(() -> deactivated) != null && !deactivated) {
                    if (resume) {
                        awaitCluster();
                        List<String> resumed = resumeInterrupted(Duration.ofSeconds(30));
                        if (!resumed.isEmpty()) {
                            logger.info("resumed interrupted runs: {}", resumed);
                        }
                    }
                    recordLastCommittedCycles(Duration.ofSeconds(60));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }, "harmonix-resume");
        recovery.setDaemon(true);
        recovery.start();
    }

    /**
     * Waits (at most 30 s) for the cluster node while a component of the framework is to publish one: resuming the
     * journal's runs before it would drive runs that another runtime of the cluster drives (two writers of one run).
     * The cluster bundle is in the core feature, yet the runner does without it: its node needs the store's
     * DataSource, and a runtime whose cluster component is absent or failed for good is a cluster of one.
     */
    private void awaitCluster() throws InterruptedException {
        String service = io.harmonix.cluster.api.ClusterNode.class.getName();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (cluster == null && !deactivated && System.nanoTime() < end
                && components.getComponentDescriptionDTOs().stream()
                        .anyMatch(d -> java.util.List.of(d.serviceInterfaces).contains(service)
                                && components.isComponentEnabled(d))
                && new ComponentDiagnosis(components).whyAbsent(service) == null) {
            Thread.sleep(50);
        }
    }

    /**
     * The cluster node, when the cluster bundle publishes one: the runs are then held by lease (see
     * {@link RunLeases}). Optional, dynamic and greedy so that the runner works as it always did without it (a
     * runner whose runs live in memory, unit tests, a runtime whose node cannot join: a cluster of one), and so that
     * a node that comes or changes (its configuration) takes the runs going here under its leases without stopping
     * them.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setCluster(io.harmonix.cluster.api.ClusterNode node) {
        cluster = node;
        shareRuns(node, execMode);
    }

    void unsetCluster(io.harmonix.cluster.api.ClusterNode node) {
        if (cluster == node) {
            cluster = null;
            unshareRuns();
        }
    }

    @Modified
    void modified(RunnerConfig config, Map<String, Object> properties) {
        RunnerSettings.read(config, properties).applyOrReport(this::update, logger::error, logger::warn);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        deactivated = true;
        close(Duration.ofSeconds(5));
    }

    private static RunnerLog log(Logger logger) {
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedAgent")
    void bindAgent(Agent agent, ServiceReference<Agent> ref) {
        addAgent(infoOf(ref), agent, rankingOf(ref), (Long) ref.getProperty(Constants.SERVICE_ID));
    }

    private static AgentInfo infoOf(ServiceReference<Agent> ref) {
        Bundle b = ref.getBundle();
        return new AgentInfo(String.valueOf(AgentsById.idOf(ref::getProperty)),
                ref.getProperty(Agent.TYPE) == null ? "" : String.valueOf(ref.getProperty(Agent.TYPE)),
                b == null ? -1 : b.getBundleId(), b == null ? "?" : b.getSymbolicName());
    }

    private static int rankingOf(ServiceReference<Agent> ref) {
        return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
    }

    void unbindAgent(ServiceReference<Agent> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        removeAgent(id);
    }

    /**
     * An agent's service properties changed: its id may have. The one instance a type has without configuration gets
     * the first factory configuration made while it runs (DS modifies it in place rather than make a new one), and
     * with it a {@code service.pid} that makes its id {@code <type>.<name>}: it is known by that id from now on.
     */
    void updatedAgent(Agent agent, ServiceReference<Agent> ref) {
        replaceAgent(infoOf(ref), agent, rankingOf(ref), (Long) ref.getProperty(Constants.SERVICE_ID));
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
    void bindRecorder(CycleRecorder recorder) {
        addRecorder(recorder);
    }

    void unbindRecorder(CycleRecorder recorder) {
        removeRecorder(recorder);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(CycleListener listener, ServiceReference<CycleListener> ref) {
        Bundle b = ref.getBundle();
        String name = (b == null ? "?" : b.getSymbolicName()) + "#" + ref.getProperty(Constants.SERVICE_ID);
        addListener(listener, name);
    }

    void unbindListener(CycleListener listener) {
        removeListener(listener);
    }

    /** The whiteboard's {@link io.harmonix.runner.api.RunPreparer}s: asked before a run resumes here. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPreparer(io.harmonix.runner.api.RunPreparer preparer) {
        addPreparer(preparer);
    }

    void unbindPreparer(io.harmonix.runner.api.RunPreparer preparer) {
        removePreparer(preparer);
    }
}
