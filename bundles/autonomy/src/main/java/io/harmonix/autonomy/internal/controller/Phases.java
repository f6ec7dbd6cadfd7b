package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.autonomy.internal.crash.CrashPoints;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The task handler of the {@value AutonomyController#WORKFLOW} workflow (component {@value #COMPONENT}, one action
 * per phase). Each phase records its result in the run store when it ends; asked again for the same run (the task run
 * again after a kill -9), a phase that has a result answers it and does nothing more, and one that has none does its
 * work again, which is safe: upserts of the same items, {@link ChangeRequests#open} giving back the request an item
 * already has, verification of requests not verified yet, SHIP of requests not shipped yet.
 */
final class Phases implements TaskHandler {
    static final String COMPONENT = "autonomy";
    static final List<String> ACTIONS = List.of("sense", "think", "act", "verify", "ship", "learn");

    private final Controller controller;
    private final BacklogLedger ledger;
    private final ChangeRequests changes;
    private final Sense sense;
    private final Supplier<ScoringRules> rules;
    private final Learn learn;

    Phases(Controller controller, BacklogLedger ledger, ChangeRequests changes, Sense sense,
            Supplier<ScoringRules> rules, Learn learn) {
        this.controller = controller;
        this.ledger = ledger;
        this.changes = changes;
        this.sense = sense;
        this.rules = rules;
        this.learn = learn;
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        Phase phase = Phase.ofAction(context.action());
        String runId = context.instanceId();
        RunStore store = controller.store();
        Object trigger = context.input() == null ? null : context.input().get("trigger");
        store.insertRun(runId, trigger == null ? "command" : trigger.toString(), Instant.now());
        Optional<String> done = store.result(runId, phase);
        if (done.isEmpty()) {
            store.phase(runId, phase);
            controller.note("run " + runId + ": " + phase);
            ObjectNode result = switch (phase) {
                case SENSE -> sense();
                case THINK -> think(runId);
                case ACT -> act(runId);
                case VERIFY -> verify(runId);
                case SHIP -> ship(runId);
                case LEARN -> null;
            };
            if (phase == Phase.LEARN) {
                learn.learn(runId, errors(context));
            } else {
                store.saveResult(runId, phase, RunView.JSON.writeValueAsString(result), null);
                // between the phase's result and the workflow's record of its task: the boundary a kill tests
                CrashPoints.reach("end-" + phase.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        JsonNode kept = RunView.result(store, runId, phase);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("phase", phase.name());
        kept.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() || e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
            } else if (e.getValue().isArray()) {
                out.put(e.getKey() + "Count", e.getValue().size());
            }
        });
        return out;
    }

    private static Map<String, String> errors(TaskContext context) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (context.input() != null && context.input().get("errors") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> {
                if (v != null && !String.valueOf(v).isBlank()) {
                    errors.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return errors;
    }

    private ObjectNode sense() throws InterruptedException {
        Sense.Result r = sense.sense();
        ObjectNode out = RunView.JSON.createObjectNode();
        out.put("repositories", r.repositories());
        out.set("signals", RunView.JSON.valueToTree(r.signals()));
        out.set("notes", RunView.JSON.valueToTree(r.notes()));
        ArrayNode scans = out.putArray("scans");
        for (Scans.Scan s : r.scans()) {
            ObjectNode n = scans.addObject().put("repo", s.repo()).put("commit", s.commit());
            ArrayNode agents = n.putArray("agents");
            s.findings().forEach(a -> agents.addObject().put("agentId", a.agentId()).put("runId", a.runId())
                    .put("findings", a.findings().findings().size()));
            n.set("started", RunView.JSON.valueToTree(s.started()));
        }
        return out;
    }

    private List<Signal> signals(String runId) throws SQLException {
        JsonNode s = RunView.result(controller.store(), runId, Phase.SENSE).path("signals");
        List<Signal> out = new ArrayList<>();
        s.forEach(n -> out.add(RunView.JSON.convertValue(n, Signal.class)));
        return out;
    }

    List<Scored> scored(String runId) throws SQLException {
        List<Scored> out = new ArrayList<>();
        RunView.result(controller.store(), runId, Phase.THINK).path("items")
                .forEach(n -> out.add(RunView.JSON.convertValue(n, Scored.class)));
        return out;
    }

    /** THINK: each signal scored by the rules and what was learnt, and upserted into the ledger. */
    private ObjectNode think(String runId) throws SQLException {
        ScoringRules r = rules.get();
        List<Scored> items = r.score(signals(runId), controller.store().ruleOutcomes());
        Instant now = Instant.now();
        for (Scored s : items) {
            Optional<BacklogItem> before = ledger.item(s.itemId());
            ItemStatus status = before.map(BacklogItem::status).orElse(ItemStatus.OPEN);
            List<String> evidence = new ArrayList<>(before.map(BacklogItem::evidenceLinks).orElse(List.of()));
            s.evidence().stream().filter(e -> !evidence.contains(e)).forEach(evidence::add);
            ledger.upsert(new BacklogItem(s.itemId(), s.repo(), s.type(), s.priority(), s.risk(), status, evidence,
                    before.map(BacklogItem::createdAt).orElse(now), now,
                    before.map(BacklogItem::policyDecisionRef).orElse(null), runId, AutonomyController.WORKFLOW,
                    s.commit()));
        }
        ObjectNode out = RunView.JSON.createObjectNode();
        out.set("items", RunView.JSON.valueToTree(items));
        out.set("rules", RunView.JSON.valueToTree(r.describe()));
        return out;
    }

    /**
     * ACT: a change request for each open item that has a change (drafts in quarantine mode). Low and medium risk
     * ones may ship after VERIFY; high and critical ones wait for {@code change:approve}.
     */
    private ObjectNode act(String runId) throws SQLException {
        ObjectNode out = RunView.JSON.createObjectNode();
        ArrayNode opened = out.putArray("opened");
        ArrayNode refusals = out.putArray("refusals");
        Toggles t = controller.toggles();
        List<PlannedChange> planned = new ArrayList<>();
        for (Scored s : scored(runId)) {
            ItemStatus status = ledger.item(s.itemId()).map(BacklogItem::status).orElse(ItemStatus.OPEN);
            if (s.change() == null || (status != ItemStatus.OPEN && status != ItemStatus.IN_PROGRESS)) {
                continue;
            }
            Signal.Change c = s.change();
            planned.add(new PlannedChange(s.itemId(), s.repo(), c.kind(), c.title(), s.risk(), c.groupKey(),
                    c.enhancementId(), c.revertCommit(), c.diff()));
        }
        out.put("planned", planned.size());
        if (!t.enabled()) {
            if (!planned.isEmpty()) {
                refusals.add(planned.size() + " change(s) not opened: autonomy is disabled (enabled=false)");
            }
            return out;
        }
        out.put("draft", t.quarantineMode());
        if (planned.isEmpty()) {
            return out;
        }
        for (ChangeRequest c : changes.open(planned, t.quarantineMode(), runId)) {
            opened.add(c.id());
            for (String item : c.itemIds()) {
                if (ledger.item(item).map(i -> i.status() == ItemStatus.OPEN).orElse(false)) {
                    ledger.setStatus(item, ItemStatus.IN_PROGRESS, null, runId);
                }
            }
        }
        return out;
    }

    /** VERIFY: the requests opened and not verified yet, their checks run on the SHA they would ship. */
    private ObjectNode verify(String runId) throws SQLException {
        ObjectNode out = RunView.JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        if (!controller.toggles().enabled()) {
            out.put("verified", 0);
            return out;
        }
        Set<Long> ids = new LinkedHashSet<>();
        RunView.result(controller.store(), runId, Phase.ACT).path("opened").forEach(n -> ids.add(n.asLong()));
        changes.changes(ChangeState.OPEN, null).forEach(c -> ids.add(c.id()));
        int verified = 0;
        for (long id : ids) {
            ChangeRequest c = changes.change(id).orElse(null);
            if (c == null || !(c.state() == ChangeState.OPEN
                    || (c.state() == ChangeState.DRAFT && c.verifiedCommit() == null))) {
                if (c != null) {
                    results.addObject().put("id", id).put("state", c.state().name());
                }
                continue;
            }
            ChangeRequest v = changes.verify(id, runId);
            results.addObject().put("id", id).put("state", v.state().name())
                    .put("sha", v.verifiedCommit());
            if (v.state() == ChangeState.VERIFIED || v.state() == ChangeState.AWAITING_APPROVAL) {
                verified++;
            } else if (v.state() == ChangeState.FAILED) {
                String decision = v.decisionIds().isEmpty() ? null : v.decisionIds().get(v.decisionIds().size() - 1);
                for (String item : v.itemIds()) {
                    if (ledger.item(item).isPresent()) {
                        ledger.setStatus(item, ItemStatus.BLOCKED, decision, runId);
                    }
                }
            }
        }
        out.put("verified", verified);
        return out;
    }

    /**
     * SHIP: every verified request (and approved ones, and those refused before, which may ship now), each through
     * {@link ChangeRequests#ship} with the toggles in force at that moment (which also tells the enhancement ledger
     * a shipped proposal is applied); drafts are never shipped. The ledger's items of a shipped request are done,
     * with the decision, the run, the workflow and main's new commit.
     */
    private ObjectNode ship(String runId) {
        ObjectNode out = RunView.JSON.createObjectNode();
        ArrayNode shipped = out.putArray("shipped");
        ArrayNode refusals = out.putArray("refusals");
        List<ChangeRequest> candidates = new ArrayList<>();
        candidates.addAll(changes.changes(ChangeState.VERIFIED, null));
        candidates.addAll(changes.changes(ChangeState.REFUSED, null));
        changes.changes(ChangeState.AWAITING_APPROVAL, null).stream().filter(c -> c.approvedBy() != null)
                .forEach(candidates::add);
        // a draft never ships, but SHIP still decides about it: the refusal is a decision on record like any other
        changes.changes(ChangeState.DRAFT, null).stream().filter(c -> runId.equals(c.runId()))
                .forEach(candidates::add);
        candidates.sort(java.util.Comparator.comparingLong(ChangeRequest::id));
        // shipped by an attempt of this SHIP that a crash cut before it recorded its result: no second ship, and
        // the run still counts it (its decision says which run allowed it)
        for (ChangeRequest c : changes.changes(ChangeState.SHIPPED, null)) {
            String last = c.decisionIds().isEmpty() ? null : c.decisionIds().get(c.decisionIds().size() - 1);
            if (last != null && controller.allowedBy(last, runId)) {
                // the API does not say which commit main moved to: the items keep the commit THINK saw
                shipped.addObject().put("id", c.id()).put("repo", c.repo()).put("decision", last)
                        .put("recovered", true);
                done(c, last, null, runId);
            }
        }
        for (ChangeRequest c : candidates) {
            ShipOutcome o;
            try {
                o = changes.ship(c.id(), controller.toggles(), runId);
            } catch (IllegalStateException e) {
                refusals.add("change " + c.id() + " (" + c.repo() + "): " + e.getMessage());
                continue;
            }
            if (o.shipped()) {
                shipped.addObject().put("id", c.id()).put("repo", c.repo()).put("decision", o.decision().id())
                        .put("mainBefore", o.mainBefore()).put("mainAfter", o.mainAfter());
                done(o.change(), o.decision().id(), o.mainAfter(), runId);
            } else {
                refusals.add("change " + c.id() + " (" + c.repo() + "): " + String.join("; ", o.decision().reasons()));
                for (String item : o.change().itemIds()) {
                    if (ledger.item(item).isPresent()) {
                        ledger.setStatus(item, ledger.item(item).get().status(), o.decision().id(), runId);
                    }
                }
            }
        }
        return out;
    }

    /** The items of a shipped request are done: the decision, the run, the workflow and main's new commit. */
    private void done(ChangeRequest c, String decision, String main, String runId) {
        for (String item : c.itemIds()) {
            ledger.item(item).ifPresent(i -> ledger.upsert(new BacklogItem(i.id(), i.repo(), i.type(), i.priority(),
                    i.risk(), ItemStatus.DONE, i.evidenceLinks(), i.createdAt(), Instant.now(), decision, runId,
                    AutonomyController.WORKFLOW, main == null ? i.commitSha() : main)));
        }
    }
}
