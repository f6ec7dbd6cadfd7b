package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.BadArgumentException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code propagate:} commands: the endpoints of etc/registry.json, what was delivered to them, and the controls
 * of their delivery. Rendering of attempts lives in {@link PropagateViews}; the component keeps no state between
 * calls (several sessions call it at once).
 */
@Component
@CommandScope("propagate")
public final class PropagateCommands implements ShellCommands {
    /** The help text of both propagate:pause and propagate:resume: one text says what the pair does. */
    static final String PAUSE_DESCRIPTION = "Pauses (or resumes) an endpoint; durable across restarts. Resume also "
            + "re-enables an endpoint a 410 answer disabled, and closes its circuit breaker.";

    @Reference
    private Propagator propagator;

    @Command(name = "endpoints", header = "list the endpoints of etc/registry.json",
            description = "Lists the endpoints of etc/registry.json (secrets by "
                    + "name only) and any problem found in etc/registry.json or etc/pulse.json.")
    public CommandResult endpoints() {
        List<Endpoint> all = propagator.endpoints();
        List<String> problems = propagator.configurationProblems();
        ObjectNode json = Json.object();
        ArrayNode endpoints = json.putArray("endpoints");
        for (Endpoint e : all) {
            ObjectNode n = endpoints.addObject().put("id", e.id()).put("url", e.url()).put("enabled", e.enabled())
                    .put("ratePerSecond", e.ratePerSecond()).put("burst", e.burst()).put("secret", e.secret())
                    .put("schedule", e.schedule());
            e.namespaces().forEach(n.putArray("namespaces")::add);
            e.runs().forEach(n.putArray("runs")::add);
            e.events().forEach(n.putArray("events")::add);
        }
        problems.forEach(json.putArray("problems")::add);
        Table t = new Table("ID", "URL", "NAMESPACES", "RUNS", "EVENTS", "ENABLED", "RATE/S", "SCHEDULE", "SECRET")
                .ifEmpty("no endpoints in the registry");
        all.forEach(e -> t.row(e.id(), e.url(), String.join(",", e.namespaces()), String.join(",", e.runs()),
                e.events().size() == 3 ? "all" : String.join(",", e.events()), e.enabled(),
                e.ratePerSecond() + " (burst " + e.burst() + ")", e.schedule(), e.secret()));
        StringBuilder text = new StringBuilder(t.toString());
        problems.forEach(p -> text.append("problem: ").append(p).append('\n'));
        return CommandResult.of(text.toString(), json);
    }

    @Command(name = "status", header = "per endpoint: cursor, lag, last attempt, breaker",
            description = "Per endpoint: state, circuit breaker, cursor per namespace, "
                    + "lag (indexed cycles not yet sent), delivered, dead letters, last attempt.")
    public CommandResult status(@Option(names = "--await-idle", paramLabel = "DURATION", description = "First wait "
            + "(at most this long) until every active endpoint has no lag; fails when the time runs out.")
            Duration awaitIdle) throws InterruptedException {
        boolean idle = awaitIdle == null || propagator.awaitIdle(awaitIdle);
        Table t = new Table("ENDPOINT", "STATE", "BREAKER", "CURSORS", "LAG", "DELIVERED", "DEAD", "LAST ATTEMPT")
                .ifEmpty("no endpoints in the registry");
        CommandResult result = listing(t, propagator.status(), (s, n) -> {
            n.put("endpoint", s.endpoint().id()).put("state", s.state().name().toLowerCase())
                    .put("breaker", s.breaker().name().toLowerCase()).put("lag", s.lag())
                    .put("delivered", s.delivered()).put("deadLetters", s.deadLetters())
                    .put("nextAttemptAt", s.nextAttemptAt() == null ? null : s.nextAttemptAt().toString())
                    .put("disabledReason", s.disabledReason());
            ObjectNode c = n.putObject("cursors");
            s.cursors().forEach(c::put);
            if (s.lastAttempt() != null) {
                PropagateViews.attemptJson(n.putObject("lastAttempt"), s.lastAttempt());
            }
        }, s -> {
            DeliveryAttempt l = s.lastAttempt();
            t.row(s.endpoint().id(), s.state().name().toLowerCase()
                            + (s.disabledReason() == null ? "" : " (" + s.disabledReason() + ")"),
                    s.breaker().name().toLowerCase(), s.cursors().isEmpty() ? "-" : s.cursors().toString(),
                    s.lag(), s.delivered(), s.deadLetters(), l == null ? "-"
                            : l.at() + " " + l.outcome().name().toLowerCase() + " " + l.status() + " "
                                    + l.latencyMillis() + "ms");
        });
        return idle ? result : result.failingWith(new IllegalStateException("propagate:status: endpoints still had "
                + "lag after " + awaitIdle));
    }

