package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code wf:} commands about workflow instances: {@code run} one, list them ({@code instances}), show one
 * ({@code instance}), control it ({@code pause}, {@code resume}, {@code cancel}, {@code retry}) and read its
 * history ({@code history}, {@code replay}).
 */
@Component
@CommandScope("wf")
public final class InstanceCommands implements ShellCommands {
    /** The help text of wf:pause, wf:resume and wf:cancel, which take the same instance and answer alike. */
    private static final String CONTROL = "Pauses, resumes (also an instance a crash or a stop interrupted) or "
            + "cancels an instance.";

    @Reference
    private WorkflowService workflows;

    @Command(name = "run", header = "run a workflow, printing its tasks as they change and its outputs",
            description = "Starts an instance of a deployed workflow with inputs as "
                    + "NAME=VALUE (converted to the declared types; arrays and objects as JSON), prints each task as "
                    + "it changes state, then the outputs. Fails when the instance fails.")
    public CommandResult run(
            @Parameters(index = "0", paramLabel = "NAME", description = "Workflow name.") String name,
            @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "Inputs.") List<String> inputs,
            @Option(names = "--version", paramLabel = "VERSION", description = "Version (default: latest).")
            String version,
            @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
                    description = "How long to wait for the end (default 10m); the instance goes on after.")
            Duration timeout,
            @Option(names = "--detach", description = "Start it, print its id, do not wait.") boolean detach) {
        Map<String, Object> given = new LinkedHashMap<>();
        // picocli leaves a list parameter null when no value is given
        for (String kv : inputs == null ? List.<String>of() : inputs) {
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
            InstanceInfo started = workflows.start(name, version, given,
                    task -> items.item(InstanceViews.taskLine(task), null));
            InstanceInfo done = workflows.await(started.id(), timeout);
            CommandResult result = CommandResult.of("instance " + done.id() + " of " + done.workflow() + " "
                    + done.version() + ": " + WorkflowViews.state(done) + WorkflowViews.why(done) + " in "
                    + WorkflowViews.took(done.startedAt(), done.endedAt())
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

    @Command(name = "instances", header = "list workflow instances",
            description = "Lists the instances kept: running ones and the latest finished.")
    public CommandResult instances() {
        List<InstanceInfo> all = workflows.instances();
        Table t = new Table("INSTANCE", "WORKFLOW", "VERSION", "STATE", "TASKS DONE", "STARTED", "TOOK")
                .ifEmpty("no instances");
        all.forEach(i -> t.row(i.id(), i.workflow(), i.version(), WorkflowViews.state(i),
                i.tasks().stream().filter(x -> x.state().terminal()).count() + "/" + i.tasks().size(),
                i.startedAt(), WorkflowViews.took(i.startedAt(), i.endedAt())));
        return CommandResult.of(t, WorkflowViews.json(all));
    }

    @Command(name = "instance", header = "show a workflow instance and its tasks",
            description = "Shows an instance: state, progress, each task's state, attempts, "
                    + "time and reason, and the outputs.")
    public CommandResult instance(
            @Mixin InstanceId instance,
            @Option(names = "--await", paramLabel = "DURATION", description = "First wait (at most this long) for it "
                    + "to end; fails when it has not ended then, or did not succeed.") Duration await) {
        InstanceInfo i;
        try {
            i = await == null ? workflows.instance(instance.id).orElseThrow(() -> new IllegalArgumentException(
                    "unknown instance '" + instance.id + "'")) : workflows.await(instance.id, await);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("wf:instance: interrupted");
        }
        CommandResult result = CommandResult.of(InstanceViews.text(i), WorkflowViews.json(i));
        if (await != null && i.state() != InstanceState.SUCCEEDED) {
            return result.failingWith(new IllegalStateException("wf:instance: " + instance.id + " is "
                    + i.state().name().toLowerCase(Locale.ROOT) + (i.error() == null ? "" : ": " + i.error())));
        }
        return result;
    }

    @Command(name = "pause", header = "pause an instance: running tasks finish, no new one starts",
            description = CONTROL)
    public CommandResult pause(@Mixin InstanceId instance) {
        return InstanceViews.stateLine(workflows.pause(instance.id));
    }

    @Command(name = "resume", header = "go on with a paused or interrupted instance", description = CONTROL)
    public CommandResult resume(@Mixin InstanceId instance) {
        return InstanceViews.stateLine(workflows.resume(instance.id));
    }

    @Command(name = "cancel", header = "cancel an instance: running tasks stopped, processes killed",
            description = CONTROL)
    public CommandResult cancel(@Mixin InstanceId instance) {
        return InstanceViews.stateLine(workflows.cancel(instance.id));
    }

    @Command(name = "retry", header = "let a failed or cancelled instance go on, reusing what succeeded",
            description = "Lets a failed or cancelled instance go on: tasks that succeeded keep "
                    + "their outputs; the others run again (with --from, that task and everything after it too).")
    public CommandResult retry(
            @Mixin InstanceId instance,
            @Option(names = "--from", paramLabel = "TASK", description = "Run this task and its downstream again.")
            String from) {
        InstanceInfo i = workflows.retry(instance.id, from);
        long again = i.tasks().stream().filter(t -> t.state() == TaskState.PENDING || t.state() == TaskState.RUNNING)
                .count();
        return CommandResult.plain("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT) + ", "
                + again + " task(s) to run again");
    }

    @Command(name = "history", header = "every event of an instance's history, with time",
            description = "Every event of an instance's history, oldest first: sequence, "
                    + "time, kind, task, data.")
    public CommandResult history(@Mixin InstanceId instance) {
        List<HistoryEvent> all = workflows.history(instance.id);
        Table t = new Table("SEQ", "AT", "EVENT", "TASK", "DATA").ifEmpty("no history for " + instance.id);
        all.forEach(e -> t.row(e.sequence(), e.at(), e.kind(), e.task() == null ? "" : e.task(),
                e.data().isEmpty() ? "" : WorkflowViews.json(e.data()).toString()));
        return CommandResult.of(t, WorkflowViews.json(all));
    }

    @Command(name = "replay", header = "rebuild an instance from its history alone and compare with its state",
            description = "Rebuilds an instance's state from its history alone and compares "
                    + "it with the state kept. Fails when they differ.")
    public CommandResult replay(@Mixin InstanceId instance) {
        List<String> diffs = workflows.replay(instance.id);
        int events = workflows.history(instance.id).size();
        if (diffs.isEmpty()) {
            return CommandResult.plain("instance " + instance.id + ": the state rebuilt from " + events
                    + " history events equals the state kept");
        }
        return CommandResult.plain(String.join("\n", diffs)).failingWith(new IllegalStateException("wf:replay: "
                + diffs.size() + " difference(s)"));
    }
}
