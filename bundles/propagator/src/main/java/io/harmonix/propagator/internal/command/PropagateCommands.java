package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.StandardOptions;
import io.harmonix.shell.api.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code propagate:} commands. */
@Component(service = PropagateCommands.class, property = {
    "osgi.command.scope=propagate",
    "osgi.command.function=endpoints",
    "osgi.command.function=status",
    "osgi.command.function=attempts",
    "osgi.command.function=dead",
    "osgi.command.function=redeliver",
    "osgi.command.function=pause",
    "osgi.command.function=resume",
    "osgi.command.function=test"})
public class PropagateCommands {
    @Reference
    private Propagator propagator;

    @Descriptor("list the endpoints of etc/registry.json (propagate:endpoints --help)")
    public void endpoints(String... args) throws Exception {
        CommandLines.run(new EndpointsCommand(propagator, System.out), System.out, args);
    }

    @Descriptor("per endpoint: cursor, lag, last attempt, breaker (propagate:status --help)")
    public void status(String... args) throws Exception {
        CommandLines.run(new StatusCommand(propagator, System.out), System.out, args);
    }

    @Descriptor("the latest delivery attempts at an endpoint (propagate:attempts --help)")
    public void attempts(String... args) throws Exception {
        CommandLines.run(new AttemptsCommand(propagator, System.out), System.out, args);
    }

    @Descriptor("cycles an endpoint kept refusing (propagate:dead --help)")
    public void dead(String... args) throws Exception {
        CommandLines.run(new DeadCommand(propagator, System.out), System.out, args);
    }

    @Descriptor("send a cycle, or every dead letter, to an endpoint again (propagate:redeliver --help)")
    public void redeliver(String... args) throws Exception {
        CommandLines.run(new RedeliverCommand(propagator, System.out), System.out, args);
    }

    @Descriptor("stop sending to an endpoint (propagate:pause --help)")
    public void pause(String... args) throws Exception {
        CommandLines.run(new PauseCommand(propagator, System.out, true), "propagate:pause", System.out, args);
    }

    @Descriptor("send again to a paused or 410-disabled endpoint (propagate:resume --help)")
    public void resume(String... args) throws Exception {
        CommandLines.run(new PauseCommand(propagator, System.out, false), "propagate:resume", System.out, args);
    }

    @Descriptor("send a signed ping to an endpoint (propagate:test --help)")
    public void test(String... args) throws Exception {
        CommandLines.run(new TestCommand(propagator, System.out), System.out, args);
    }

    abstract static class PropagateCommand implements Callable<Object> {
        final Propagator propagator;
        final PrintStream out;

        @Mixin
        StandardOptions options;

        PropagateCommand(Propagator propagator, PrintStream out) {
            this.propagator = propagator;
            this.out = out;
        }
    }

    static ObjectNode attemptJson(ObjectNode o, DeliveryAttempt a) {
        return o.put("endpoint", a.endpoint()).put("namespace", a.namespace()).put("sequence", a.sequence())
                .put("cycleId", a.cycleId()).put("webhookId", a.webhookId()).put("attempt", a.attempt())
                .put("at", a.at().toString()).put("status", a.status()).put("latencyMillis", a.latencyMillis())
                .put("outcome", a.outcome().name().toLowerCase()).put("error", a.error());
    }

    @Command(name = "propagate:endpoints", description = "Lists the endpoints of etc/registry.json (secrets by "
            + "name only) and any problem found in etc/registry.json or etc/pulse.json.")
    static final class EndpointsCommand extends PropagateCommand {
        EndpointsCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() {
            List<Endpoint> all = propagator.endpoints();
            List<String> problems = propagator.configurationProblems();
            if (options.json) {
                ObjectNode o = Json.object();
                ArrayNode a = o.putArray("endpoints");
                for (Endpoint e : all) {
                    ObjectNode n = a.addObject().put("id", e.id()).put("url", e.url()).put("enabled", e.enabled())
                            .put("ratePerSecond", e.ratePerSecond()).put("burst", e.burst()).put("secret", e.secret())
                            .put("schedule", e.schedule());
                    e.namespaces().forEach(n.putArray("namespaces")::add);
                    e.runs().forEach(n.putArray("runs")::add);
                    e.events().forEach(n.putArray("events")::add);
                }
                problems.forEach(o.putArray("problems")::add);
                out.println(Json.pretty(o));
                return null;
            }
            Table t = new Table("ID", "URL", "NAMESPACES", "RUNS", "EVENTS", "ENABLED", "RATE/S", "SCHEDULE",
                    "SECRET");
            all.forEach(e -> t.row(e.id(), e.url(), String.join(",", e.namespaces()), String.join(",", e.runs()),
                    e.events().size() == 3 ? "all" : String.join(",", e.events()), e.enabled(),
                    e.ratePerSecond() + " (burst " + e.burst() + ")", e.schedule(), e.secret()));
            out.print(all.isEmpty() ? "no endpoints in the registry\n" : t.toString());
            problems.forEach(p -> out.println("problem: " + p));
            return null;
        }
    }

