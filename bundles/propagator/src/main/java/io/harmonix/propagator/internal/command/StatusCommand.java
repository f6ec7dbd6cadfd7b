package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:status")
@CommandSummary("per endpoint: cursor, lag, last attempt, breaker")
@Command(description = "Per endpoint: state, circuit breaker, cursor per namespace, "
        + "lag (indexed cycles not yet sent), delivered, dead letters, last attempt.")
public final class StatusCommand implements ShellCommand {
    private final Propagator propagator;

    @Option(names = "--await-idle", paramLabel = "DURATION", description = "First wait (at most this long) "
            + "until every active endpoint has no lag; fails when the time runs out.")
    Duration awaitIdle;

    @Activate
    public StatusCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() throws Exception {
        boolean idle = awaitIdle == null || propagator.awaitIdle(awaitIdle);
        ArrayNode json = Json.array();
        Table t = new Table("ENDPOINT", "STATE", "BREAKER", "CURSORS", "LAG", "DELIVERED", "DEAD", "LAST ATTEMPT")
                .ifEmpty("no endpoints in the registry");
        for (EndpointStatus s : propagator.status()) {
            ObjectNode n = json.addObject().put("endpoint", s.endpoint().id())
                    .put("state", s.state().name().toLowerCase())
                    .put("breaker", s.breaker().name().toLowerCase()).put("lag", s.lag())
                    .put("delivered", s.delivered()).put("deadLetters", s.deadLetters())
                    .put("nextAttemptAt", s.nextAttemptAt() == null ? null : s.nextAttemptAt().toString())
                    .put("disabledReason", s.disabledReason());
            ObjectNode c = n.putObject("cursors");
            s.cursors().forEach(c::put);
            DeliveryAttempt l = s.lastAttempt();
            if (l != null) {
                PropagateViews.attemptJson(n.putObject("lastAttempt"), l);
            }
            t.row(s.endpoint().id(), s.state().name().toLowerCase()
                            + (s.disabledReason() == null ? "" : " (" + s.disabledReason() + ")"),
                    s.breaker().name().toLowerCase(), s.cursors().isEmpty() ? "-" : s.cursors().toString(),
                    s.lag(), s.delivered(), s.deadLetters(), l == null ? "-"
                            : l.at() + " " + l.outcome().name().toLowerCase() + " " + l.status() + " "
                                    + l.latencyMillis() + "ms");
        }
        CommandResult result = CommandResult.of(t, json);
        return idle ? result : result.failingWith(new IllegalStateException("propagate:status: endpoints still had "
                + "lag after " + awaitIdle));
    }
}
