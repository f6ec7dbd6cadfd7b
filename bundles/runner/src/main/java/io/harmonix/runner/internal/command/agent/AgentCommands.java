package io.harmonix.runner.internal.command.agent;

import io.harmonix.config.api.Durations;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code agent:} commands: the agent services the runner sees. */
@Component
@CommandScope("agent")
public final class AgentCommands implements ShellCommands {
    @Reference
    private CycleRunner runner;

    @Command(name = "list", header = "list the agents present", description = "Lists the agent services present, "
            + "by id.")
    public CommandResult list() {
        Table t = new Table("AGENT", "TYPE", "BUNDLE", "BUNDLE-ID").ifEmpty("no agents");
        return CommandResult.listing(t, runner.agents(),
                (table, a) -> table.row(a.agentId(), a.agentType(), a.bundleSymbolicName(), a.bundleId()),
                a -> Json.object().put("agentId", a.agentId()).put("agentType", a.agentType())
                        .put("bundleId", a.bundleId()).put("bundle", a.bundleSymbolicName()));
    }

    @Command(name = "await", header = "wait until an agent is present, or gone", description = "Waits until an "
            + "agent is present (or, with --absent, gone); for scripts that deploy agents through deploy/.")
    public CommandResult await(
            @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's id.") String agentId,
            @Option(names = "--absent", description = "Wait until the agent is gone instead.") boolean absent,
            @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "30s",
                    description = "Give up after this long (default: ${DEFAULT-VALUE}).") Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        while (present(agentId) == absent) {
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

    private boolean present(String agentId) {
        return runner.agents().stream().anyMatch(a -> a.agentId().equals(agentId));
    }
}
