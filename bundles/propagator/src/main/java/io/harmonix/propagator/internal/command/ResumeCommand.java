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
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:resume")
@CommandSummary("send again to a paused or 410-disabled endpoint")
@Command(description = PauseCommand.DESCRIPTION)
public final class ResumeCommand implements ShellCommand {
    private final Propagator propagator;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
    String endpoint;

    @Activate
    public ResumeCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() {
        propagator.resume(endpoint);
        return CommandResult.plain("endpoint " + endpoint + " resumed");
    }
}
