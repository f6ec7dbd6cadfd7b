package io.harmonix.workflow.internal.command.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:emit")
@CommandSummary("publish an event")
@Command(description = "Publishes an event (stored before it is dispatched to triggers and "
        + "waiting tasks).")
public final class EmitCommand implements ShellCommand {
    private final EventService events;

    @Parameters(index = "0", paramLabel = "TYPE", description = "Event type, e.g. order.created.")
    String type;

    @Option(names = "--subject", paramLabel = "SUBJECT", description = "What it is about.")
    String subject;

    @Option(names = "--data", paramLabel = "JSON", description = "Its data, a JSON object.")
    String data;

    @Activate
    public EmitCommand(@Reference EventService events) {
        this.events = events;
    }

    @Override
    public CommandResult call() throws Exception {
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
}
