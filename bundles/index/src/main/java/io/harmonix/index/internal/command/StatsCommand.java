package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexStats;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:stats")
@CommandSummary("sizes, records and Merkle root of each namespace")
@Command(description = "For each namespace: records held and ever appended, segments, "
        + "bytes, pruned records, Merkle root.")
public final class StatsCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Activate
    public StatsCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        Table t = new Table("NAMESPACE", "TREE-SIZE", "RECORDS", "SEGMENTS", "BYTES", "PRUNED", "ROOT");
        ArrayNode json = Json.array();
        for (String ns : namespace.orEvery(index)) {
            IndexStats s = index.stats(ns);
            t.row(s.namespace(), s.treeSize(), s.records(), s.segments(), s.bytes(), s.prunedRecords(),
                    s.root().substring(0, 16));
            json.addObject().put("namespace", s.namespace()).put("treeSize", s.treeSize()).put("records", s.records())
                    .put("segments", s.segments()).put("bytes", s.bytes()).put("prunedRecords", s.prunedRecords())
                    .put("root", s.root());
        }
        return CommandResult.of(t, json);
    }
}