    @Command(name = "propagate:status", description = "Per endpoint: state, circuit breaker, cursor per namespace, "
            + "lag (indexed cycles not yet sent), delivered, dead letters, last attempt.")
    static final class StatusCommand extends PropagateCommand {
        @Option(names = "--await-idle", paramLabel = "DURATION", description = "First wait (at most this long) "
                + "until every active endpoint has no lag; fails when the time runs out.")
        Duration awaitIdle;

        StatusCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() throws Exception {
            boolean idle = awaitIdle == null || propagator.awaitIdle(awaitIdle);
            List<EndpointStatus> all = propagator.status();
            if (options.json) {
                ArrayNode a = Json.array();
                for (EndpointStatus s : all) {
                    ObjectNode n = a.addObject().put("endpoint", s.endpoint().id())
                            .put("state", s.state().name().toLowerCase())
                            .put("breaker", s.breaker().name().toLowerCase()).put("lag", s.lag())
                            .put("delivered", s.delivered()).put("deadLetters", s.deadLetters())
                            .put("nextAttemptAt", s.nextAttemptAt() == null ? null : s.nextAttemptAt().toString())
                            .put("disabledReason", s.disabledReason());
                    ObjectNode c = n.putObject("cursors");
                    s.cursors().forEach(c::put);
                    if (s.lastAttempt() != null) {
                        attemptJson(n.putObject("lastAttempt"), s.lastAttempt());
                    }
                }
                out.println(Json.pretty(a));
            } else {
                Table t = new Table("ENDPOINT", "STATE", "BREAKER", "CURSORS", "LAG", "DELIVERED", "DEAD",
                        "LAST ATTEMPT");
                for (EndpointStatus s : all) {
                    DeliveryAttempt l = s.lastAttempt();
                    t.row(s.endpoint().id(), s.state().name().toLowerCase()
                                    + (s.disabledReason() == null ? "" : " (" + s.disabledReason() + ")"),
                            s.breaker().name().toLowerCase(), s.cursors().isEmpty() ? "-" : s.cursors().toString(),
                            s.lag(), s.delivered(), s.deadLetters(), l == null ? "-"
                                    : l.at() + " " + l.outcome().name().toLowerCase() + " " + l.status() + " "
                                            + l.latencyMillis() + "ms");
                }
                out.print(all.isEmpty() ? "no endpoints in the registry\n" : t.toString());
            }
            if (!idle) {
                throw new IllegalStateException("propagate:status: endpoints still had lag after " + awaitIdle);
            }
            return null;
        }
    }

