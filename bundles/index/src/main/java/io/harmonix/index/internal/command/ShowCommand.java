package io.harmonix.index.internal.command;

import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:show")
@CommandSummary("show an indexed cycle's snapshot")
@Command(description = "Shows the indexed snapshot of a cycle (searched in every "
        + "namespace, this runtime's first).")
public final class ShowCommand implements ShellCommand {
    private final CycleIndex index;

    /** Taken, as by every index: command, though the cycle is searched in every namespace. */
    @Mixin
    NamespaceOption namespace;

    @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>")
    String cycleId;

    @Activate
    public ShowCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        IndexedCycle c = index.find(cycleId).orElseThrow(() -> new IllegalArgumentException("index:show: no "
                + "indexed cycle '" + cycleId + "' (expected <run>:<cycle>; index:runs lists the runs)"));
        return CommandResult.of("cycle " + cycleId + ": namespace " + c.namespace() + ", record " + c.sequence()
                + ", recorded " + c.recordedAt() + "\n" + Json.pretty(CycleSnapshots.toTree(c.snapshot())),
                IndexViews.json(c, true));
    }
}
