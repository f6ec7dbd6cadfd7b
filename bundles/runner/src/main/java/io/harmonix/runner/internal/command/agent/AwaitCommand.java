package io.harmonix.runner.internal.command.agent;

import io.harmonix.config.api.Durations;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("agent:await")
@CommandSummary("wait until an agent is present, or gone")
@Command(description = "Waits until an agent is present (or, with --absent, gone); "
        + "for scripts that deploy agents through deploy/.")
public final class AwaitCommand implements ShellCommand {
    private final CycleRunner runner;

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's id.")
    String agentId;

    @Option(names = "--absent", description = "Wait until the agent is gone instead.")
    boolean absent;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "30s",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Activate
    public AwaitCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        while (present() == absent) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("agent:await: agent '" + agentId + "' still "
                        + (absent ? "present" : "absent") + " after " + Durations.format(timeout));
            }
            Thread.sleep(50);
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        return CommandResult.of("agent " + agentId + " " + (absent ? "gone" : "present") + " after "
                + Durations.format(waited), Json.object().put("agentId", agentId).put("present", !absent)
                .put("waitedMillis", waited.toMillis()));
    }

    private boolean present() {
        return runner.agents().stream().anyMatch(a -> a.agentId().equals(agentId));
    }
}