    @Command(name = "propagate:attempts", description = "The latest delivery attempts at an endpoint, newest "
            + "first: time, cycle, attempt number, HTTP status, latency, outcome, error.")
    static final class AttemptsCommand extends PropagateCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
        String endpoint;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many "
                + "(default 20).")
        int limit;

        AttemptsCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() {
            List<DeliveryAttempt> all = propagator.attempts(endpoint, limit);
            if (options.json) {
                ArrayNode a = Json.array();
                all.forEach(x -> attemptJson(a.addObject(), x));
                out.println(Json.pretty(a));
                return null;
            }
            Table t = new Table("AT", "CYCLE", "ATTEMPT", "STATUS", "LATENCY", "OUTCOME", "ERROR");
            all.forEach(x -> t.row(x.at(), x.cycleId() == null ? "(ping)" : x.cycleId(), x.attempt(), x.status(),
                    x.latencyMillis() + "ms", x.outcome().name().toLowerCase(), x.error() == null ? "" : x.error()));
            out.print(all.isEmpty() ? "no attempts at " + endpoint + "\n" : t.toString());
            return null;
        }
    }

    @Command(name = "propagate:dead", description = "Cycles an endpoint kept refusing (the dead-letter list).")
    static final class DeadCommand extends PropagateCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ENDPOINT", description = "Endpoint id (default: "
                + "all).")
        String endpoint;

        DeadCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() {
            List<DeadLetter> all = propagator.deadLetters(endpoint);
            if (options.json) {
                ArrayNode a = Json.array();
                all.forEach(d -> a.addObject().put("endpoint", d.endpoint()).put("namespace", d.namespace())
                        .put("sequence", d.sequence()).put("cycleId", d.cycleId()).put("attempts", d.attempts())
                        .put("lastStatus", d.lastStatus()).put("reason", d.reason()).put("at", d.at().toString()));
                out.println(Json.pretty(a));
                return null;
            }
            Table t = new Table("ENDPOINT", "CYCLE", "NAMESPACE#SEQ", "ATTEMPTS", "STATUS", "AT", "REASON");
            all.forEach(d -> t.row(d.endpoint(), d.cycleId(), d.namespace() + "#" + d.sequence(), d.attempts(),
                    d.lastStatus(), d.at(), d.reason()));
            out.print(all.isEmpty() ? "no dead letters\n" : t.toString());
            return null;
        }
    }

    @Command(name = "propagate:redeliver", description = "Sends a cycle (by id), or every dead letter of the "
            + "endpoint, again, ahead of the endpoint's cursor and with the webhook-id it had.")
    static final class RedeliverCommand extends PropagateCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
        String endpoint;

        @Parameters(index = "1", arity = "0..1", paramLabel = "CYCLE-ID", description = "The cycle to send again.")
        String cycleId;

        @Option(names = "--all-dead", description = "Every dead letter of the endpoint (instead of a CYCLE-ID).")
        boolean allDead;

        RedeliverCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() throws Exception {
            if (allDead == (cycleId != null)) {
                throw new IllegalArgumentException("propagate:redeliver: give either a CYCLE-ID or --all-dead\n"
                        + CommandLines.usage(this));
            }
            if (allDead) {
                int n = propagator.redeliverDead(endpoint);
                out.println(n + " dead letter(s) of " + endpoint + " queued for redelivery");
            } else {
                propagator.redeliver(endpoint, cycleId);
                out.println("cycle " + cycleId + " queued for redelivery to " + endpoint);
            }
            return null;
        }
    }

    @Command(name = "propagate:pause", description = "Pauses (or resumes) an endpoint; durable across restarts. "
            + "Resume also re-enables an endpoint a 410 answer disabled, and closes its circuit breaker.")
    static final class PauseCommand extends PropagateCommand {
        private final boolean pause;

        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
        String endpoint;

        PauseCommand(Propagator propagator, PrintStream out, boolean pause) {
            super(propagator, out);
            this.pause = pause;
        }

        @Override
        public Object call() {
            if (pause) {
                propagator.pause(endpoint);
            } else {
                propagator.resume(endpoint);
            }
            out.println("endpoint " + endpoint + (pause ? " paused" : " resumed"));
            return null;
        }
    }

    @Command(name = "propagate:test", description = "Sends a signed ping ({\"type\":\"harmonix.ping\"}) to an "
            + "endpoint now and shows the answer; the attempt is recorded. Fails when the answer is not 2xx.")
    static final class TestCommand extends PropagateCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
        String endpoint;

        TestCommand(Propagator propagator, PrintStream out) {
            super(propagator, out);
        }

        @Override
        public Object call() throws Exception {
            DeliveryAttempt a = propagator.test(endpoint);
            if (options.json) {
                out.println(Json.pretty(attemptJson(Json.object(), a)));
            } else {
                out.println("ping " + endpoint + ": " + (a.status() == 0 ? "no answer" : "HTTP " + a.status())
                        + " in " + a.latencyMillis() + " ms" + (a.error() == null ? "" : " (" + a.error() + ")"));
            }
            if (a.status() / 100 != 2) {
                throw new IllegalStateException("propagate:test: " + endpoint + " did not accept the ping");
            }
            return null;
        }
    }
}
