package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.AutonomyStatus;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.workflow.api.WorkflowService;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The controller's runs and its governance: one run at a time (a trigger while one runs is counted against it), the
 * break-glass toggles as configured plus the automatic quarantine, each change of them a decision recorded before it
 * takes effect and persisted through Configuration Admin ({@code etc/io.harmonix.autonomy.cfg}).
 */
final class Controller implements AutonomyController {
    /** The automatic quarantine's reason while it is on, in the store. */
    static final String AUTO_QUARANTINE = "autoQuarantine";
    /** Failed verifications or rolled-back changes in a row, in the store. */
    static final String FAILURES = "consecutiveFailures";
    /** The reason of the quarantine a person turned on, in the store (the file only mirrors it). */
    static final String DECIDED_QUARANTINE = "decidedQuarantine";
    /** The toggles last applied, in the store: what an edit of the file is compared with. */
    static final String APPLIED = "appliedToggles";
    /** Who changed a toggle by editing etc/io.harmonix.autonomy.cfg. */
    static final String FILE = "configuration file";

    /** Where toggles changed by a command or by the controller itself are made to last. */
    @FunctionalInterface
    interface Persistence {
        void save(Map<String, Object> properties) throws IOException;
    }

    private final RunStore store;
    private final WorkflowService workflows;
    private final DecisionLog decisions;
    private final BacklogLedger ledger;
    private final ChangeRequests changes;
    private final Persistence persistence;
    private final Consumer<String> log;
    private final UnaryOperator<String> mask;
    private final ControllerRuns runs;
    private volatile Toggles configured;

    /**
     * @param mask P-001: every line logged and every message of an exception thrown goes through it (a person's
     *     reason, a trigger's name, a quarantine's reason made of failure notes)
     */
    Controller(RunStore store, WorkflowService workflows, DecisionLog decisions, BacklogLedger ledger,
            ChangeRequests changes, Toggles configured, Persistence persistence, Consumer<String> log,
            UnaryOperator<String> mask) {
        this.store = store;
        this.workflows = workflows;
        this.decisions = decisions;
        this.ledger = ledger;
        this.changes = changes;
        this.configured = configured;
        this.persistence = persistence;
        this.log = log;
        this.mask = mask;
        this.runs = new ControllerRuns(store, workflows, this::note, this::storeFailed);
    }

    RunStore store() {
        return store;
    }

    /** Logs a line of the controller's work (the run, its phase). */
    void note(String line) {
        log.accept(mask.apply("autonomy: " + line));
    }

    /** The store's failure, its message masked: Derby quotes the values it refused (a trigger, a reason). */
    private IllegalStateException storeFailed(SQLException e) {
        IllegalStateException masked = new IllegalStateException(mask.apply("autonomy: the run store failed: "
                + e.getMessage()));
        masked.setStackTrace(e.getStackTrace()); // without the cause, whose message is not masked
        return masked;
    }

    /** @return true when the decision exists, allowed what it decided, and was made by that run */
    boolean allowedBy(String decisionId, String runId) {
        return decisions.decision(decisionId).map(d -> d.allowed() && runId.equals(d.runId())).orElse(false);
    }

    @Override
    public ControllerRun start(String trigger) {
        return runs.start(trigger);
    }

    @Override
    public Optional<ControllerRun> run(String id) {
        return runs.run(id);
    }

    @Override
    public List<ControllerRun> runs(int limit) {
        return runs.runs(limit);
    }

    @Override
    public ControllerRun await(String id, Duration timeout) throws InterruptedException, TimeoutException {
        return runs.await(id, timeout);
    }

    @Override
    public AutonomyStatus status() {
        Toggles t = toggles();
        Map<ItemStatus, Integer> items = new EnumMap<>(ItemStatus.class);
        try {
            for (BacklogItem i : ledger.items()) {
                items.merge(i.status(), 1, Integer::sum);
            }
        } catch (IllegalStateException e) {
            note("status without the ledger's items: " + e.getMessage());
        }
        return new AutonomyStatus(t, changes.shippedOn(LocalDate.now(t.zone()), t.zone()), failures(), runs(5),
                items);
    }

