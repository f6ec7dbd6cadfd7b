package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:attempts")
@CommandSummary("the latest delivery attempts at an endpoint")
@Command(description = "The latest delivery attempts at an endpoint, newest "
        + "first: time, cycle, attempt number, HTTP status, latency, outcome, error.")
public final class AttemptsCommand implements ShellCommand {
    private final Propagator propagator;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
    String endpoint;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many "
            + "(default 20).")
    int limit;

    @Activate
    public AttemptsCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("AT", "CYCLE", "ATTEMPT", "STATUS", "LATENCY", "OUTCOME", "ERROR")
                .ifEmpty("no attempts at " + endpoint);
        ArrayNode json = Json.array();
        for (DeliveryAttempt x : propagator.attempts(endpoint, limit)) {
            t.row(x.at(), x.cycleId() == null ? "(ping)" : x.cycleId(), x.attempt(), x.status(),
                    x.latencyMillis() + "ms", x.outcome().name().toLowerCase(), x.error() == null ? "" : x.error());
            PropagateViews.attemptJson(json.addObject(), x);
        }
        return CommandResult.of(t, json);
    }
}
