package io.harmonix.propagator.internal.command;

import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:test")
@CommandSummary("send a signed ping to an endpoint")
@Command(description = "Sends a signed ping ({\"type\":\"harmonix.ping\"}) to an "
        + "endpoint now and shows the answer; the attempt is recorded. Fails when the answer is not 2xx.")
public final class TestCommand implements ShellCommand {
    private final Propagator propagator;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint id.")
    String endpoint;

    @Activate
    public TestCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() throws Exception {
        DeliveryAttempt a = propagator.test(endpoint);
        CommandResult result = CommandResult.of("ping " + endpoint + ": " + (a.status() == 0 ? "no answer"
                : "HTTP " + a.status()) + " in " + a.latencyMillis() + " ms" + (a.error() == null ? ""
                : " (" + a.error() + ")"), PropagateViews.attemptJson(Json.object(), a));
        return a.status() / 100 == 2 ? result : result.failingWith(new IllegalStateException("propagate:test: "
                + endpoint + " did not accept the ping"));
    }
}
