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
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.WorkflowService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

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
    private volatile Toggles configured;

    Controller(RunStore store, WorkflowService workflows, DecisionLog decisions, BacklogLedger ledger,
            ChangeRequests changes, Toggles configured, Persistence persistence, Consumer<String> log) {
        this.store = store;
        this.workflows = workflows;
        this.decisions = decisions;
        this.ledger = ledger;
        this.changes = changes;
        this.configured = configured;
        this.persistence = persistence;
        this.log = log;
    }

    /** The toggles as the configuration now says (Configuration Admin told a change). */
    void configured(Toggles t) {
        configured = t;
    }

    RunStore store() {
        return store;
    }

    /** Logs a line of the controller's work (the run, its phase). */
    void note(String line) {
        log.accept("autonomy: " + line);
    }

    /** @return true when the decision exists, allowed what it decided, and was made by that run */
    boolean allowedBy(String decisionId, String runId) {
        return decisions.decision(decisionId).map(d -> d.allowed() && runId.equals(d.runId())).orElse(false);
    }

    @Override
    public synchronized ControllerRun start(String trigger) {
        try {
            reconcile();
            List<RunStore.RunRow> running = store.running();
            if (!running.isEmpty()) {
                String id = running.get(0).id();
                store.coalesce(id);
                log.accept("autonomy: trigger '" + trigger + "' while run " + id + " runs: coalesced into it");
                return run(id).orElseThrow();
            }
            InstanceInfo i = workflows.start(WORKFLOW, ControllerWorkflow.VERSION, Map.of("trigger", trigger), null);
            store.insertRun(i.id(), trigger, i.startedAt() == null ? Instant.now() : i.startedAt());
            log.accept("autonomy: run " + i.id() + " started (" + trigger + ")");
            return run(i.id()).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
    }

    /** Ends the runs the store says are running whose workflow instance has ended (a failed phase, a cancel). */
    private void reconcile() throws SQLException {
        for (RunStore.RunRow r : store.running()) {
            reconcile(r);
        }
    }

    private void reconcile(RunStore.RunRow r) throws SQLException {
        Optional<InstanceInfo> i = workflows.instance(r.id());
        if (i.isEmpty()) {
            store.end(r.id(), RunStore.FAILED, Instant.now());
        } else if (i.get().state().finished()) {
            store.end(r.id(), i.get().state() == InstanceState.SUCCEEDED ? RunStore.COMPLETED : RunStore.FAILED,
                    i.get().endedAt() == null ? Instant.now() : i.get().endedAt());
        }
    }

    @Override
    public Optional<ControllerRun> run(String id) {
        try {
            Optional<RunStore.RunRow> row = store.run(id);
            if (row.isPresent() && RunStore.RUNNING.equals(row.get().state())) {
                reconcile(row.get());
                row = store.run(id);
            }
            return row.map(this::view);
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ControllerRun> runs(int limit) {
        try {
            reconcile();
            return store.runs(limit).stream().map(this::view).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
    }

    private ControllerRun view(RunStore.RunRow r) {
        try {
            return RunView.of(r, store);
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ControllerRun await(String id, Duration timeout) throws InterruptedException, TimeoutException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            ControllerRun r = run(id).orElseThrow(() -> new java.util.NoSuchElementException(
                    "autonomy: no controller run " + id));
            if (!RunStore.RUNNING.equals(r.state())) {
                return r;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("autonomy: run " + id + " still in " + r.phase() + " after " + timeout);
            }
            workflows.await(id, Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
        }
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
            log.accept("autonomy: status without the ledger's items: " + e.getMessage());
        }
        return new AutonomyStatus(t, changes.shippedOn(LocalDate.now(t.zone()), t.zone()), failures(), runs(5),
                items);
    }

    int failures() {
        try {
            return store.value(FAILURES).map(Integer::parseInt).orElse(0);
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Toggles toggles() {
        Toggles t = configured;
        try {
            Optional<String> auto = store.value(AUTO_QUARANTINE).map(ToggleSettings::blankToNull);
            if (auto.isPresent()) {
                return new Toggles(t.enabled(), t.automergeEnabled(), t.maxChangesPerDay(), true, auto.get(),
                        t.zone());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
        return t;
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
        decisions.record("toggle", policies(), inputs, "allowed", List.of(who + " set " + n + " from " + from
                + " to " + to), null);
        return change(changed, "toggle " + n + " " + from + " -> " + to + " by " + who);
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
        decisions.record("quarantine", policies(), inputs, "allowed", List.of(who + " turned quarantine "
                + (on ? "on" : "off") + ": " + reason), null);
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put(ToggleSettings.QUARANTINE, on);
        changed.put(ToggleSettings.QUARANTINE_REASON, on ? reason : "");
        if (!on) {
            try {
                store.setValue(AUTO_QUARANTINE, "");
                store.setValue(FAILURES, "0");
            } catch (SQLException e) {
                throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
            }
        }
        return change(changed, "quarantine " + (on ? "on" : "off") + " by " + who + ": " + reason);
    }

    /**
     * Turns quarantine on by the controller itself (N failures in a row); only a person lifts it. Nothing when
     * quarantine is on already.
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
            throw new IllegalStateException("autonomy: the run store failed: " + e.getMessage(), e);
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put(ToggleSettings.QUARANTINE, true);
        changed.put(ToggleSettings.QUARANTINE_REASON, reason);
        change(changed, "automatic quarantine: " + reason);
        return true;
    }

    private Toggles change(Map<String, Object> changed, String what) {
        configured = ToggleSettings.apply(configured, changed);
        log.accept("autonomy: " + what);
        try {
            persistence.save(changed);
        } catch (IOException e) {
            throw new UncheckedIOException("autonomy: " + what + " is in force but was not saved to "
                    + "etc/io.harmonix.autonomy.cfg: " + e.getMessage(), e);
        }
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
