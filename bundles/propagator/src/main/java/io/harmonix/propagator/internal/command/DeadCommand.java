package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.propagator.api.DeadLetter;
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
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:dead")
@CommandSummary("cycles an endpoint kept refusing")
@Command(description = "Cycles an endpoint kept refusing (the dead-letter list).")
public final class DeadCommand implements ShellCommand {
    private final Propagator propagator;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENDPOINT", description = "Endpoint id (default: "
            + "all).")
    String endpoint;

    @Activate
    public DeadCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("ENDPOINT", "CYCLE", "NAMESPACE#SEQ", "ATTEMPTS", "STATUS", "AT", "REASON")
                .ifEmpty("no dead letters");
        ArrayNode json = Json.array();
        for (DeadLetter d : propagator.deadLetters(endpoint)) {
            t.row(d.endpoint(), d.cycleId(), d.namespace() + "#" + d.sequence(), d.attempts(), d.lastStatus(), d.at(),
                    d.reason());
            json.addObject().put("endpoint", d.endpoint()).put("namespace", d.namespace()).put("sequence", d.sequence())
                    .put("cycleId", d.cycleId()).put("attempts", d.attempts()).put("lastStatus", d.lastStatus())
                    .put("reason", d.reason()).put("at", d.at().toString());
        }
        return CommandResult.of(t, json);
    }
}
