package io.harmonix.waves.internal;

import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.waves.api.Focus;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A wave's proposals into the {@link EnhancementLedger}: each surviving one submitted (the ledger makes one record of
 * the same fix on the same commit, however often it is proposed) and its validation started when it is still
 * proposed, so none is validated twice; each one refused for ownership submitted and rejected with the reason, so
 * that the agent type's record shows it. The repository is the fleet catalogue's entry for the wave's target: its
 * build and test commands are what validation runs, so a target the catalogue does not know is not submitted.
 */
final class LedgerSink implements ProposalSink {
    private final Supplier<EnhancementLedger> ledger;
    private final Supplier<FleetCatalogue> catalogue;
    private final java.util.function.Function<String, String> targetOfWave;

    LedgerSink(Supplier<EnhancementLedger> ledger, Supplier<FleetCatalogue> catalogue,
            java.util.function.Function<String, String> targetOfWave) {
        this.ledger = ledger;
        this.catalogue = catalogue;
        this.targetOfWave = targetOfWave;
    }

    @Override
    public Submitted submit(String waveId, Aggregation.Candidate c) {
        EnhancementLedger l = ledger.get();
        if (l == null) {
            return new Submitted(null, "not submitted: no enhancement ledger present");
        }
        Optional<Repository> repo = repository(targetOfWave.apply(waveId));
        if (repo.isEmpty() || c.finding() == null) {
            return new Submitted(null, repo.isEmpty() ? "not submitted: " + targetOfWave.apply(waveId)
                    + " is not in the fleet catalogue (validation runs its build and test commands)"
                    : "not submitted: its finding is not in its agent's cycle");
        }
        Enhancement e = l.submit(waveId, c.agentId(), repo.get(), c.finding(), c.proposal());
        if (e.status() != EnhancementStatus.PROPOSED) {
            return new Submitted(Long.toString(e.id()), e.status().id() + " (already recorded)");
        }
        String instance = l.validate(e.id());
        return new Submitted(Long.toString(e.id()), "validating (workflow instance " + instance + ")");
    }

    @Override
    public Submitted refuse(String waveId, Aggregation.Refused r) {
        EnhancementLedger l = ledger.get();
        Optional<Repository> repo = repository(targetOfWave.apply(waveId));
        if (l == null || repo.isEmpty() || r.finding() == null) {
            return new Submitted(null, r.reason());
        }
        Enhancement e = l.submit(waveId, r.agentId(), repo.get(), r.finding(), r.proposal());
        if (e.status() == EnhancementStatus.PROPOSED) {
            e = l.reject(e.id(), "wave " + waveId + ": " + r.reason());
        }
        return new Submitted(Long.toString(e.id()), e.status().id() + ": " + r.reason());
    }

    private Optional<Repository> repository(String target) {
        FleetCatalogue fleet = catalogue.get();
        if (fleet == null || target == null) {
            return Optional.empty();
        }
        Path wanted = Path.of(target).toAbsolutePath().normalize();
        return fleet.repositories().stream()
                .filter(r -> Path.of(r.path()).toAbsolutePath().normalize().equals(wanted)).findFirst();
    }

    /** @return each agent type's weight from the ledger's record ({@link Effectiveness}); none without a ledger */
    static Map<Focus, Double> weights(EnhancementLedger ledger) {
        return ledger == null ? Map.of() : Effectiveness.weights(records(ledger.stats()));
    }

    /** The ledger's counts per rule added up per agent type; types that are not the five are not deployed. */
    static Map<Focus, Effectiveness.Record> records(List<EnhancementStats> stats) {
        Map<Focus, Effectiveness.Record> out = new EnumMap<>(Focus.class);
        for (EnhancementStats s : stats) {
            Focus f;
            try {
                f = Focus.parse(s.agentType());
            } catch (IllegalArgumentException notOurs) {
                continue;
            }
            out.merge(f, new Effectiveness.Record(s.validated(), s.rejected(), s.rolledBack()),
                    (a, b) -> new Effectiveness.Record(a.validated() + b.validated(), a.rejected() + b.rejected(),
                            a.rolledBack() + b.rolledBack()));
        }
        return out;
    }
}
