package io.harmonix.agent.performance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Target;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.workflow.api.WorkflowService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The performance monitoring agent (type {@value Analyser#TYPE}): reads the running runtime's own telemetry (the
 * runner's cycles, the workflow engine's instances, the propagator's deliveries, the JVM's MXBeans and, when
 * configured, a short JFR recording) and reports regressions, p95 close to the deadline, rising failure rates and
 * memory growth ({@link Rules}). Every source is an optional dynamic reference: it reads whatever is present.
 *
 * <p>Its target. Findings are tracked per target by {@link FindingCycle}, but what this agent analyses is the
 * runtime, not a tree of files: each finding is placed at line 1 of a pseudo file named after its telemetry series
 * ({@code telemetry/runner/<agentId>}, {@code telemetry/jvm}, {@link Telemetry}). When a run or the configuration
 * names a target (the repository the runtime was built from), the findings are kept under it, as the other agents'
 * are. When none does, the agent is NOT idle, unlike the file-analysing agents (the runtime it watches is always
 * there): it uses a synthetic target for the runtime itself, harmonix.home with the commit 0{40}, because the
 * runtime's telemetry belongs to no commit, and this agent makes no proposals that would need one.
 */
@Component(configurationPid = PerformanceAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=" + Analyser.TYPE)
@Designate(ocd = PerformanceAgent.Config.class, factory = true)
public class PerformanceAgent implements EnhancementAgent {
    static final String PID = "io.harmonix.agent.performance";
    /** The commit of the synthetic runtime target: telemetry has none. */
    static final String NO_COMMIT = "0".repeat(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Harmonix performance monitoring agent")
    @interface Config {
        @AttributeDefinition(description = "Folder of a git working tree the findings are kept under, relative to "
                + "harmonix.home. Empty: the runtime itself (harmonix.home, no commit).")
        String target() default "";

        @AttributeDefinition(description = "N: the last N samples of each series are tested against the N before.")
        int window() default 20;

        @AttributeDefinition(description = "Significance level of the one-sided tests.")
        double alpha() default 0.01;

        @AttributeDefinition(description = "Smallest median slowdown reported (0.1 = 10 %), however significant.")
        double minSlowdown() default 0.10;

        @AttributeDefinition(description = "Share of the deadline (0-1) a component's p95 may not exceed.")
        double deadlineShare() default 0.8;

        @AttributeDefinition(description = "Rise of the heap after GC across the window (0.2 = 20 %) that, "
                + "never falling, is memory growth.")
        double memoryGrowth() default 0.2;

        @AttributeDefinition(description = "Seconds of JFR recording each cycle (hottest methods, allocation "
                + "sites); 0: none. The step lasts that much longer.")
        int jfrSeconds() default 0;

        @AttributeDefinition(description = "How many hottest methods and allocation sites a recording reports.")
        int topFrames() default 10;

        @AttributeDefinition(description = "How many of the runner's latest runs are read (the last 2 x window "
                + "cycles of each).")
        int runs() default 10;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CycleRunner runner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkflowService workflows;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Propagator propagator;

    private volatile Path home = Path.of(".");
    private volatile Scope scope = new Scope("", Settings.defaults());
    /** What was read of the runner's finished runs ({@link Telemetry#runner}): this instance's, not static. */
    private final Map<String, List<Telemetry.Timed>> finishedRuns = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a cycle looks at. */
    record Scope(String target, Settings settings) {
    }

    public PerformanceAgent() {
    }

    /** For tests and for use outside OSGi. */
    PerformanceAgent(CycleRunner runner, Path home, Scope scope) {
        this.runner = runner;
        this.home = home;
        this.scope = scope;
    }

    @Activate
    @Modified
    void configure(Config c, BundleContext context) {
        home = Target.home(context::getProperty);
        scope = new Scope(c.target(), new Settings(c.window(), c.alpha(), c.minSlowdown(), c.deadlineShare(),
                c.memoryGrowth(), c.jfrSeconds(), c.topFrames(), c.runs()));
    }

    @Override
    public List<Rule> rules() {
        return Rules.ALL;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        long start = System.nanoTime();
        Scope in = scope;
        Target target = Target.of(context.inputs(), home, in.target(), List.of()).orElseGet(this::runtime);
        Settings settings = in.settings();
        // the JVM samples live in the state beside FindingCycle's fingerprints, which it copies over
        ArrayNode jvm = samples(context.previousState(), settings.window());
        JvmSample now = JvmSample.now();
        jvm.add(JSON.valueToTree(now));
        ObjectNode state = context.previousState().isObject()
                ? ((ObjectNode) context.previousState()).deepCopy() : JSON.createObjectNode();
        state.set("jvm", jvm);
        AgentContext withSamples = new AgentContext(context.runId(), context.cycle(), state, context.inputs(),
                context.deadline());
        Analysis analysis = analyse(context, settings, read(jvm));
        // its own cost, apart from the JFR recording it may be asked to make (a sleep of jfrSeconds, then parsing)
        double millis = (System.nanoTime() - start) / 1e6;
        double jfrMillis = 0;
        if (settings.jfrSeconds() > 0 && !analysis.partial()) {
            long jfrStart = System.nanoTime();
            List<Finding> findings = new ArrayList<>(analysis.findings());
            findings.addAll(Recordings.findings(Profiler.record(Duration.ofSeconds(settings.jfrSeconds()),
                    settings.topFrames())));
            jfrMillis = (System.nanoTime() - jfrStart) / 1e6;
            analysis = new Analysis(findings, List.of(), analysis.filesAnalysed(), analysis.filesTotal(), false,
                    analysis.notAnalysed());
        }
        long resultStart = System.nanoTime();
        AgentResult r = FindingCycle.result(withSamples, Analyser.TYPE, target, analysis);
        Map<String, Double> metrics = new TreeMap<>(r.metrics());
        metrics.put("selfMillis", millis + (System.nanoTime() - resultStart) / 1e6);
        metrics.put("jfrMillis", jfrMillis);
        metrics.put("jvm.heapAfterGcMb", now.heapAfterGc() / 1048576.0);
        metrics.put("jvm.threads", (double) now.threads());
        metrics.put("jvm.gcMillis", (double) now.gcMillis());
        metrics.put("jvm.processCpu", now.processCpu());
        r.outputs().set("jvm", JSON.valueToTree(now));
        return new AgentResult(r.state(), r.outputs(), metrics);
    }

    /**
     * One analysis: every series of every source present, then the JVM trend (the recording is made apart, so that
     * its cost is told apart). A series counts as a "file" of the analysis; the deadline is checked between them.
     */
    Analysis analyse(AgentContext context, Settings settings, List<JvmSample> jvm) {
        Telemetry telemetry = new Telemetry(2 * settings.window());
        List<Series> series = new ArrayList<>();
        Map<String, Integer> notAnalysed = new TreeMap<>();
        CycleRunner r = runner;
        WorkflowService w = workflows;
        Propagator p = propagator;
        absent(r == null, "runner (no CycleRunner service)", notAnalysed);
        absent(w == null, "workflow (no WorkflowService)", notAnalysed);
        absent(p == null, "propagator (no Propagator service)", notAnalysed);
        series.addAll(r == null ? List.of() : telemetry.runner(r, settings.runs(), finishedRuns));
        series.addAll(w == null ? List.of() : telemetry.workflows(w));
        series.addAll(p == null ? List.of() : telemetry.propagator(p));
        Analyser analyser = new Analyser(settings);
        List<Finding> findings = new ArrayList<>();
        int analysed = 0;
        boolean partial = false;
        BooleanSupplier stop = FindingCycle.timeToStop(context);
        for (Series s : series) {
            if (stop.getAsBoolean()) {
                partial = true;
                break;
            }
            findings.addAll(analyser.analyse(s, notAnalysed));
            analysed++;
        }
        analyser.memory(jvm).ifPresent(findings::add);
        return new Analysis(findings, List.of(), analysed, series.size(), partial, notAnalysed);
    }

    /** The synthetic target of the runtime itself (see the class comment). */
    private Target runtime() {
        return new Target(home.toAbsolutePath().normalize(), NO_COMMIT, List.of());
    }

    /** @return the JVM samples kept in the state, the oldest dropped so that adding one keeps {@code window} */
    private static ArrayNode samples(JsonNode state, int window) {
        ArrayNode kept = JSON.createArrayNode();
        JsonNode old = state.path("jvm");
        for (int i = Math.max(0, old.size() - window + 1); i < old.size(); i++) {
            kept.add(old.get(i));
        }
        return kept;
    }

    private static List<JvmSample> read(ArrayNode samples) {
        List<JvmSample> out = new ArrayList<>();
        samples.forEach(n -> out.add(JSON.convertValue(n, JvmSample.class)));
        return out;
    }

    private static void absent(boolean absent, String what, Map<String, Integer> notAnalysed) {
        if (absent) {
            notAnalysed.put(what, 1);
        }
    }
}
