package io.harmonix.workflow.internal.command.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code wf:} commands about events: {@code emit} and {@code events}. */
@Component
@CommandScope("wf")
public final class EventCommands implements ShellCommands {
    @Reference
    private EventService events;

    @Command(name = "emit", header = "publish an event", description = "Publishes an event (stored before it is "
            + "dispatched to triggers and waiting tasks).")
    public CommandResult emit(
            @Parameters(index = "0", paramLabel = "TYPE", description = "Event type, e.g. order.created.") String type,
            @Option(names = "--subject", paramLabel = "SUBJECT", description = "What it is about.") String subject,
            @Option(names = "--data", paramLabel = "JSON", description = "Its data, a JSON object.") String data) {
        Map<String, Object> d = Map.of();
        if (data != null) {
            try {
                d = WorkflowViews.read(data, new TypeReference<Map<String, Object>>() {
                });
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("wf:emit: --data is not a JSON object: " + e.getOriginalMessage());
            }
        }
        Event e = events.publish("shell", type, subject, d);
        return CommandResult.plain("event " + e.id() + " " + e.type() + " published");
    }

    @Command(name = "events", header = "the latest events", description = "The latest events, newest first.")
    public CommandResult events(
            @Option(names = "--type", paramLabel = "PATTERN", defaultValue = "*", description = "Type pattern ('*').")
            String type,
            @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (20).")
            int limit) {
        Table t = new Table("TIME", "TYPE", "SOURCE", "SUBJECT", "DATA").ifEmpty("no events");
        return CommandResult.listing(t, events.recent(type, limit),
                (table, e) -> table.row(e.time(), e.type(), e.source(), e.subject() == null ? "" : e.subject(),
                        WorkflowViews.json(e.data()).toString()),
                // as CloudEvents JSON names it
                e -> Json.object().put("specversion", Event.SPEC_VERSION).put("id", e.id()).put("source", e.source())
                        .put("type", e.type()).put("time", e.time().toString()).put("subject", e.subject())
                        .set("data", WorkflowViews.json(e.data())));
    }
}