    @Command(name = "attempts", header = "the latest delivery attempts at an endpoint",
            description = "The latest delivery attempts at an endpoint, newest "
                    + "first: time, cycle, attempt number, HTTP status, latency, outcome, error.")
    public CommandResult attempts(
            @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.") String endpoint,
            @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many "
                    + "(default 20).") int limit) {
        Table t = new Table("AT", "CYCLE", "ATTEMPT", "STATUS", "LATENCY", "OUTCOME", "ERROR")
                .ifEmpty("no attempts at " + endpoint);
        return listing(t, propagator.attempts(endpoint, limit), (x, n) -> PropagateViews.attemptJson(n, x),
                x -> t.row(x.at(), x.cycleId() == null ? "(ping)" : x.cycleId(), x.attempt(), x.status(),
                        x.latencyMillis() + "ms", x.outcome().name().toLowerCase(),
                        x.error() == null ? "" : x.error()));
    }

    @Command(name = "dead", header = "cycles an endpoint kept refusing",
            description = "Cycles an endpoint kept refusing (the dead-letter list).")
    public CommandResult dead(@Parameters(index = "0", arity = "0..1", paramLabel = "ENDPOINT",
            description = "Endpoint id (default: all).") String endpoint) {
        Table t = new Table("ENDPOINT", "CYCLE", "NAMESPACE#SEQ", "ATTEMPTS", "STATUS", "AT", "REASON")
                .ifEmpty("no dead letters");
        return listing(t, propagator.deadLetters(endpoint), (d, n) -> n
                .put("endpoint", d.endpoint()).put("namespace", d.namespace()).put("sequence", d.sequence())
                .put("cycleId", d.cycleId()).put("attempts", d.attempts()).put("lastStatus", d.lastStatus())
                .put("reason", d.reason()).put("at", d.at().toString()),
                d -> t.row(d.endpoint(), d.cycleId(), d.namespace() + "#" + d.sequence(), d.attempts(),
                        d.lastStatus(), d.at(), d.reason()));
    }

    @Command(name = "test", header = "send a signed ping to an endpoint",
            description = "Sends a signed ping ({\"type\":\"harmonix.ping\"}) to an "
                    + "endpoint now and shows the answer; the attempt is recorded. Fails when the answer is not 2xx.")
    public CommandResult test(@Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
            String endpoint) throws Exception {
        DeliveryAttempt a = propagator.test(endpoint);
        CommandResult result = CommandResult.of("ping " + endpoint + ": " + (a.status() == 0 ? "no answer"
                : "HTTP " + a.status()) + " in " + a.latencyMillis() + " ms" + (a.error() == null ? ""
                : " (" + a.error() + ")"), PropagateViews.attemptJson(Json.object(), a));
        return a.status() / 100 == 2 ? result : result.failingWith(new IllegalStateException("propagate:test: "
                + endpoint + " did not accept the ping"));
    }

    @Command(name = "pause", header = "stop sending to an endpoint", description = PAUSE_DESCRIPTION)
    public CommandResult pause(@Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
            String endpoint) {
        return control(propagator::pause, endpoint, "paused");
    }

    @Command(name = "resume", header = "send again to a paused or 410-disabled endpoint",
            description = PAUSE_DESCRIPTION)
    public CommandResult resume(@Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
            String endpoint) {
        return control(propagator::resume, endpoint, "resumed");
    }

    @Command(name = "redeliver", header = "send a cycle, or every dead letter, to an endpoint again",
            description = "Sends a cycle (by id), or every dead letter of the "
                    + "endpoint, again, ahead of the endpoint's cursor and with the webhook-id it had.")
    public CommandResult redeliver(
            @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.") String endpoint,
            @Parameters(index = "1", arity = "0..1", paramLabel = "CYCLE-ID", description = "The cycle to send "
                    + "again.") String cycleId,
            @Option(names = "--all-dead", description = "Every dead letter of the endpoint (instead of a "
                    + "CYCLE-ID).") boolean allDead) throws Exception {
        if (allDead == (cycleId != null)) {
            // picocli cannot say this one (a rule between two arguments); like its own errors, the usage follows
            throw new BadArgumentException("give either a CYCLE-ID or --all-dead");
        }
        if (allDead) {
            int n = propagator.redeliverDead(endpoint);
            return CommandResult.plain(n + " dead letter(s) of " + endpoint + " queued for redelivery");
        }
        propagator.redeliver(endpoint, cycleId);
        return CommandResult.plain("cycle " + cycleId + " queued for redelivery to " + endpoint);
    }

    /** pause and resume differ only in the propagator's call and the word that reports it. */
    private static CommandResult control(Consumer<String> action, String endpoint, String done) {
        action.accept(endpoint);
        return CommandResult.plain("endpoint " + endpoint + " " + done);
    }

    /**
     * status, attempts and dead print one table row and one JSON object per item; this keeps the two in step
     * (the same items, in the same order).
     */
    private static <T> CommandResult listing(Table table, List<T> items, BiConsumer<T, ObjectNode> json,
            Consumer<T> row) {
        return CommandResult.listing(table, items, (t, item) -> row.accept(item), item -> {
            ObjectNode node = Json.object();
            json.accept(item, node);
            return node;
        });
    }
}
