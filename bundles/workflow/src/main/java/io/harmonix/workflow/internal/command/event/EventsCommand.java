package io.harmonix.workflow.internal.command.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:events")
@CommandSummary("the latest events")
@Command(description = "The latest events, newest first.")
public final class EventsCommand implements ShellCommand {
    private final EventService events;

    @Option(names = "--type", paramLabel = "PATTERN", defaultValue = "*", description = "Type pattern ('*').")
    String type;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (20).")
    int limit;

    @Activate
    public EventsCommand(@Reference EventService events) {
        this.events = events;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("TIME", "TYPE", "SOURCE", "SUBJECT", "DATA").ifEmpty("no events");
        ArrayNode json = Json.array();
        for (Event e : events.recent(type, limit)) {
            t.row(e.time(), e.type(), e.source(), e.subject() == null ? "" : e.subject(),
                    WorkflowViews.json(e.data()).toString());
            // as CloudEvents JSON names it
            json.addObject().put("specversion", Event.SPEC_VERSION).put("id", e.id()).put("source", e.source())
                    .put("type", e.type()).put("time", e.time().toString()).put("subject", e.subject())
                    .set("data", WorkflowViews.json(e.data()));
        }
        return CommandResult.of(t, json);
    }
}
