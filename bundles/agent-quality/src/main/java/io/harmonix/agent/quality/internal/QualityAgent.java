package io.harmonix.agent.quality.internal;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * The code quality agent: each cycle, PMD 7 over the Java sources of its target (complexity, long methods and
 * classes, god classes, deep nesting, unused code) and PMD's copy-paste detector (duplicated blocks), with unified
 * diffs that remove unused imports, private fields and locals; findings reported new, persisting or fixed by
 * {@link FindingCycle}. One instance per factory configuration {@code etc/io.harmonix.agent.quality-NAME.cfg}
 * (agent id {@code quality.NAME}), plus the unconfigured one (agent id {@code quality}) that needs a target input.
 */
@Component(configurationPid = QualityAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=" + QualityScan.TYPE)
@Designate(ocd = QualityAgent.Config.class, factory = true)
public class QualityAgent implements EnhancementAgent {
    static final String PID = "io.harmonix.agent.quality";

    @ObjectClassDefinition(name = "Harmonix enhancement agent: code quality",
            description = "PMD 7 and its copy-paste detector over the Java sources of a git working tree.")
    public @interface Config {
        @AttributeDefinition(description = "The git working tree to analyse; relative paths are taken from "
                + "harmonix.home. A run's input 'target' overrides it.")
        String target() default "";

        @AttributeDefinition(description = "Sub-paths of the target to analyse (bundles/runner), comma-separated; "
                + "empty: all of it.")
        String components() default "";

        @AttributeDefinition(description = "A PMD 7 ruleset file replacing the shipped one; relative paths are "
                + "looked up in the target, then in harmonix.home. Empty: the shipped ruleset.")
        String ruleset() default "";

        @AttributeDefinition(description = "CyclomaticComplexity of a method that is reported (0: the ruleset's).",
                min = "0")
        int methodComplexity() default 0;

        @AttributeDefinition(description = "CognitiveComplexity of a method that is reported (0: the ruleset's).",
                min = "0")
        int cognitiveComplexity() default 0;

        @AttributeDefinition(description = "Statements (NCSS) of a method that is reported as long (0: the "
                + "ruleset's).", min = "0")
        int methodLength() default 0;

        @AttributeDefinition(description = "Statements (NCSS) of a class that is reported as long (0: the "
                + "ruleset's).", min = "0")
        int classLength() default 0;

        @AttributeDefinition(description = "Depth of nested ifs that is reported (0: the ruleset's).", min = "0")
        int nestingDepth() default 0;

        @AttributeDefinition(description = "Tokens a block must have to be reported as duplicated.", min = "10")
        int minimumTokens() default 100;
    }

    /** What a cycle uses, swapped whole when the configuration changes. */
    private record Settings(Path home, String target, List<String> components, String ruleset,
            QualityRules.Thresholds thresholds, int minimumTokens, String agentId) {
    }

    private volatile Settings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ScanProgress progress;

    @Activate
    @Modified
    void configure(Config config, BundleContext bundle, Map<String, Object> properties) {
        configure(config, Target.home(bundle::getProperty), AgentsById.idOf(properties::get));
    }

    /**
     * For tests and use outside OSGi: {@code home} is what relative paths are taken from. Public for
     * {@code io.harmonix.agent.quality.testing.TestQualityAgent} of the test jar; the package stays private.
     */
    public void configure(Config config, Path home, String agentId) {
        List<String> components = Arrays.stream(config.components().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        settings = new Settings(home, config.target(), components, config.ruleset().trim(),
                new QualityRules.Thresholds(config.methodComplexity(), config.cognitiveComplexity(),
                        config.methodLength(), config.classLength(), config.nestingDepth()),
                config.minimumTokens(), agentId == null ? QualityScan.TYPE : agentId);
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Settings in = settings;
        return FindingCycle.run(context, QualityScan.TYPE,
                Target.of(context.inputs(), in.home(), in.target(), in.components()), target -> {
                    QualityScan scan = new QualityScan(QualityRules.load(rulesetFile(in, target.root()),
                            in.thresholds()), in.minimumTokens());
                    return scan.analyse(target, FindingCycle.timeToStop(context), (done, total) -> {
                        ScanProgress p = progress;
                        if (p != null) {
                            p.update(context.runId(), in.agentId(), done, total);
                        }
                    });
                });
    }

    /**
     * The rules of the configured ruleset. When it cannot be read (gone since it was configured, or not a ruleset),
     * the shipped ruleset's rules, and a warning naming the problem: what lists the rules (a SARIF export, the rule
     * listing) still works, while a cycle fails with the same message.
     */
    @Override
    public List<Rule> rules() {
        Settings in = settings;
        Path targetRoot = in.target().isBlank() ? null : in.home().resolve(in.target());
        try {
            return QualityRules.load(rulesetFile(in, targetRoot), in.thresholds()).describe();
        } catch (IOException | RuntimeException e) {
            if (in.ruleset().isEmpty()) {
                throw new IllegalStateException("cannot read the shipped ruleset: " + e.getMessage(), e);
            }
            System.getLogger(QualityAgent.class.getName()).log(System.Logger.Level.WARNING, "the ruleset of {0} "
                    + "cannot be read ({1}); its rules are listed as the shipped ruleset''s", in.agentId(),
                    e.getMessage());
        }
        try {
            return QualityRules.load(null, in.thresholds()).describe();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped ruleset: " + e.getMessage(), e);
        }
    }

    /**
     * @return the configured ruleset file, or null for the shipped one
     * @throws IllegalArgumentException naming every place looked at when it is not found
     */
    static Path rulesetFile(Settings in, Path targetRoot) {
        if (in.ruleset().isEmpty()) {
            return null;
        }
        List<Path> tried = new ArrayList<>();
        Path given = Path.of(in.ruleset());
        if (given.isAbsolute()) {
            tried.add(given);
        } else {
            if (targetRoot != null) {
                tried.add(targetRoot.resolve(given));
            }
            tried.add(in.home().resolve(given));
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalArgumentException("ruleset '" + in.ruleset() + "' of agent " + in.agentId()
                + " not found: looked at " + tried.stream().map(Path::toString).toList());
    }
}
