package io.harmonix.index.internal.command;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:replay")
@CommandSummary("stream a run's snapshots in order")
@Command(description = "Streams the snapshots of a run in cycle order, one canonical "
        + "JSON line each (or a line of text without --json).")
public final class ReplayCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Option(names = "--from", defaultValue = "1", description = "First cycle (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--to", defaultValue = "" + Long.MAX_VALUE, description = "Last cycle (default: the last).")
    long to;

    @Activate
    public ReplayCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() {
        if (from > to) {
            throw new IllegalArgumentException("index:replay: --from " + from + " is after --to " + to);
        }
        return CommandResult.streamed(items -> {
            // the JSON line is the snapshot's canonical JSON: the sink sorts keys, as CycleSnapshots does
            long n = index.replay(namespace.orLocal(index), runId, from, to, c -> items.item(line(c.snapshot()),
                    CycleSnapshots.toTree(c.snapshot())));
            return CommandResult.of(n + " cycle(s) replayed", null);
        });
    }

    private static String line(CycleSnapshot s) {
        return s.cycleId() + " " + s.status().name().toLowerCase(Locale.ROOT) + " " + s.startedAt() + " agents="
                + s.agents().size();
    }
}
