package io.harmonix.autonomy.internal.policy;

import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.Policy;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The decision log over the federated index: each decision is a cycle of the day's decision run in namespace
 * {@value DecisionLog#NAMESPACE} ({@link DecisionRecords}), appended before {@link #record} returns. The index forces
 * an append to the disk before it answers under its default sync policy ({@code group}) and {@code always};
 * {@code sync=none} in {@code etc/io.harmonix.index.cfg} gives that up for every namespace, this one included.
 *
 * <p>P-001: every text of a decision (its name, inputs, keys included, outcome, reasons, run) goes through every
 * registered {@link SecretMasker} before it is written; a masker that fails refuses the decision (a record that might
 * hold a secret is not written, and the caller does not act). Policies come from {@link PolicyStore}.
 */
@Component(service = {DecisionLog.class, IndexDecisionLog.class})
public final class IndexDecisionLog implements DecisionLog {
    static final String POLICY_FILE = "etc/autonomy-policies.yaml";

    private final CycleIndex index;
    private final PolicyStore policies;
    private final Clock clock;
    private final List<SecretMasker> maskers = new CopyOnWriteArrayList<>();
    /** The decision run being numbered and its last cycle: decisions are numbered and appended one at a time. */
    private String run;
    private long last;

    @Activate
    public IndexDecisionLog(BundleContext context, @Reference CycleIndex index,
            @Reference(service = LoggerFactory.class) Logger log) {
        // the policy file is read at the first decision or question about policies, and said then
        this(index, new PolicyStore(home(context).resolve(POLICY_FILE), log::error,
                in -> log.info("autonomy policies in force: {}", in.stream().map(Policy::id).toList())),
                Clock.systemUTC());
    }

    public IndexDecisionLog(CycleIndex index, PolicyStore policies, Clock clock) {
        this.index = index;
        this.policies = policies;
        this.clock = clock;
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty("harmonix.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    @Reference(name = "maskers", service = SecretMasker.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMasker")
    public void addMasker(SecretMasker masker) {
        maskers.add(masker);
    }

    public void removeMasker(SecretMasker masker) {
        maskers.remove(masker);
    }

    /** @return the problems of the policy file as last read (empty when it is in force or absent) */
    public List<String> policyProblems() {
        return policies.problems();
    }

    public Path policyFile() {
        return policies.file();
    }

    @Override
    public List<Policy> policies() {
        return policies.policies();
    }

    @Override
    public Optional<Policy> policy(String id) {
        return policies().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    @Override
    public Decision record(String decision, List<String> policyIds, Map<String, ?> inputs, String outcome,
            List<String> reasons, String runId) {
        if (decision == null || decision.isBlank() || outcome == null || outcome.isBlank()) {
            throw new IllegalArgumentException("a decision needs what was decided and its outcome; got decision '"
                    + decision + "', outcome '" + outcome + "'");
        }
        Set<String> known = policies().stream().map(Policy::id).collect(Collectors.toCollection(TreeSet::new));
        List<String> unknown = policyIds.stream().filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("decision '" + decision + "' names unknown polic"
                    + (unknown.size() == 1 ? "y " : "ies ") + unknown + ": expected ids of the policy file "
                    + policies.file() + ", " + known);
        }
        Decision masked = new Decision("", mask(decision), List.copyOf(new TreeSet<>(policyIds)),
                DecisionRecords.masked(inputs == null ? Map.of() : inputs, this::mask), mask(outcome),
                (reasons == null ? List.<String>of() : reasons).stream().map(this::mask).toList(), clock.instant(),
                runId == null ? null : mask(runId));
        return append(masked);
    }

    /** Numbers the decision in its day's run and appends it, one at a time so that numbers follow log order. */
    private synchronized Decision append(Decision d) {
        String day = DecisionRecords.runOf(d.at());
        try {
            if (!day.equals(run)) {
                run = day;
                last = lastCycle(day);
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                CycleSnapshot s = DecisionRecords.snapshot(d, last + 1);
                if (index.appendCycleSnapshots(NAMESPACE, List.of(s)) == 1) {
                    last++;
                    return new Decision(s.cycleId(), d.decision(), d.policies(), d.inputs(), d.outcome(),
                            d.reasons(), d.at(), d.runId());
                }
                // another writer of this index numbered the day's run past what this one knew: read it again
                last = lastCycle(day);
            }
            throw new IllegalStateException("decision '" + d.decision() + "' not recorded: the index kept skipping "
                    + "its number in run " + day);
        } catch (IOException | RuntimeException e) {
            run = null; // read the run's end from the index again next time
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("decision '" + d.decision() + "' not recorded in the index (namespace "
                    + NAMESPACE + "): " + e.getMessage() + "; nothing it allows may happen", e);
        }
    }

    private long lastCycle(String day) throws IOException {
        if (!index.namespaces().contains(NAMESPACE)) {
            return 0;
        }
        return index.runs(NAMESPACE).stream().filter(r -> r.runId().equals(day)).mapToLong(RunSummary::lastCycle)
                .max().orElse(0);
    }

    /** Every masker in turn; one that fails refuses the text (P-001: a text that might hold a secret stays out). */
    private String mask(String text) {
        String out = text;
        for (SecretMasker m : maskers) {
            try {
                out = Objects.requireNonNull(m.mask(out), "it answered null");
            } catch (RuntimeException e) {
                throw new IllegalStateException("decision not recorded: the secret masker " + m.getClass().getName()
                        + " failed (" + e.getMessage() + "), and a decision that might hold a secret is not written");
            }
        }
        return out;
    }

    @Override
    public Optional<Decision> decision(String id) {
        try {
            return index.find(id).filter(c -> NAMESPACE.equals(c.namespace()))
                    .map(c -> DecisionRecords.decision(c.snapshot()));
        } catch (IOException e) {
            throw new UncheckedIOException("decision " + id + " could not be read from the index: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<Decision> decisions(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        try {
            if (!index.namespaces().contains(NAMESPACE)) {
                return List.of();
            }
            long held = index.stats(NAMESPACE).records();
            List<Decision> out = new ArrayList<>();
            for (IndexedCycle c : index.list(NAMESPACE, null, Math.max(0, held - limit), limit)) {
                Decision d = DecisionRecords.decision(c.snapshot());
                if (d != null) {
                    out.add(d);
                }
            }
            Collections.reverse(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("decisions could not be read from the index: " + e.getMessage(), e);
        }
    }

    /** {@code TAP-DECISION: <id> <decision>=<outcome> policies=<ids>}: one line, a git trailer. */
    @Override
    public String trailer(Decision d) {
        return "TAP-DECISION: " + d.id() + " " + token(d.decision()) + "=" + token(d.outcome()) + " policies="
                + (d.policies().isEmpty() ? "none" : String.join(",", d.policies()));
    }

    /** A trailer's value is one line of words: white space inside a word becomes '-'. */
    private static String token(String s) {
        return s.strip().replaceAll("\\s+", "-");
    }
}
