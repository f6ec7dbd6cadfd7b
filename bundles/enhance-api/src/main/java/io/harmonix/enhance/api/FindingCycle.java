package io.harmonix.enhance.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The one place where an enhancement agent's cycle becomes a cycle result: findings compared with the fingerprints
 * of the previous cycle on the same target (kept in the agent's state) and reported as new, persisting or fixed,
 * written into the outputs (so they land in the snapshot, the index and the propagation) in the format
 * {@link #read} reads back.
 *
 * <p>Outputs: {@code {"enhance": 1, "agentType", "target", "commit", "components", "partial", "files": {"analysed",
 * "total"}, "notAnalysed": {lang: n}, "findings": [finding + "status"], "fixed": [finding], "proposals": [...]}}.
 * State: {@code {"stateVersion": 1, "targets": {root: {fingerprint: finding}}}}, one entry per target the agent has
 * analysed in the run, so that alternating targets does not report everything fixed.
 */
public final class FindingCycle {
    /** The format version of the outputs; {@link #read} refuses others. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingCycle() {
    }

    /**
     * @param context the cycle (its previous state holds the fingerprints seen last time)
     * @param agentType the agent's type, written into each finding's record
     * @param target what was analysed
     * @param analysis what was found
     * @return the state to keep and the outputs and metrics of the cycle
     */
    public static AgentResult result(AgentContext context, String agentType, Target target, Analysis analysis) {
        String root = target.root().toString();
        Map<String, Finding> before = new LinkedHashMap<>();
        context.previousState().path("targets").path(root).fields().forEachRemaining(e ->
                before.put(e.getKey(), JSON.convertValue(e.getValue(), Finding.class)));

        List<Finding> now = Fingerprints.unique(analysis.findings());
        now.sort(Comparator.comparing((Finding f) -> f.location().file()).thenComparingInt(f -> f.location().line())
                .thenComparing(Finding::ruleId));
        Map<String, Finding> seen = new TreeMap<>();
        ObjectNode outputs = JSON.createObjectNode();
        outputs.put("enhance", FORMAT);
        outputs.put("agentType", agentType);
        outputs.put("target", root);
        outputs.put("commit", target.commit());
        outputs.set("components", JSON.valueToTree(target.components()));
        outputs.put("partial", analysis.partial());
        ObjectNode files = outputs.putObject("files");
        files.put("analysed", analysis.filesAnalysed());
        files.put("total", analysis.filesTotal());
        outputs.set("notAnalysed", JSON.valueToTree(analysis.notAnalysed()));
        ArrayNode found = outputs.putArray("findings");
        int fresh = 0;
        Map<Severity, Integer> bySeverity = new TreeMap<>();
        for (Finding f : now) {
            boolean known = before.containsKey(f.fingerprint());
            fresh += known ? 0 : 1;
            ObjectNode node = JSON.valueToTree(f);
            node.put("status", (known ? FindingStatus.PERSISTING : FindingStatus.NEW).id());
            found.add(node);
            seen.put(f.fingerprint(), f);
            bySeverity.merge(f.severity(), 1, Integer::sum);
        }
        ArrayNode fixed = outputs.putArray("fixed");
        int fixedCount = 0;
        for (Map.Entry<String, Finding> e : before.entrySet()) {
            if (seen.containsKey(e.getKey())) {
                continue;
            }
            if (analysis.partial()) {
                // not seen may mean not reached: keep it, report nothing fixed
                seen.put(e.getKey(), e.getValue());
            } else {
                fixed.add(JSON.valueToTree(e.getValue()));
                fixedCount++;
            }
        }
        outputs.set("proposals", JSON.valueToTree(analysis.proposals()));

        ObjectNode state = context.previousState().isObject()
                ? ((ObjectNode) context.previousState()).deepCopy() : JSON.createObjectNode();
        state.put("stateVersion", 1);
        ObjectNode targets = state.has("targets") && state.get("targets").isObject()
                ? (ObjectNode) state.get("targets") : state.putObject("targets");
        targets.set(root, JSON.valueToTree(seen));

        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("findings", (double) now.size());
        metrics.put("new", (double) fresh);
        metrics.put("persisting", (double) (now.size() - fresh));
        metrics.put("fixed", (double) fixedCount);
        metrics.put("proposals", (double) analysis.proposals().size());
        metrics.put("filesAnalysed", (double) analysis.filesAnalysed());
        metrics.put("filesTotal", (double) analysis.filesTotal());
        metrics.put("partial", analysis.partial() ? 1.0 : 0.0);
        for (Severity s : Severity.values()) {
            metrics.put("severity." + s.id(), (double) bySeverity.getOrDefault(s, 0));
        }
        return new AgentResult(state, outputs, metrics);
    }

    /**
     * When an agent's analysis stops to return what it has, marked partial: before the cycle's deadline by a tenth
     * of the time left when it is asked, at least 2 s and at most half of it. At the deadline itself the runner stops
     * waiting and records the agent timed out, with nothing kept; the margin is the time to build the result.
     *
     * @return true once the analysis should stop
     */
    public static BooleanSupplier timeToStop(AgentContext context) {
        Instant now = Instant.now();
        Duration left = Duration.between(now, context.deadline());
        if (left.isNegative() || left.isZero()) {
            return () -> true;
        }
        Duration margin = left.dividedBy(10);
        margin = margin.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : margin;
        margin = margin.compareTo(left.dividedBy(2)) > 0 ? left.dividedBy(2) : margin;
        Instant stopAt = context.deadline().minus(margin);
        return () -> !Instant.now().isBefore(stopAt);
    }

    private static final Duration MIN_MARGIN = Duration.ofSeconds(2);

    /** What an agent does with the target of a cycle. */
    @FunctionalInterface
    public interface Analyser {
        Analysis analyse(Target target) throws Exception;
    }

    /**
     * One cycle of an enhancement agent: analyses the target when there is one and makes the result
     * ({@link #result}); without a target ({@code Target.of} empty), an idle cycle: the state kept as it was, the
     * outputs {@code {"idle": "no target: ..."}}, which {@link #read} does not take for findings.
     */
    public static AgentResult run(AgentContext context, String agentType, Optional<Target> target,
            Analyser analyser) throws Exception {
        if (target.isEmpty()) {
            ObjectNode outputs = JSON.createObjectNode();
            outputs.put("idle", "no target: configure one (target=PATH in the instance's configuration) or give "
                    + "the run one (--input target=PATH)");
            return new AgentResult(context.previousState(), outputs, Map.of());
        }
        return result(context, agentType, target.get(), analyser.analyse(target.get()));
    }

    /** @return the enhancement cycle these outputs record, or empty when they are not an enhancement agent's */
    public static Optional<CycleFindings> read(JsonNode outputs) {
        if (outputs == null || outputs.path("enhance").asInt(0) != FORMAT) {
            return Optional.empty();
        }
        List<TrackedFinding> findings = new ArrayList<>();
        for (JsonNode n : outputs.path("findings")) {
            ObjectNode copy = ((ObjectNode) n).deepCopy();
            JsonNode status = copy.remove("status");
            findings.add(new TrackedFinding(JSON.convertValue(copy, Finding.class),
                    FindingStatus.parse(status == null ? null : status.asText())));
        }
        List<Finding> fixed = new ArrayList<>();
        outputs.path("fixed").forEach(n -> fixed.add(JSON.convertValue(n, Finding.class)));
        List<Proposal> proposals = new ArrayList<>();
        outputs.path("proposals").forEach(n -> proposals.add(JSON.convertValue(n, Proposal.class)));
        List<String> components = new ArrayList<>();
        outputs.path("components").forEach(n -> components.add(n.asText()));
        Map<String, Integer> notAnalysed = new TreeMap<>();
        outputs.path("notAnalysed").fields().forEachRemaining(e -> notAnalysed.put(e.getKey(), e.getValue().asInt()));
        return Optional.of(new CycleFindings(outputs.path("agentType").asText(), outputs.path("target").asText(),
                outputs.path("commit").asText(), components, findings, fixed, proposals,
                outputs.path("files").path("analysed").asInt(), outputs.path("files").path("total").asInt(),
                outputs.path("partial").asBoolean(), notAnalysed));
    }
}
