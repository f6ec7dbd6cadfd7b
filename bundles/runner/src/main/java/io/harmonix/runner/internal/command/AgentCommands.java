package io.harmonix.runner.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.config.api.Durations;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code agent:} commands. */
@Component(service = AgentCommands.class, property = {
    "osgi.command.scope=agent",
    "osgi.command.function=list",
    "osgi.command.function=await"})
public class AgentCommands {
    @Reference
    private CycleRunner runner;

    @Descriptor("list the agents present (agent:list --help)")
    public void list(String... args) throws Exception {
        CommandLines.run(new ListCommand(runner, System.out), System.out, args);
    }

    @Descriptor("wait until an agent is present, or gone (agent:await --help)")
    public void await(String... args) throws Exception {
        CommandLines.run(new AwaitCommand(runner, System.out), System.out, args);
    }

    static ObjectNode json(AgentInfo a) {
        ObjectNode o = Json.object();
        o.put("agentId", a.agentId());
        o.put("agentType", a.agentType());
        o.put("bundleId", a.bundleId());
        o.put("bundle", a.bundleSymbolicName());
        return o;
    }

    @Command(name = "agent:list", description = "Lists the agent services present, by id.")
    static final class ListCommand extends RunnerCommand {



        ListCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() {
            List<AgentInfo> agents = runner.agents();
            if (options.json) {
                ArrayNode a = Json.array();
                agents.forEach(i -> a.add(json(i)));
                out.println(Json.pretty(a));
            } else if (agents.isEmpty()) {
                out.println("no agents");
            } else {
                Table t = new Table("AGENT", "TYPE", "BUNDLE", "BUNDLE-ID");
                agents.forEach(a -> t.row(a.agentId(), a.agentType(), a.bundleSymbolicName(), a.bundleId()));
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "agent:await", description = "Waits until an agent is present (or, with --absent, gone); "
            + "for scripts that deploy agents through deploy/.")
    static final class AwaitCommand extends RunnerCommand {

        @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's id.")
        String agentId;

        @Option(names = "--absent", description = "Wait until the agent is gone instead.")
        boolean absent;

        @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "30s",
                description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;


        AwaitCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() throws InterruptedException {
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
            if (options.json) {
                ObjectNode o = Json.object();
                o.put("agentId", agentId);
                o.put("present", !absent);
                o.put("waitedMillis", waited.toMillis());
                out.println(Json.pretty(o));
            } else {
                out.println("agent " + agentId + " " + (absent ? "gone" : "present") + " after "
                        + Durations.format(waited));
            }
            return null;
        }

        private boolean present() {
            return runner.agents().stream().anyMatch(a -> a.agentId().equals(agentId));
        }
    }
}
