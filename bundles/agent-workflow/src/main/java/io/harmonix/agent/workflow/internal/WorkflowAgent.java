package io.harmonix.agent.workflow.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.ScanProgress;
import io.harmonix.enhance.api.Target;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The workflow optimisation agent (type {@value Analyser#TYPE}): the workflow definitions among its target's YAML
 * files and those deployed in the runtime, with the history of their instances (from the {@link WorkflowService}, a
 * mandatory reference: without the engine there is neither a history nor a validator for the proposals).
 *
 * <p>Its target is the one every enhancement agent has: the findings and their proposals are made against a commit,
 * and {@link FindingCycle} keeps them per target. Without one configured or given as run input, its cycles are idle
 * (a run of every agent present does not fail on it). A deployed definition whose source is not one of the
 * target's files is analysed from its deployed text under the pseudo file {@code workflows/NAME-vVERSION.yaml},
 * without proposals (nothing to apply a diff to).
 */
@Component(configurationPid = WorkflowAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=" + Analyser.TYPE)
@Designate(ocd = WorkflowAgent.Config.class, factory = true)
public class WorkflowAgent implements EnhancementAgent {
    static final String PID = "io.harmonix.agent.workflow";
    private static final int PROGRESS_EVERY = 25;
    /** YAML files larger than this are not read (counted as not analysed, "yaml (over 2 MiB)"). */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    /** How the validator starts the problem of a component and action no handler serves (docs/workflows.md). */
    private static final String UNSERVED = "no task handler serves";

    @ObjectClassDefinition(name = "Harmonix workflow optimisation agent")
    @interface Config {
        @AttributeDefinition(description = "Folder of the git working tree to analyse, relative to harmonix.home. "
                + "Empty: none, the instance is idle unless a run gives it a target (--input target=PATH).")
        String target() default "";

        @AttributeDefinition(description = "Sub-folders of the target to analyse, comma-separated; empty: all.")
        String components() default "";

        @AttributeDefinition(description = "Analyse the workflow definitions among the target's YAML files.")
        boolean files() default true;

        @AttributeDefinition(description = "Analyse the definitions deployed in the runtime (latest versions).")
        boolean deployed() default true;

        @AttributeDefinition(description = "How many of a definition's latest finished instances are its history.")
        int historyWindow() default 100;

        @AttributeDefinition(description = "Fewest instances (or samples) before retries and p95 are judged.")
        int minInstances() default 5;

        @AttributeDefinition(description = "Share of instances (0-1) with retries that makes a retry hotspot.")
        double retryShare() default 0.2;

        @AttributeDefinition(description = "A timeout more than this many times the p95 is too loose.")
        double timeoutFarAbove() default 10;

        @AttributeDefinition(description = "A timeout less than this many times the p95 is too tight.")
        double timeoutTooClose() default 1.2;

        @AttributeDefinition(description = "A task that did not run in this many latest instances is reported.")
        int neverReachedInstances() default 20;
    }

    @Reference
    volatile WorkflowService workflows;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ScanProgress progress;

    private volatile Path home = Path.of(".");
    /** This instance's agent id, which progress is reported under. */
    private volatile String id = Analyser.TYPE;
    private volatile Scope scope = new Scope("", List.of(), Settings.defaults());

    /** What a cycle looks at. */
    record Scope(String target, List<String> components, Settings settings) {
    }

    public WorkflowAgent() {
    }

    /** For tests and for use outside OSGi. */
    WorkflowAgent(WorkflowService workflows, Path home, Scope scope) {
        this.workflows = workflows;
        this.home = home;
        this.scope = scope;
    }

    @Activate
    @Modified
    void configure(Config c, BundleContext context, Map<String, Object> properties) {
        id = AgentsById.idOf(properties::get);
        home = Target.home(context::getProperty);
        scope = new Scope(c.target(), Arrays.asList(c.components().split(",")), new Settings(c.files(),
                c.deployed(), c.historyWindow(), c.minInstances(), c.retryShare(), c.timeoutFarAbove(),
                c.timeoutTooClose(), c.neverReachedInstances()));
    }

    @Override
    public List<Rule> rules() {
        return Rules.ALL;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Scope in = scope;
        return FindingCycle.run(context, Analyser.TYPE, Target.of(context.inputs(), home, in.target(),
                in.components()), target -> analyse(context, in, target));
    }

    private Analysis analyse(AgentContext context, Scope in, Target target) throws Exception {
        WorkflowService engine = workflows;
        Settings settings = in.settings();
        Analyser analyser = new Analyser(settings, engine);
        Proposals proposer = new Proposals(engine, target.commit());
        List<Finding> findings = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        Map<String, Integer> notAnalysed = new TreeMap<>();
        List<String> yaml = new ArrayList<>();
        for (String f : target.files()) {
            String ext = extension(f);
            if (settings.analyseFiles() && (ext.equals("yaml") || ext.equals("yml"))) {
                yaml.add(f);
            } else {
                notAnalysed.merge(ext.isEmpty() ? "(no extension)" : ext, 1, Integer::sum);
            }
        }
        List<DefinitionInfo> deployed = settings.analyseDeployed() ? latest(engine.definitions()) : List.of();
        int total = yaml.size() + deployed.size();
        Set<String> changed = changedFiles(target);
        Set<String> done = new HashSet<>();
        int analysed = 0;
        boolean partial = false;
        BooleanSupplier stop = FindingCycle.timeToStop(context);
        for (String file : yaml) {
            if (stop.getAsBoolean()) {
                partial = true;
                break;
            }
            String text = readText(target.root().resolve(file), notAnalysed);
            Optional<WorkflowYaml> d = text == null ? Optional.empty() : read(engine, file, text, notAnalysed);
            if (d.isPresent()) {
                analyser.analyse(d.get(), target.componentOf(file), changed.contains(file) ? null : proposer,
                        findings, proposals);
                done.add(d.get().name() + "\n" + d.get().version());
            }
            report(context, ++analysed, total);
        }
        for (DefinitionInfo info : deployed) {
            if (partial || stop.getAsBoolean()) {
                partial = true;
                break;
            }
            if (!done.add(info.name() + "\n" + info.version())) {
                total--; // deployed from one of the target's files, analysed with it: not a second definition
                continue;
            }
            // deployed from elsewhere than the target's files: its deployed text is all there is
            read(engine, pseudoFile(info), info.text(), notAnalysed).ifPresent(d ->
                    analyser.analyse(d, "", null, findings, proposals));
            report(context, ++analysed, total);
        }
        if (analysed % PROGRESS_EVERY != 0) {
            report(context, -1, total);
        }
        return new Analysis(findings, proposals, analysed, total, partial, notAnalysed);
    }

    /**
     * @return the definition in the text, or empty (counted in {@code notAnalysed}) when it is none, or one the
     *     validator refuses: the graph of a definition with a dependency cycle or an unknown task has no meaning to
     *     optimise. Components no handler of this runtime serves are not held against it: a repository's examples
     *     are written for the runtimes that will run them.
     */
    private static Optional<WorkflowYaml> read(WorkflowService validator, String file, String text,
            Map<String, Integer> notAnalysed) {
        try {
            Optional<WorkflowYaml> d = WorkflowYaml.parse(file, text);
            if (d.isEmpty()) {
                notAnalysed.merge("yaml (not a workflow definition)", 1, Integer::sum);
            } else if (validator.validate(file, text).stream()
                    .anyMatch(p -> !p.message().startsWith(UNSERVED))) {
                notAnalysed.merge("yaml (invalid workflow definition)", 1, Integer::sum);
                return Optional.empty();
            }
            return d;
        } catch (IOException e) {
            notAnalysed.merge("yaml (not valid YAML)", 1, Integer::sum);
            return Optional.empty();
        }
    }

    /**
     * @return the text of a YAML file, or null (counted in {@code notAnalysed}) when it is over {@link #MAX_BYTES}
     *     or not UTF-8: one such file is not analysed, the others still are
     */
    static String readText(Path file, Map<String, Integer> notAnalysed) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            notAnalysed.merge("yaml (over 2 MiB)", 1, Integer::sum);
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            notAnalysed.merge("yaml (not UTF-8)", 1, Integer::sum);
            return null;
        }
    }

    /** @return the latest version of each deployed workflow */
    private static List<DefinitionInfo> latest(List<DefinitionInfo> all) {
        Map<String, DefinitionInfo> last = new TreeMap<>();
        for (DefinitionInfo d : all) {
            last.merge(d.name(), d, (a, b) -> a.deployedAt().isAfter(b.deployedAt()) ? a : b);
        }
        return List.copyOf(last.values());
    }

    /** The pseudo file a deployed definition's findings are placed in, relative as every location is. */
    static String pseudoFile(DefinitionInfo d) {
        return "workflows/" + d.name() + "-v" + d.version().replaceAll("[^A-Za-z0-9._-]", "_") + ".yaml";
    }

    /**
     * The files that differ from the target's commit: a proposal is a diff against the commit, made from the text
     * read, so none is made for them.
     */
    private static Set<String> changedFiles(Target target) throws IOException {
        Set<String> changed = new HashSet<>();
        boolean origin = false;
        for (String line : Target.git(target.root(), "status", "--porcelain", "-z", "--untracked-files=all")
                .split("\0")) {
            if (origin) {
                origin = false; // the name a rename or copy came from: the field after its entry, no status
            } else if (line.length() > 3) {
                changed.add(line.substring(3));
                origin = isRenameOrCopy(line.charAt(0)) || isRenameOrCopy(line.charAt(1));
            }
        }
        return changed;
    }

    private static boolean isRenameOrCopy(char status) {
        return status == 'R' || status == 'C';
    }

    private void report(AgentContext context, int done, int total) {
        ScanProgress p = progress;
        if (p != null && (done < 0 || done % PROGRESS_EVERY == 0)) {
            p.update(context.runId(), id, done < 0 ? total : done, total);
        }
    }

    private static String extension(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
