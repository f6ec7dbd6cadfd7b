package io.harmonix.propagator.internal.command;

import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:redeliver")
@CommandSummary("send a cycle, or every dead letter, to an endpoint again")
@Command(description = "Sends a cycle (by id), or every dead letter of the "
        + "endpoint, again, ahead of the endpoint's cursor and with the webhook-id it had.")
public final class RedeliverCommand implements ShellCommand {
    private final Propagator propagator;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
    String endpoint;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CYCLE-ID", description = "The cycle to send again.")
    String cycleId;

    @Option(names = "--all-dead", description = "Every dead letter of the endpoint (instead of a CYCLE-ID).")
    boolean allDead;

    @Activate
    public RedeliverCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() throws Exception {
        if (allDead == (cycleId != null)) {
            throw new ParameterException(spec.commandLine(), "give either a CYCLE-ID or --all-dead");
        }
        if (allDead) {
            int n = propagator.redeliverDead(endpoint);
            return CommandResult.plain(n + " dead letter(s) of " + endpoint + " queued for redelivery");
        }
        propagator.redeliver(endpoint, cycleId);
        return CommandResult.plain("cycle " + cycleId + " queued for redelivery to " + endpoint);
    }
}
