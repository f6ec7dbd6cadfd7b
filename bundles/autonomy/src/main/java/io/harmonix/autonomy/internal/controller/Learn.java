package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.config.api.AtomicFiles;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.workflow.api.EventService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * LEARN: what the run's changes became fed back into the scoring (a rule whose changes were kept gains, one whose
 * changes failed VERIFY or were rolled back later loses), the count of failures in a row and the automatic
 * quarantine at its limit, and the run document {@code data/runs/run-<id>.md}, masked by every SecretMasker
 * (P-001) and written atomically. Counters move in the same transaction that records LEARN's result, so a LEARN run
 * again after a crash never counts twice.
 */
final class Learn {
    private final Controller controller;
    private final BacklogLedger ledger;
    private final ChangeRequests changes;
    private final Supplier<EnhancementLedger> enhancements;
    private final Supplier<EventService> events;
    private final Path runs;
    private final Supplier<Integer> quarantineAfter;
    private final UnaryOperator<String> mask;

    Learn(Controller controller, BacklogLedger ledger, ChangeRequests changes, Supplier<EnhancementLedger> enhancements,
            Supplier<EventService> events, Path runs, Supplier<Integer> quarantineAfter, UnaryOperator<String> mask) {
        this.controller = controller;
        this.ledger = ledger;
        this.changes = changes;
        this.enhancements = enhancements;
        this.events = events;
        this.runs = runs;
        this.quarantineAfter = quarantineAfter;
        this.mask = mask;
    }

    void learn(String runId, Map<String, String> errors) throws SQLException, IOException {
        RunStore store = controller.store();
        Map<String, String> ruleOfItem = new LinkedHashMap<>();
        RunView.result(store, runId, Phase.THINK).path("items")
                .forEach(n -> ruleOfItem.put(n.path("itemId").asText(), n.path("rule").asText()));
        Map<String, int[]> outcomes = new LinkedHashMap<>();
        List<String> learnt = new ArrayList<>();
        int failures = controller.failures();
        for (JsonNode v : RunView.result(store, runId, Phase.VERIFY).path("results")) {
            String state = v.path("state").asText();
            if (state.equals("FAILED")) {
                failures++;
                String rule = ruleOf(v.path("id").asLong(), ruleOfItem);
                outcomes.computeIfAbsent(rule, k -> new int[2])[1]++;
                learnt.add("change " + v.path("id").asLong() + " failed VERIFY: rule " + rule + " loses");
            } else if (state.equals("VERIFIED") || state.equals("AWAITING_APPROVAL")) {
                failures = 0;
            }
        }
        List<RunStore.Shipped> shipped = new ArrayList<>();
        for (JsonNode s : RunView.result(store, runId, Phase.SHIP).path("shipped")) {
            long id = s.path("id").asLong();
            String rule = ruleOf(id, ruleOfItem);
            List<Long> enh = changes.change(id).map(c -> enhancementIds(ledger, c.itemIds())).orElse(List.of());
            shipped.add(new RunStore.Shipped(id, runId, rule, s.path("repo").asText(), s.path("mainAfter").asText(),
                    enh.isEmpty() ? 0 : enh.get(0), false));
            outcomes.computeIfAbsent(rule, k -> new int[2])[0]++;
            learnt.add("change " + id + " shipped: rule " + rule + " gains");
        }
        List<RunStore.Shipped> rolledBack = rolledBack(store.standing());
        for (RunStore.Shipped r : rolledBack) {
            failures++;
            outcomes.computeIfAbsent(r.rule(), k -> new int[2])[1]++;
            learnt.add("change " + r.changeId() + " (" + r.repo() + ", run " + r.runId() + ") was rolled back: rule "
                    + r.rule() + " loses");
        }
        int limit = quarantineAfter.get();
        boolean quarantined = false;
        if (limit > 0 && failures >= limit) {
            quarantined = controller.quarantineAutomatically(failures + " failed verifications or rolled-back "
                    + "changes in a row (quarantineAfterFailures=" + limit + ")", runId);
            if (quarantined) {
                learnt.add("quarantine turned on: " + failures + " failures in a row; lifted only by "
                        + "autonomy:quarantine off --reason ...");
            }
        }
        Files.createDirectories(runs);
        Path document = runs.resolve("run-" + runId + ".md");
        // temp file, fsync, atomic rename, fsync of the folder: a reader sees the old document or the new one
        AtomicFiles.write(document, mask.apply(RunDocument.render(runId, store, controller.toggles(), errors, learnt,
                failures)));
        ObjectNode result = RunView.JSON.createObjectNode();
        result.put("document", document.toString());
        result.put("consecutiveFailures", failures);
        result.put("quarantined", quarantined);
        result.set("learnt", RunView.JSON.valueToTree(learnt));
        int newFailures = failures;
        store.saveResult(runId, Phase.LEARN, RunView.JSON.writeValueAsString(result), c -> {
            for (Map.Entry<String, int[]> o : outcomes.entrySet()) {
                RunStore.addOutcome(c, o.getKey(), o.getValue()[0], o.getValue()[1]);
            }
            for (RunStore.Shipped s : shipped) {
                RunStore.addShipped(c, s);
            }
            for (RunStore.Shipped r : rolledBack) {
                RunStore.markRolledBack(c, r.changeId());
            }
            RunStore.setValue(c, Controller.FAILURES, Integer.toString(newFailures));
        });
        store.end(runId, RunStore.COMPLETED, Instant.now());
        controller.note("run " + runId + " completed: " + shipped.size() + " shipped, document " + document);
    }

