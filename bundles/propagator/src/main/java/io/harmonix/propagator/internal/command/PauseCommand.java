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
@CommandName("propagate:pause")
@CommandSummary("stop sending to an endpoint")
@Command(description = PauseCommand.DESCRIPTION)
public final class PauseCommand implements ShellCommand {
    /** The help text of both propagate:pause and propagate:resume. */
    static final String DESCRIPTION = "Pauses (or resumes) an endpoint; durable across restarts. Resume also "
            + "re-enables an endpoint a 410 answer disabled, and closes its circuit breaker.";

    private final Propagator propagator;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
    String endpoint;

    @Activate
    public PauseCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() {
        propagator.pause(endpoint);
        return CommandResult.plain("endpoint " + endpoint + " paused");
    }
}
