package io.harmonix.proposals.model.internal;

import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Model-backed proposals in the runtime (PID {@value ModelSettings#PID}), off by default: what
 * {@code enhance:model-propose} asks for a wave's pending findings or one finding. A new configuration makes a new
 * component (DS reactivates it): the settings are read once. A wrong configuration is kept as its message, which
 * every call repeats, rather than failing activation and making the command vanish.
 */
@Component(service = ModelProposals.class, configurationPid = ModelSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ModelComponent.Config.class)
public final class ModelComponent implements ModelProposals {
    @ObjectClassDefinition(name = "Harmonix model-backed proposals")
    @interface Config {
        @AttributeDefinition(description = "Ask the model at all; off unless set (nothing is sent anywhere then).")
        boolean enabled() default false;

        @AttributeDefinition(description = "The base URL of an OpenAI-compatible endpoint; requests go to "
                + "URL/chat/completions.")
        String url() default "";

        @AttributeDefinition(description = "The model named in each request.")
        String model() default "";

        @AttributeDefinition(description = "The secret file {\"apiKey\": \"...\"} (relative: to the runtime's "
                + "home); refused when group or others can read it.")
        String secret() default "etc/model.json";

        @AttributeDefinition(description = "The folder of the prompt templates, one TYPE.md per agent type.")
        String prompts() default "etc/prompts";

        @AttributeDefinition(description = "Longest wait for one answer.")
        String timeout() default "60s";

        @AttributeDefinition(description = "Findings asked about per cycle (one enhance:model-propose) at most.")
        int maxFindingsPerCycle() default 5;

        @AttributeDefinition(description = "Requests per minute at most, evenly spaced.")
        double requestsPerMinute() default 6;

        @AttributeDefinition(description = "Lines of code shown before and after the finding.")
        int contextLines() default 20;
    }

    private final ModelProposer proposer;
    private final String wrong;
    private final PendingFindings pending;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WaveCoordinator waves;

    @Activate
    public ModelComponent(Config config, BundleContext context, @Reference EnhancementLedger ledger,
            @Reference CycleRunner runner, @Reference FleetCatalogue fleet,
            @Reference(service = LoggerFactory.class) Logger log) {
        ModelProposer p = null;
        String problem = null;
        try {
            p = new ModelProposer(ModelSettings.of(config, ModelSettings.home(context)), ledger, log::info);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            log.error("model-backed proposals: wrong configuration, nothing will be asked: {}", problem);
        }
        this.proposer = p;
        this.wrong = problem;
        this.pending = new PendingFindings(runner, fleet);
    }

    @Override
    public List<Outcome> proposeWave(String waveId) throws InterruptedException {
        ModelProposer p = proposer();
        WaveCoordinator w = waves;
        if (w == null) {
            throw new IllegalStateException("no wave coordinator is running (feature harmonix-waves)");
        }
        Wave wave = w.wave(waveId).orElseThrow(() -> new IllegalArgumentException("no wave " + waveId
                + " (wave:list lists them)"));
        if (wave.runId() == null) {
            throw new IllegalStateException("wave " + waveId + " has not started its run yet");
        }
        // a wave is one run per instance (waves API 1.2); one recorded before was one run, its runId
        List<String> runs = wave.instances().stream().map(io.harmonix.waves.api.AgentInstance::runId)
                .filter(java.util.Objects::nonNull).distinct().toList();
        if (runs.isEmpty()) {
            return p.propose(pending.ofRun(wave.runId(), waveId));
        }
        java.util.Map<String, ModelProposer.Request> found = new java.util.LinkedHashMap<>();
        IllegalArgumentException none = null;
        for (String run : runs) {
            try {
                pending.ofRun(run, waveId).forEach(r -> found.putIfAbsent(r.finding().fingerprint(), r));
            } catch (IllegalArgumentException e) {
                none = e; // a run with no enhancement cycle yet: the others may have
            }
        }
        if (found.isEmpty() && none != null) {
            throw none;
        }
        return p.propose(List.copyOf(found.values()));
    }

    @Override
    public List<Outcome> proposeFinding(String fingerprint) throws InterruptedException {
        ModelProposer p = proposer();
        WaveCoordinator w = waves;
        ModelProposer.Request r = pending.finding(fingerprint, run -> w == null ? null : w.waves().stream()
                .filter(x -> run.equals(x.runId()) || x.instances().stream().anyMatch(i -> run.equals(i.runId())))
                .map(Wave::id).findFirst().orElse(null))
                .orElseThrow(() -> new IllegalArgumentException("no finding " + fingerprint + " without a fix in "
                        + "the latest enhancement cycle of any run (enhance:findings lists them)"));
        return p.propose(List.of(r));
    }

    private ModelProposer proposer() {
        return Optional.ofNullable(proposer).orElseThrow(() -> new IllegalStateException(wrong));
    }
}
