package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.PruneReport;
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
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:prune")
@CommandSummary("apply retention, or show what it would prune")
@Command(description = "Applies the retention rules of a namespace now: only whole "
        + "closed segments, oldest first; the pruned records' leaf hashes are kept so proofs stay valid.")
public final class PruneCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Option(names = "--dry-run", description = "Only show what would be pruned.")
    boolean dryRun;

    @Activate
    public PruneCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        PruneReport r = index.prune(namespace.orLocal(index), dryRun);
        ObjectNode json = Json.object().put("namespace", r.namespace()).put("dryRun", dryRun)
                .put("records", r.records()).put("bytes", r.bytes());
        r.reasons().forEach(json.putArray("segments")::add);
        if (r.segments().isEmpty()) {
            return CommandResult.of(r.namespace() + ": nothing to prune", json);
        }
        StringBuilder text = new StringBuilder();
        r.reasons().forEach(reason -> text.append(reason).append('\n'));
        text.append(dryRun ? "would prune " : "pruned ").append(r.segments().size()).append(" segment(s), ")
                .append(r.records()).append(" records, ").append(r.bytes()).append(" bytes");
        return CommandResult.of(text.toString(), json);
    }
}
