package io.harmonix.agent.architecture.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.agent.architecture.internal.analysis.ArchitectureAnalysis;
import io.harmonix.agent.architecture.internal.analysis.ArchitectureRules;
import io.harmonix.agent.architecture.internal.analysis.Report;
import io.harmonix.agent.architecture.internal.analysis.Settings;
import io.harmonix.agent.architecture.internal.analysis.Trends;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.ScanProgress;
import io.harmonix.enhance.api.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The architecture evolution agent: each cycle, the dependency graph of its target's Java code, its cycles,
 * Martin's metrics, layering rules, OSGi export and import checks, and the trends since its previous cycle on the
 * same target. The metrics table and the module graph go into the outputs next to the findings.
 */
@Component(configurationPid = ArchitectureAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=" + ArchitectureAgent.TYPE)
@Designate(ocd = ArchitectureAgent.Config.class, factory = true)
public class ArchitectureAgent implements EnhancementAgent {
    public static final String TYPE = "architecture";
    public static final String PID = "io.harmonix.agent.architecture";
    /** Progress is reported this often (in files), and at the end. */
    static final int PROGRESS_EVERY = 25;

    @ObjectClassDefinition(name = "Harmonix architecture agent", description = "Dependency cycles, Martin's "
            + "metrics, layering rules and OSGi checks of a git working tree's Java code.")
    public @interface Config {
        @AttributeDefinition(description = "The git working tree to analyse; relative to harmonix.home. A run's "
                + "input 'target' overrides it.")
        String target() default "";

        @AttributeDefinition(description = "Sub-folders of the target to analyse, comma-separated; empty: all.")
        String components() default "";

        @AttributeDefinition(description = "Layering rules file, relative to the target; the default one may be "
                + "absent, a configured one must exist.")
        String rulesFile() default "";

        @AttributeDefinition(description = "Layering rules, one per line or separated by ';', e.g. 'deny "
                + "..api.. -> ..internal..'.")
        String layering() default "";

        @AttributeDefinition(description = "Distance from the main sequence above which a package is an outlier.")
        double distanceThreshold() default 0.7;

        @AttributeDefinition(description = "Packages with fewer types are not judged by their distance.")
        int minPackageTypes() default 5;

        @AttributeDefinition(description = "Growth of a module's instability since the previous cycle above "
                + "which it is a finding.")
        double instabilityGrowth() default 0.2;

        @AttributeDefinition(description = "References kept as evidence per edge.")
        int evidenceReferences() default 3;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ScanProgress progress;

    private final Path home;
    private volatile Config config;
    private volatile String id = TYPE;

    @Activate
    public ArchitectureAgent(BundleContext bundleContext, Config config, Map<String, Object> properties) {
        this.home = Target.home(bundleContext == null ? null : bundleContext::getProperty);
        modified(config, properties);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        this.config = config;
        String known = properties == null ? null : AgentsById.idOf(properties::get);
        this.id = known == null ? TYPE : known;
    }

    private ArchitectureAnalysis analyse(AgentContext context, Target target, Settings settings) throws Exception {
        JsonNode previous = context.previousState().path("architecture").path(target.root().toString());
        return ArchitectureAnalysis.run(target, settings, previous, FindingCycle.timeToStop(context), (done, total) -> {
            ScanProgress p = progress;
            if (p != null && (done % PROGRESS_EVERY == 0 || done == total)) {
                p.update(context.runId(), id, done, total);
            }
        });
    }

    @Override
    public List<Rule> rules() {
        return ArchitectureRules.ALL;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Config c = config;
        // the run's target input, else the configured one; none: an idle cycle (FindingCycle.run)
        Optional<Target> named = Target.of(context.inputs(), home, c.target(),
                Arrays.asList(c.components().split(",")));
        Settings settings = new Settings(c.rulesFile(), !c.rulesFile().isBlank(), c.layering(),
                c.distanceThreshold(), c.minPackageTypes(), c.instabilityGrowth(), c.evidenceReferences());
        ArchitectureAnalysis[] analysed = new ArchitectureAnalysis[1];
        AgentResult result = FindingCycle.run(context, TYPE, named, target -> {
            ArchitectureAnalysis a = analyse(context, target, settings);
            analysed[0] = a;
            return new Analysis(a.findings(), List.of(), a.build().analysed(), a.build().total(),
                    a.build().partial(), a.build().notAnalysed());
        });
        ArchitectureAnalysis a = analysed[0];
        if (a == null) {
            return result; // idle
        }
        String root = named.get().root().toString();
        Report.write(a, result.outputs());
        ObjectNode state = (ObjectNode) result.state();
        ObjectNode trends = state.has("architecture") && state.get("architecture").isObject()
                ? (ObjectNode) state.get("architecture") : state.putObject("architecture");
        if (!a.build().partial()) {
            // a partial graph would make its missing cycles look fixed and come back as new next time
            trends.set(root, Trends.state(a));
        }
        Map<String, Double> metrics = new HashMap<>(result.metrics());
        metrics.put("packages", (double) a.packageMetrics().size());
        metrics.put("modules", (double) a.moduleMetrics().size());
        metrics.put("cycles", (double) (a.packageCycles().size() + a.moduleCycles().size()));
        return new AgentResult(state, result.outputs(), metrics);
    }
}
