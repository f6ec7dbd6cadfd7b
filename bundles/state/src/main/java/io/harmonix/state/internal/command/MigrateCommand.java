package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.state.api.StateAdmin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("state:migrate")
@CommandSummary("bring stored states to their agents' current versions")
@Command(description = "Brings every stored state older than its agent's current "
        + "state version to that version (agents must be present). All or nothing: when one state cannot be "
        + "migrated, none is rewritten.")
public final class MigrateCommand implements ShellCommand {
    private final StateAdmin states;

    @Option(names = "--dry-run", description = "Only report what would be migrated, and what would fail.")
    boolean dryRun;

    @Activate
    public MigrateCommand(@Reference StateAdmin states) {
        this.states = states;
    }

    @Override
    public CommandResult call() throws Exception {
        List<StoredState> migrated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> perStep = new LinkedHashMap<>();
        for (StoredState s : states.allRaw()) {
            StoredState m;
            try {
                m = states.migrated(s);
            } catch (StateMigrationException e) {
                failures.add(e.getMessage());
                continue;
            }
            if (m.stateVersion() != s.stateVersion()) {
                migrated.add(m);
                perStep.merge(s.agentId() + " v" + s.stateVersion() + " -> v" + m.stateVersion(), 1, Integer::sum);
            }
        }
        boolean rewrite = !dryRun && failures.isEmpty() && !migrated.isEmpty();
        if (rewrite) {
            states.rewrite(migrated);
        }
        ObjectNode json = Json.object().put("dryRun", dryRun).put("rewritten", rewrite ? migrated.size() : 0);
        ObjectNode counts = json.putObject("migrations");
        perStep.forEach(counts::put);
        failures.forEach(json.putArray("failures")::add);
        StringBuilder text = new StringBuilder();
        if (perStep.isEmpty() && failures.isEmpty()) {
            text.append("every stored state is at its agent's current version\n");
        }
        perStep.forEach((step, n) -> text.append(step).append(": ").append(n).append(" state(s)")
                .append(rewrite ? " migrated" : " to migrate").append('\n'));
        failures.forEach(f -> text.append("cannot migrate: ").append(f).append('\n'));
        if (dryRun) {
            text.append("dry run: nothing was rewritten\n");
        }
        CommandResult result = CommandResult.of(text.toString(), json);
        return failures.isEmpty() || dryRun ? result : result.failingWith(new IllegalStateException("state:migrate: "
                + failures.size() + " state(s) cannot be migrated; nothing was rewritten"));
    }
}
