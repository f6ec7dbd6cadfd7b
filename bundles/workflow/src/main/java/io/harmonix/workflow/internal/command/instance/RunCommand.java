package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:run")
@CommandSummary("run a workflow, printing its tasks as they change and its outputs")
@Command(description = "Starts an instance of a deployed workflow with inputs as "
        + "NAME=VALUE (converted to the declared types; arrays and objects as JSON), prints each task as it "
        + "changes state, then the outputs. Fails when the instance fails.")
public final class RunCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workflow name.")
    String name;

    @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "Inputs.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--version", paramLabel = "VERSION", description = "Version (default: latest).")
    String version;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait for the end (default 10m); the instance goes on after.")
    Duration timeout;

    @Option(names = "--detach", description = "Start it, print its id, do not wait.")
    boolean detach;

    @Activate
    public RunCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() throws Exception {
        Map<String, Object> given = new LinkedHashMap<>();
        for (String kv : inputs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("wf:run: '" + kv + "': expected NAME=VALUE");
            }
            given.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        if (detach) {
            return CommandResult.plain(workflows.start(name, version, given, null).id());
        }
        return CommandResult.streamed(items -> {
            // each task as it changes state, in text only: the engine calls this on its own threads
            InstanceInfo started = workflows.start(name, version, given, task -> items.item(taskLine(task), null));
            InstanceInfo done = workflows.await(started.id(), timeout);
            CommandResult result = CommandResult.of("instance " + done.id() + " of " + done.workflow() + " "
                    + done.version() + ": " + done.state().name().toLowerCase(Locale.ROOT) + " in "
                    + WorkflowViews.took(done.startedAt(), done.endedAt())
                    + (done.error() == null ? "" : " (" + done.error() + ")")
                    + (done.output() == null ? "" : "\n" + Json.pretty(WorkflowViews.json(done.output()))),
                    WorkflowViews.json(done));
            if (done.state() == InstanceState.RUNNING) {
                return result.failingWith(new IllegalStateException("wf:run: instance " + done.id()
                        + " still running after " + timeout));
            }
            if (done.state() == InstanceState.FAILED) {
                return result.failingWith(new IllegalStateException("wf:run: instance " + done.id() + " failed: "
                        + done.error()));
            }
            return result;
        });
    }

    private static String taskLine(TaskInfo t) {
        return t.id() + " " + t.state().name().toLowerCase(Locale.ROOT)
                + (t.state().terminal() && t.startedAt() != null ? " " + WorkflowViews.took(t.startedAt(), t.endedAt())
                        : "")
                + (t.reason() == null ? "" : " (" + t.reason() + ")");
    }
}
