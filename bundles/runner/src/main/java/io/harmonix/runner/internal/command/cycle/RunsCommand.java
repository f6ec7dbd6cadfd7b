package io.harmonix.runner.internal.command.cycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.config.api.Durations;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("cycle:runs")
@CommandSummary("list the runs")
@Command(description = "Lists the runs the runner knows, oldest first.")
public final class RunsCommand implements ShellCommand {
    private final CycleRunner runner;

    @Activate
    public RunsCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("RUN", "STATE", "CYCLES", "AGENTS", "INTERVAL", "DEADLINE", "FAILED", "STARTED")
                .ifEmpty("no runs");
        ArrayNode json = Json.array();
        for (RunInfo r : runner.runs()) {
            json.add(RunViews.json(r));
            t.row(r.runId(), r.state().name().toLowerCase(Locale.ROOT), RunViews.progress(r),
                    r.agentIds().isEmpty() ? "all" : String.join(",", r.agentIds()),
                    Durations.format(r.interval()), Durations.format(r.deadline()), r.failedEntries(),
                    r.startedAt().truncatedTo(ChronoUnit.SECONDS));
        }
        return CommandResult.of(t, json);
    }
}
