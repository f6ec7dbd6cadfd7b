package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("propagate:endpoints")
@CommandSummary("list the endpoints of etc/registry.json")
@Command(description = "Lists the endpoints of etc/registry.json (secrets by "
        + "name only) and any problem found in etc/registry.json or etc/pulse.json.")
public final class EndpointsCommand implements ShellCommand {
    private final Propagator propagator;

    @Activate
    public EndpointsCommand(@Reference Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public CommandResult call() {
        List<Endpoint> all = propagator.endpoints();
        List<String> problems = propagator.configurationProblems();
        ObjectNode json = Json.object();
        ArrayNode endpoints = json.putArray("endpoints");
        for (Endpoint e : all) {
            ObjectNode n = endpoints.addObject().put("id", e.id()).put("url", e.url()).put("enabled", e.enabled())
                    .put("ratePerSecond", e.ratePerSecond()).put("burst", e.burst()).put("secret", e.secret())
                    .put("schedule", e.schedule());
            e.namespaces().forEach(n.putArray("namespaces")::add);
            e.runs().forEach(n.putArray("runs")::add);
            e.events().forEach(n.putArray("events")::add);
        }
        problems.forEach(json.putArray("problems")::add);
        Table t = new Table("ID", "URL", "NAMESPACES", "RUNS", "EVENTS", "ENABLED", "RATE/S", "SCHEDULE", "SECRET")
                .ifEmpty("no endpoints in the registry");
        all.forEach(e -> t.row(e.id(), e.url(), String.join(",", e.namespaces()), String.join(",", e.runs()),
                e.events().size() == 3 ? "all" : String.join(",", e.events()), e.enabled(),
                e.ratePerSecond() + " (burst " + e.burst() + ")", e.schedule(), e.secret()));
        StringBuilder text = new StringBuilder(t.toString());
        problems.forEach(p -> text.append("problem: ").append(p).append('\n'));
        return CommandResult.of(text.toString(), json);
    }
}
