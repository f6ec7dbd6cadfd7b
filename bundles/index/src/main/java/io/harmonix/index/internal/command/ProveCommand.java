package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.Proofs;
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
@CommandName("index:prove")
@CommandSummary("inclusion proof of a cycle against the current root")
@Command(description = "Prints the RFC 9162 inclusion proof of a cycle: its leaf hash "
        + "and audit path against the current root of its namespace.")
public final class ProveCommand implements ShellCommand {
    private final CycleIndex index;

    /** Taken, as by every index: command, though the cycle's own namespace is the one proved against. */
    @Mixin
    NamespaceOption namespace;

    @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>")
    String cycleId;

    @Activate
    public ProveCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        Proofs.Inclusion p = index.prove(cycleId);
        ObjectNode json = Json.object().put("cycleId", p.cycleId()).put("leafIndex", p.leafIndex())
                .put("treeSize", p.treeSize()).put("leafHash", p.leafHash());
        p.path().forEach(json.putArray("path")::add);
        json.put("root", p.root());
        return CommandResult.of("cycle " + p.cycleId() + " is leaf " + p.leafIndex() + " of " + p.treeSize() + "\n"
                + "leaf hash " + p.leafHash() + "\n" + IndexViews.pathLines(p.path()) + "root      " + p.root(), json);
    }
}
