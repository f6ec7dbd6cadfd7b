package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:list")
@CommandSummary("list indexed cycles")
@Command(description = "Lists indexed cycles in log order.")
public final class ListCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.")
    String run;

    @Option(names = "--offset", defaultValue = "0", description = "Skip this many (default: ${DEFAULT-VALUE}).")
    long offset;

    @Option(names = "--limit", defaultValue = "20", description = "Show this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Activate
    public ListCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("index:list: --offset must be 0 or more and --limit 1 or more");
        }
        Table t = new Table("SEQ", "CYCLE-ID", "STATUS", "AGENTS", "RECORDED").ifEmpty("no indexed cycles");
        ArrayNode json = Json.array();
        for (IndexedCycle c : index.list(namespace.orLocal(index), run, offset, limit)) {
            t.row(c.sequence(), c.snapshot().cycleId(), c.snapshot().status().name().toLowerCase(Locale.ROOT),
                    c.snapshot().agents().size(), c.recordedAt());
            json.add(IndexViews.json(c, false));
        }
        return CommandResult.of(t, json);
    }
}