    int failures() {
        try {
            return store.value(FAILURES).map(Integer::parseInt).orElse(0);
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    @Override
    public Toggles toggles() {
        Toggles t = configured;
        try {
            // a quarantine turned on by a decision holds whatever the file says: only a person's decision lifts it
            Optional<String> held = store.value(AUTO_QUARANTINE).map(ToggleSettings::blankToNull)
                    .or(() -> decided());
            if (held.isPresent()) {
                return new Toggles(t.enabled(), t.automergeEnabled(), t.maxChangesPerDay(), true, held.get(),
                        t.zone());
            }
        } catch (SQLException e) {
            throw storeFailed(e);
        }
        return t;
    }

    private Optional<String> decided() {
        try {
            return store.value(DECIDED_QUARANTINE).map(ToggleSettings::blankToNull);
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    /**
     * The toggles as {@code etc/io.harmonix.autonomy.cfg} now says (Configuration Admin told a change, or the
     * controller starts): each toggle that differs from the last ones applied (kept in the store, so that an edit
     * made while the runtime was down counts too) is logged and recorded as a {@code toggle} decision of
     * {@value #FILE}. A change the controller made itself (a command's, saved in the file) is applied already and
     * differs in nothing. {@code quarantineMode = false} does not lift a quarantine a decision turned on: that is
     * recorded as refused.
     */
    synchronized void configured(Toggles fromFile) {
        Toggles before = lastApplied().orElse(configured);
        for (String n : ToggleSettings.NAMES) {
            String from = ToggleSettings.valueOf(before, n);
            String to = ToggleSettings.valueOf(fromFile, n);
            if (from.equals(to)) {
                continue;
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("toggle", n);
            inputs.put("from", from);
            inputs.put("to", to);
            inputs.put("who", FILE);
            boolean lowersDecided = n.equals(ToggleSettings.QUARANTINE) && !fromFile.quarantineMode()
                    && toggles().quarantineMode() && !quarantineOfFileOnly(before);
            if (lowersDecided) {
                decisions.record("toggle", policies(), inputs, "refused", List.of(FILE + " set " + n + " to false; "
                        + "the quarantine a decision turned on is lifted only by autonomy:quarantine off --reason R"),
                        null);
                note("etc/io.harmonix.autonomy.cfg: quarantineMode = false does not lift the quarantine in force ("
                        + toggles().quarantineReason() + "): autonomy:quarantine off --reason R lifts it");
            } else {
                decisions.record("toggle", policies(), inputs, "allowed", List.of(FILE + " set " + n + " from "
                        + from + " to " + to), null);
                note("toggle " + n + " " + from + " -> " + to + " by " + FILE);
            }
        }
        configured = fromFile;
        remember(fromFile);
    }

    /** @return true when the quarantine in force is only what the file said (no decision holds one) */
    private boolean quarantineOfFileOnly(Toggles before) {
        try {
            return before.quarantineMode() && store.value(AUTO_QUARANTINE).map(ToggleSettings::blankToNull)
                    .isEmpty() && decided().isEmpty();
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    private Optional<Toggles> lastApplied() {
        try {
            return store.value(APPLIED).filter(v -> !v.isBlank()).map(v -> ToggleSettings.decode(v, configured));
        } catch (SQLException e) {
            throw storeFailed(e);
        } catch (RuntimeException e) {
            note("the toggles last applied could not be read back (" + e.getMessage() + "): compared with those "
                    + "in memory");
            return Optional.empty();
        }
    }

    private void remember(Toggles t) {
        try {
            store.setValue(APPLIED, ToggleSettings.encode(t));
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    @Override
    public synchronized Toggles toggle(String name, String value, String who) {
        Map<String, Object> changed = ToggleSettings.parse(name, value);
        String n = name.trim();
        if (n.equals(ToggleSettings.QUARANTINE)) {
            if ((Boolean) changed.get(n)) {
                return quarantine(true, "autonomy:toggle " + n + " " + value.trim(), who);
            }
            throw new IllegalArgumentException(n + ": quarantine is lifted only by a person's decision with its "
                    + "reason: autonomy:quarantine off --reason '...'");
        }
        Toggles before = toggles();
        String from = ToggleSettings.valueOf(before, n);
        String to = String.valueOf(changed.get(n));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("toggle", n);
        inputs.put("from", from);
        inputs.put("to", to);
        inputs.put("who", who);
        return change(changed, () -> decisions.record("toggle", policies(), inputs, "allowed", List.of(who + " set "
                + n + " from " + from + " to " + to), null), "toggle " + n + " " + from + " -> " + to + " by " + who);
    }

    @Override
    public synchronized Toggles quarantine(boolean on, String reason, String who) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("quarantine " + (on ? "on" : "off") + ": a reason is required "
                    + "(--reason '...'): it is recorded with the decision");
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("quarantine", on);
        inputs.put("reason", reason);
        inputs.put("who", who);
        inputs.put("wasOn", toggles().quarantineMode());
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put(ToggleSettings.QUARANTINE, on);
        changed.put(ToggleSettings.QUARANTINE_REASON, on ? reason : "");
        return change(changed, () -> {
            decisions.record("quarantine", policies(), inputs, "allowed", List.of(who + " turned quarantine "
                    + (on ? "on" : "off") + ": " + reason), null);
            try {
                store.setValue(DECIDED_QUARANTINE, on ? reason : "");
                if (!on) {
                    store.setValue(AUTO_QUARANTINE, "");
                    store.setValue(FAILURES, "0");
                }
            } catch (SQLException e) {
                throw storeFailed(e);
            }
        }, "quarantine " + (on ? "on" : "off") + " by " + who + ": " + reason);
    }

    /**
     * Turns quarantine on by the controller itself (N failures in a row); only a person lifts it. Nothing when
     * quarantine is on already. The store holds it (the file only mirrors it), so a failed save of the file does
     * not stop it.
     *
     * @return true when it turned it on now
     */
    synchronized boolean quarantineAutomatically(String reason, String runId) {
        if (toggles().quarantineMode()) {
            return false;
        }
        decisions.record("quarantine", policies(), Map.of("quarantine", true, "automatic", true, "reason", reason),
                "allowed", List.of("automatic quarantine: " + reason), runId);
        try {
            store.setValue(AUTO_QUARANTINE, reason);
        } catch (SQLException e) {
            throw storeFailed(e);
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put(ToggleSettings.QUARANTINE, true);
        changed.put(ToggleSettings.QUARANTINE_REASON, reason);
        note("automatic quarantine: " + reason);
        try {
            persistence.save(changed);
            configured = ToggleSettings.apply(configured, changed);
            remember(configured);
        } catch (IOException | RuntimeException e) {
            note("automatic quarantine is in force (kept in the database) but etc/io.harmonix.autonomy.cfg was not "
                    + "updated: " + e.getMessage());
        }
        return true;
    }

    /**
     * A change of toggles by a command: saved in {@code etc/io.harmonix.autonomy.cfg} first, then its decision
     * recorded, then applied. A failed save changes nothing and fails the command; a decision that cannot be recorded
     * puts the file back as it was.
     */
    private Toggles change(Map<String, Object> changed, Runnable decide, String what) {
        try {
            persistence.save(changed);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(mask.apply("autonomy: " + what + ": not done, nothing changed: it could "
                    + "not be saved to etc/io.harmonix.autonomy.cfg: " + e.getMessage()), e);
        }
        try {
            decide.run();
        } catch (RuntimeException e) {
            Map<String, Object> back = new LinkedHashMap<>();
            changed.keySet().forEach(k -> back.put(k, k.equals(ToggleSettings.QUARANTINE_REASON)
                    ? String.valueOf(configured.quarantineReason() == null ? "" : configured.quarantineReason())
                    : ToggleSettings.valueOf(configured, k)));
            try {
                persistence.save(back);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        configured = ToggleSettings.apply(configured, changed);
        remember(configured);
        note(what);
        return toggles();
    }

    /** @return the policies a governance decision is made under: those of the policy file among P-001 (masking) */
    List<String> policies() {
        List<String> out = new ArrayList<>();
        for (String id : List.of("P-001")) {
            if (decisions.policy(id).isPresent()) {
                out.add(id);
            }
        }
        return out;
    }
}
