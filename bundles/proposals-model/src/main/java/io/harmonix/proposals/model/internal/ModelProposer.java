package io.harmonix.proposals.model.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.fleet.api.Repository;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One cycle of model-backed proposals: for each finding without a mechanical fix (at most the configured budget),
 * the agent type's question to the model, the diff of its answer, and that diff submitted to the enhancement ledger
 * as agent {@code model.TYPE} and validated through the same workflow as every other proposal. A finding that gets
 * no acceptable diff is refused with its reason; nothing reaches the ledger for it. Every reason and log line is
 * masked with the key.
 */
final class ModelProposer {
    /** Agent ids of the proposals made here: {@code model.} and the finding's agent type. */
    static final String AGENT_PREFIX = "model.";

    /**
     * A finding to ask about.
     *
     * @param waveId the wave it comes from, or null
     * @param repository the fleet's entry of the repository it is in (what validation builds and tests)
     * @param commit the commit it was found on: the context is read there and the diff applies to it
     */
    record Request(String waveId, Repository repository, Finding finding, String commit) {
    }

    private final ModelSettings settings;
    private final EnhancementLedger ledger;
    private final ModelClient client;
    private final RequestPace pace;
    private final Consumer<String> log;

    ModelProposer(ModelSettings settings, EnhancementLedger ledger, Consumer<String> log) {
        this.settings = settings;
        this.ledger = ledger;
        this.client = settings.enabled() ? new ModelClient(settings.url(), settings.model(), settings.timeout())
                : null;
        this.pace = new RequestPace(settings.perMinute());
        this.log = log;
    }

    /**
     * @throws IllegalStateException when model-backed proposals are off (nothing is sent)
     */
    List<ModelProposals.Outcome> propose(List<Request> requests) throws InterruptedException {
        if (!settings.enabled()) {
            throw new IllegalStateException("model-backed proposals are off: set enabled=true, url, model (and "
                    + "the key in the secret file) in etc/" + ModelSettings.PID + ".cfg");
        }
        List<ModelProposals.Outcome> out = new ArrayList<>();
        String key;
        try {
            key = ModelSecret.apiKey(settings.secretFile());
        } catch (Refused e) {
            for (Request r : requests) {
                out.add(done(r, null, "refused", e.getMessage(), List.of()));
            }
            return out;
        }
        List<String> secrets = List.of(key);
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            if (i >= settings.maxFindings()) {
                out.add(done(r, null, "skipped", "over the budget of " + settings.maxFindings()
                        + " findings per cycle (maxFindingsPerCycle)", secrets));
                continue;
            }
            out.add(one(r, key, secrets));
        }
        return out;
    }

    private ModelProposals.Outcome one(Request r, String key, List<String> secrets) throws InterruptedException {
        Finding f = r.finding();
        String diff;
        try {
            String question = Prompts.question(settings.prompts(), f, Path.of(r.repository().path()), r.commit(),
                    settings.contextLines());
            pace.await();
            diff = Answers.diffOf(client.complete(key, Prompts.SYSTEM, question), f.location().file());
        } catch (Refused e) {
            return done(r, null, "refused", e.getMessage(), secrets);
        }
        try {
            Enhancement e = ledger.submit(r.waveId(), AGENT_PREFIX + f.agentType(), r.repository(), f,
                    new Proposal(f.fingerprint(), r.commit(), "Fix " + f.ruleId() + " at " + f.location()
                            + " (model " + settings.model() + ")", diff, "removes a finding of rule " + f.ruleId()));
            String instance = ledger.validate(e.id());
            return done(r, e.id(), "submitted", "validation " + instance, secrets);
        } catch (RuntimeException e) {
            // the ledger's own refusal (a record no longer proposed, the engine down): said, not thrown, so that
            // the other findings of the cycle are still asked about
            return done(r, null, "refused", "the ledger refused it: " + e.getMessage(), secrets);
        }
    }

    private ModelProposals.Outcome done(Request r, Long id, String status, String reason, List<String> secrets) {
        Finding f = r.finding();
        ModelProposals.Outcome o = new ModelProposals.Outcome(f.fingerprint(), f.agentType(),
                f.location().toString(), id, status, ModelMasker.mask(reason, secrets));
        log.accept("model proposal for " + f.agentType() + " finding " + f.fingerprint() + " (" + f.ruleId() + " at "
                + f.location() + "): " + o.status() + (id == null ? "" : " as enhancement " + id) + ": "
                + o.reason());
        return o;
    }
}
