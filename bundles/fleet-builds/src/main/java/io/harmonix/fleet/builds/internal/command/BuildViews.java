package io.harmonix.fleet.builds.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.RepositoryHealth;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How fleet build reports and health look: the text tables and the {@code --json} objects. */
final class BuildViews {
    private BuildViews() {
    }

    /** One line of progress: levels done, what builds now, time so far. */
    static String progress(BuildReport r) {
        List<String> running = r.repositories().stream().filter(o -> o.outcome() == Outcome.RUNNING)
                .map(RepositoryOutcome::name).toList();
        return "levels " + r.levelsDone() + "/" + r.levels().size() + " done, "
                + (running.isEmpty() ? "building nothing" : "building " + String.join(", ", running)) + ", "
                + seconds(r.wallTime()) + " elapsed";
    }

    static String text(BuildReport r) {
        StringBuilder out = new StringBuilder();
        out.append("fleet build ").append(r.instance() == null ? "(nothing to build)" : r.instance()).append(": ")
                .append(r.state()).append(" in ").append(seconds(r.wallTime())).append(" (checks ")
                .append(seconds(r.checkTime())).append(", parallel ").append(r.parallel()).append(", ")
                .append(r.levels().size()).append(" level(s)")
                .append(r.affectedSince() == null ? "" : ", affected since " + r.affectedSince()).append(")\n");
        Table t = new Table("REPOSITORY", "OUTCOME", "COMMIT", "TOOK", "CHECKS", "WHY");
        for (RepositoryOutcome o : r.repositories()) {
            t.row(o.name(), outcome(o), o.commit() == null ? null : o.commit().substring(0, 12),
                    o.checks().isEmpty() ? null : seconds(o.duration()),
                    o.checks().isEmpty() ? null : o.checks().stream().map(String::valueOf)
                            .collect(Collectors.joining(",")), o.reason());
        }
        out.append(t);
        r.unknownDependencies().forEach((name, unknown) -> out.append("unknown dependencies of ").append(name)
                .append(": ").append(String.join(", ", unknown)).append('\n'));
        return out.toString();
    }

    static ObjectNode json(BuildReport r) {
        ObjectNode n = Json.object().put("instance", r.instance()).put("state", r.state())
                .put("startedAt", r.startedAt().toString()).put("wallTimeMs", r.wallTime().toMillis())
                .put("checkTimeMs", r.checkTime().toMillis()).put("affectedSince", r.affectedSince())
                .put("parallel", r.parallel()).put("levelsDone", r.levelsDone());
        ArrayNode levels = n.putArray("levels");
        r.levels().forEach(l -> l.forEach(levels.addArray()::add));
        ArrayNode repositories = n.putArray("repositories");
        for (RepositoryOutcome o : r.repositories()) {
            ObjectNode on = repositories.addObject().put("name", o.name())
                    .put("outcome", o.outcome().name().toLowerCase(Locale.ROOT)).put("commit", o.commit())
                    .put("reason", o.reason()).put("durationMs", o.duration().toMillis()).put("flaky", o.flaky());
            o.checks().forEach(on.putArray("checks")::add);
            if (o.breakingCommit() != null) {
                on.set("breakingCommit", Json.fields(o.breakingCommit(), "commit", "author", "subject", "lastGreen"));
            }
        }
        ObjectNode unknown = n.putObject("unknownDependencies");
        r.unknownDependencies().forEach((name, names) -> names.forEach(unknown.withArray(name)::add));
        return n;
    }

    static Table healthTable() {
        return new Table("REPOSITORY", "BUILDS", "BUILD-OK", "TESTS", "TEST-OK", "LAST-SUCCESS", "MTTR", "FLAKY",
                "FAILING").ifEmpty("no repositories (repo:discover first)");
    }

    static void healthRow(Table t, RepositoryHealth h) {
        t.row(h.name(), h.builds(), rate(h.buildSuccessRate()), h.tests(), rate(h.testSuccessRate()),
                h.lastSuccess(), h.meanTimeToRecovery() == null ? null : seconds(h.meanTimeToRecovery()), h.flaky(),
                h.consecutiveFailures());
    }

    static ObjectNode json(RepositoryHealth h) {
        return Json.object().put("name", h.name()).put("builds", h.builds()).put("buildsPassed", h.buildsPassed())
                .put("buildSuccessRate", h.buildSuccessRate()).put("tests", h.tests())
                .put("testsPassed", h.testsPassed()).put("testSuccessRate", h.testSuccessRate())
                .put("lastSuccess", h.lastSuccess() == null ? null : h.lastSuccess().toString())
                .put("meanTimeToRecoveryMs", h.meanTimeToRecovery() == null ? null
                        : h.meanTimeToRecovery().toMillis())
                .put("flaky", h.flaky()).put("consecutiveFailures", h.consecutiveFailures());
    }

    private static String outcome(RepositoryOutcome o) {
        String name = o.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return o.flaky() ? name + " (flaky)" : name;
    }

    private static String rate(double rate) {
        return rate < 0 ? null : Math.round(rate * 100) + "%";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
