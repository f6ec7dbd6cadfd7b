package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.RunSummary;
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
@CommandName("index:runs")
@CommandSummary("list the runs of a namespace")
@Command(description = "Lists the runs of a namespace: first and last indexed cycle, "
        + "records still held.")
public final class RunsCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Activate
    public RunsCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        String ns = namespace.orLocal(index);
        Table t = new Table("RUN", "FIRST", "LAST", "RECORDS").ifEmpty("no runs in namespace " + ns);
        ArrayNode json = Json.array();
        for (RunSummary r : index.runs(ns)) {
            t.row(r.runId(), r.firstCycle(), r.lastCycle(), r.records());
            json.addObject().put("runId", r.runId()).put("firstCycle", r.firstCycle()).put("lastCycle", r.lastCycle())
                    .put("records", r.records());
        }
        return CommandResult.of(t, json);
    }
}