    /** @return the scoring rule of the request's first item, from this run's THINK or the item's own rule */
    private String ruleOf(long changeId, Map<String, String> ruleOfItem) {
        return changes.change(changeId).map(ChangeRequest::itemIds).orElse(List.of()).stream()
                .map(ruleOfItem::get).filter(r -> r != null && !r.isEmpty()).findFirst().orElse("default");
    }

    /** @return the shipped changes now known rolled back: their enhancement rolled back, or their commit broke a build */
    private List<RunStore.Shipped> rolledBack(List<RunStore.Shipped> standing) {
        Set<String> breaking = new HashSet<>();
        EventService e = events.get();
        if (e != null) {
            e.recent(FleetBuilds.BROKEN_EVENT, 200).forEach(ev -> {
                Object c = ev.data().get("commit");
                if (c != null) {
                    breaking.add(c.toString());
                }
            });
        }
        Set<Long> rolled = new HashSet<>();
        EnhancementLedger l = enhancements.get();
        if (l != null) {
            l.enhancements(EnhancementStatus.ROLLED_BACK).stream().map(Enhancement::id).forEach(rolled::add);
        }
        List<RunStore.Shipped> out = new ArrayList<>();
        for (RunStore.Shipped s : standing) {
            if ((s.enhancementId() > 0 && rolled.contains(s.enhancementId())) || breaking.contains(s.commit())) {
                out.add(s);
            }
        }
        return out;
    }

    /** @return the ids of the enhancements the items name in their evidence ({@code harmonix:enhancement/ID}) */
    static List<Long> enhancementIds(BacklogLedger ledger, List<String> itemIds) {
        List<Long> ids = new ArrayList<>();
        for (String item : itemIds) {
            for (String link : ledger.item(item).map(BacklogItem::evidenceLinks).orElse(List.of())) {
                if (link.startsWith("harmonix:enhancement/")) {
                    try {
                        ids.add(Long.parseLong(link.substring("harmonix:enhancement/".length())));
                    } catch (NumberFormatException ignored) {
                        // not one of ours
                    }
                }
            }
        }
        return ids;
    }

    /** @return the toggles as text, one per line */
    static String describe(Toggles t) {
        return "enabled=" + t.enabled() + ", automergeEnabled=" + t.automergeEnabled() + ", maxChangesPerDay="
                + t.maxChangesPerDay() + ", quarantineMode=" + t.quarantineMode()
                + (t.quarantineReason() == null ? "" : " (" + t.quarantineReason() + ")") + ", zone=" + t.zone();
    }
}
