package io.harmonix.waves.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.waves.api.AgentInstance;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wave:list}, {@code wave:show}, {@code wave:agents}: what the waves are and did. */
@Component
@CommandScope("wave")
public final class WaveViewCommands implements ShellCommands {
    @Reference
    private WaveCoordinator waves;

    @Command(name = "list", header = "list the waves and infinite-mode series", description = "Lists every wave, "
            + "newest first, and every infinite-mode series with its last decision.")
    public CommandResult list() {
        List<Wave> all = waves.waves();
        List<InfiniteSeries> series = waves.series();
        ObjectNode json = Json.object();
        ArrayNode w = json.putArray("waves");
        all.forEach(x -> w.add(WaveViews.json(x)));
        ArrayNode s = json.putArray("series");
        series.forEach(x -> s.add(WaveViews.json(x)));
        String text = WaveViews.waves(all).toString() + (series.isEmpty() ? ""
                : "\n\ninfinite mode:\n" + WaveViews.series(series));
        return CommandResult.of(text, json);
    }

    @Command(name = "show", header = "show a wave: instances, findings, conflicts, proposals", description = "Shows "
            + "the wave's instances and the components each owns, its findings merged by fingerprint (with every "
            + "instance that reported each), its conflicts and how each was resolved, and its proposals with their "
            + "status in the enhancement ledger.")
    public CommandResult show(@Parameters(index = "0", paramLabel = "WAVE", description = "The wave's id (w-...).")
            String id) {
        if (waves.wave(id).isEmpty()) {
            throw new IllegalArgumentException("wave:show: no wave '" + id + "' (wave:list shows them)");
        }
        var report = waves.report(id);
        return CommandResult.of(WaveViews.report(report), WaveViews.json(report));
    }

    @Command(name = "agents", header = "list the active agent instances", description = "Lists the agent instances "
            + "of the running waves: the components each owns, until when its lease runs, and what it is doing.")
    public CommandResult agents() {
        List<AgentInstance> active = waves.activeAgents();
        ArrayNode json = Json.array();
        active.forEach(i -> json.add(WaveViews.json(i)));
        return CommandResult.of(WaveViews.agents(active), json);
    }
}
