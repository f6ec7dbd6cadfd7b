package io.harmonix.workflow.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.StandardOptions;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code wf:} commands. */
@Component(service = WorkflowCommands.class, property = {
    "osgi.command.scope=wf",
    "osgi.command.function=validate",
    "osgi.command.function=deploy",
    "osgi.command.function=list",
    "osgi.command.function=show",
    "osgi.command.function=run",
    "osgi.command.function=instances",
    "osgi.command.function=instance",
    "osgi.command.function=pause",
    "osgi.command.function=resume",
    "osgi.command.function=cancel",
    "osgi.command.function=history",
    "osgi.command.function=replay",
    "osgi.command.function=graph",
    "osgi.command.function=retry",
    "osgi.command.function=emit",
    "osgi.command.function=events"})
public class WorkflowCommands {
    /** JSON as the other commands write it: times as ISO-8601 text, states in lower case. */
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new com.fasterxml.jackson.databind
            .module.SimpleModule().addSerializer(java.time.Instant.class,
                    new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(java.time.Instant.class))
            .addSerializer(InstanceState.class, lowerCase(InstanceState.class))
            .addSerializer(io.harmonix.workflow.api.TaskState.class, lowerCase(io.harmonix.workflow.api.TaskState.class)));

    private static <E extends Enum<E>> com.fasterxml.jackson.databind.ser.std.StdSerializer<E> lowerCase(Class<E> type) {
        return new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(type) {
            @Override
            public void serialize(E value, com.fasterxml.jackson.core.JsonGenerator gen,
                    com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        };
    }

    @Reference
    private WorkflowService workflows;

    @Reference
    private io.harmonix.workflow.api.EventService eventService;

    @Descriptor("publish an event (wf:emit --help)")
    public void emit(String... args) throws Exception {
        CommandLines.run(new EmitCommand(eventService, System.out), System.out, args);
    }

    @Descriptor("the latest events (wf:events --help)")
    public void events(String... args) throws Exception {
        CommandLines.run(new EventsCommand(eventService, System.out), System.out, args);
    }

    @Descriptor("check a workflow file: every problem with its line and column (wf:validate --help)")
    public void validate(String... args) throws Exception {
        CommandLines.run(new ValidateCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("validate and store a workflow file by name and version (wf:deploy --help)")
    public void deploy(String... args) throws Exception {
        CommandLines.run(new DeployCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("list deployed workflows (wf:list --help)")
    public void list(String... args) throws Exception {
        CommandLines.run(new ListCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("show a deployed workflow (wf:show --help)")
    public void show(String... args) throws Exception {
        CommandLines.run(new ShowCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("run a workflow, printing its tasks as they change and its outputs (wf:run --help)")
    public void run(String... args) throws Exception {
        CommandLines.run(new RunCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("list workflow instances (wf:instances --help)")
    public void instances(String... args) throws Exception {
        CommandLines.run(new InstancesCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("show a workflow instance and its tasks (wf:instance --help)")
    public void instance(String... args) throws Exception {
        CommandLines.run(new InstanceCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("pause an instance: running tasks finish, no new one starts (wf:pause --help)")
    public void pause(String... args) throws Exception {
        CommandLines.run(new ControlCommand(workflows, System.out, "pause"), "wf:pause", System.out, args);
    }

    @Descriptor("go on with a paused or interrupted instance (wf:resume --help)")
    public void resume(String... args) throws Exception {
        CommandLines.run(new ControlCommand(workflows, System.out, "resume"), "wf:resume", System.out, args);
    }

    @Descriptor("cancel an instance: running tasks stopped, processes killed (wf:cancel --help)")
    public void cancel(String... args) throws Exception {
        CommandLines.run(new ControlCommand(workflows, System.out, "cancel"), "wf:cancel", System.out, args);
    }

    @Descriptor("every event of an instance's history, with time (wf:history --help)")
    public void history(String... args) throws Exception {
        CommandLines.run(new HistoryCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("rebuild an instance from its history alone and compare with its state (wf:replay --help)")
    public void replay(String... args) throws Exception {
        CommandLines.run(new ReplayCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("let a failed or cancelled instance go on, reusing what succeeded (wf:retry --help)")
    public void retry(String... args) throws Exception {
        CommandLines.run(new RetryCommand(workflows, System.out), System.out, args);
    }

    @Descriptor("draw a workflow or an instance as Mermaid or DOT (wf:graph --help)")
    public void graph(String... args) throws Exception {
        CommandLines.run(new GraphCommand(workflows, System.out), System.out, args);
    }

    abstract static class WorkflowCommand implements Callable<Object> {
        final WorkflowService workflows;
        final PrintStream out;

        @Mixin
        StandardOptions options;

        WorkflowCommand(WorkflowService workflows, PrintStream out) {
            this.workflows = workflows;
            this.out = out;
        }
    }

    static String read(String file) throws java.io.IOException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no file " + p.toAbsolutePath());
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static JsonNode json(Object value) {
        return MAPPER.valueToTree(value);
    }

    static String ms(java.time.Instant from, java.time.Instant to) {
        return from == null || to == null ? "" : Duration.between(from, to).toMillis() + "ms";
    }

    @Command(name = "wf:validate", description = "Checks a workflow file (YAML or JSON) without deploying it: "
            + "every problem, each with its line, column and field. Fails when there is one.")
    static final class ValidateCommand extends WorkflowCommand {
        @Parameters(paramLabel = "FILE", description = "The workflow file.")
        String file;

        ValidateCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() throws Exception {
            List<Problem> problems = workflows.validate(file, read(file));
            if (options.json) {
                ArrayNode a = Json.array();
                problems.forEach(p -> a.addObject().put("source", p.source()).put("line", p.line())
                        .put("column", p.column()).put("pointer", p.pointer()).put("message", p.message()));
                out.println(Json.pretty(a));
            } else {
                problems.forEach(out::println);
                if (problems.isEmpty()) {
                    out.println(file + ": valid");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(file + ": " + problems.size() + " problem(s)");
            }
            return null;
        }
    }

    @Command(name = "wf:deploy", description = "Validates a workflow file and stores it under its name and "
            + "version (the same name and version is replaced; instances already started keep theirs).")
    static final class DeployCommand extends WorkflowCommand {
        @Parameters(paramLabel = "FILE", description = "The workflow file.")
        String file;

        DeployCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() throws Exception {
            try {
                DefinitionInfo d = workflows.deploy(file, read(file));
                out.println("deployed " + d.name() + " " + d.version() + " (" + d.tasks().size() + " tasks)");
            } catch (WorkflowValidationException e) {
                e.problems().forEach(out::println);
                throw new IllegalArgumentException(file + ": " + e.problems().size() + " problem(s), not deployed");
            }
            return null;
        }
    }

    @Command(name = "wf:list", description = "Lists deployed workflows, every version.")
    static final class ListCommand extends WorkflowCommand {
        ListCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            List<DefinitionInfo> all = workflows.definitions();
            if (options.json) {
                ArrayNode a = Json.array();
                all.forEach(d -> a.addObject().put("name", d.name()).put("version", d.version())
                        .put("tasks", d.tasks().size()).put("description", d.description())
                        .put("deployedAt", d.deployedAt().toString()).put("source", d.source()));
                out.println(Json.pretty(a));
                return null;
            }
            Table t = new Table("NAME", "VERSION", "TASKS", "DEPLOYED", "DESCRIPTION");
            all.forEach(d -> t.row(d.name(), d.version(), d.tasks().size(), d.deployedAt(), d.description()));
            out.print(all.isEmpty() ? "no workflows deployed\n" : t.toString());
            return null;
        }
    }

    @Command(name = "wf:show", description = "Shows a deployed workflow's definition (the latest version unless "
            + "one is given).")
    static final class ShowCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Workflow name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Version (default: latest).")
        String version;

        ShowCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            DefinitionInfo d = workflows.definition(name, version).orElseThrow(() -> new IllegalArgumentException(
                    "no workflow " + name + (version == null ? "" : " version " + version)));
            if (options.json) {
                ObjectNode o = Json.object().put("name", d.name()).put("version", d.version())
                        .put("description", d.description()).put("source", d.source())
                        .put("deployedAt", d.deployedAt().toString()).put("text", d.text());
                d.tasks().forEach(o.putArray("tasks")::add);
                out.println(Json.pretty(o));
            } else {
                out.println(d.name() + " " + d.version() + " (deployed " + d.deployedAt() + " from " + d.source()
                        + ")");
                out.print(d.text().endsWith("\n") ? d.text() : d.text() + "\n");
            }
            return null;
        }
    }

    @Command(name = "wf:run", description = "Starts an instance of a deployed workflow with inputs as "
            + "NAME=VALUE (converted to the declared types; arrays and objects as JSON), prints each task as it "
            + "changes state, then the outputs. Fails when the instance fails.")
    static final class RunCommand extends WorkflowCommand {
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

        RunCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() throws Exception {
            Map<String, Object> given = new LinkedHashMap<>();
            for (String kv : inputs) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("wf:run: '" + kv + "': expected NAME=VALUE");
                }
                given.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (detach) {
                InstanceInfo started = workflows.start(name, version, given, null);
                out.println(started.id());
                return null;
            }
            InstanceInfo started = workflows.start(name, version, given, options.json ? null : t -> {
                synchronized (out) {
                    out.println(t.id() + " " + t.state().name().toLowerCase(Locale.ROOT)
                            + (t.state().terminal() && t.startedAt() != null ? " " + ms(t.startedAt(), t.endedAt())
                                    : "")
                            + (t.reason() == null ? "" : " (" + t.reason() + ")"));
                }
            });
            InstanceInfo done = workflows.await(started.id(), timeout);
            if (options.json) {
                out.println(Json.pretty(json(done)));
            } else {
                out.println("instance " + done.id() + " of " + done.workflow() + " " + done.version() + ": "
                        + done.state().name().toLowerCase(Locale.ROOT) + " in " + ms(done.startedAt(), done.endedAt())
                        + (done.error() == null ? "" : " (" + done.error() + ")"));
                if (done.output() != null) {
                    out.println(Json.pretty(json(done.output())));
                }
            }
            if (done.state() == InstanceState.RUNNING) {
                throw new IllegalStateException("wf:run: instance " + done.id() + " still running after " + timeout);
            }
            if (done.state() == InstanceState.FAILED) {
                throw new IllegalStateException("wf:run: instance " + done.id() + " failed: " + done.error());
            }
            return null;
        }
    }

    @Command(name = "wf:instances", description = "Lists the instances kept: running ones and the latest finished.")
    static final class InstancesCommand extends WorkflowCommand {
        InstancesCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            List<InstanceInfo> all = workflows.instances();
            if (options.json) {
                out.println(Json.pretty(json(all)));
                return null;
            }
            Table t = new Table("INSTANCE", "WORKFLOW", "VERSION", "STATE", "TASKS DONE", "STARTED", "TOOK");
            all.forEach(i -> t.row(i.id(), i.workflow(), i.version(), i.state().name().toLowerCase(Locale.ROOT),
                    i.tasks().stream().filter(x -> x.state().terminal()).count() + "/" + i.tasks().size(),
                    i.startedAt(), ms(i.startedAt(), i.endedAt())));
            out.print(all.isEmpty() ? "no instances\n" : t.toString());
            return null;
        }
    }

    @Command(name = "wf:instance", description = "Shows an instance: state, progress, each task's state, attempts, "
            + "time and reason, and the outputs.")
    static final class InstanceCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
        String id;

        @Option(names = "--await", paramLabel = "DURATION", description = "First wait (at most this long) for it to "
                + "end; fails when it has not ended then, or did not succeed.")
        Duration await;

        InstanceCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            InstanceInfo i;
            try {
                i = await == null ? workflows.instance(id).orElseThrow(() -> new IllegalArgumentException(
                        "unknown instance '" + id + "'")) : workflows.await(id, await);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("wf:instance: interrupted");
            }
            print(i);
            if (await != null && i.state() != InstanceState.SUCCEEDED) {
                throw new IllegalStateException("wf:instance: " + id + " is " + i.state().name()
                        .toLowerCase(Locale.ROOT) + (i.error() == null ? "" : ": " + i.error()));
            }
            return null;
        }

        private void print(InstanceInfo i) {
            if (options.json) {
                out.println(Json.pretty(json(i)));
                return;
            }
            long done = i.tasks().stream().filter(t -> t.state().terminal()).count();
            int width = 30;
            int filled = i.tasks().isEmpty() ? width : (int) (width * done / i.tasks().size());
            out.println(i.id() + " " + i.workflow() + " " + i.version() + ": " + i.state().name()
                    .toLowerCase(Locale.ROOT) + (i.error() == null ? "" : " (" + i.error() + ")"));
            out.println("[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + i.tasks().size()
                    + " tasks");
            Table t = new Table("TASK", "STATE", "ATTEMPTS", "TOOK", "REASON");
            for (TaskInfo x : i.tasks()) {
                t.row(x.id(), x.state().name().toLowerCase(Locale.ROOT), x.attempts(), ms(x.startedAt(), x.endedAt()),
                        x.reason() == null ? "" : x.reason());
            }
            out.print(t);
            if (i.output() != null) {
                out.println("output: " + json(i.output()));
            }
        }
    }

    @Command(name = "wf:pause", description = "Pauses, resumes (also an instance a crash or a stop interrupted) or "
            + "cancels an instance.")
    static final class ControlCommand extends WorkflowCommand {
        private final String action;

        @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
        String id;

        ControlCommand(WorkflowService workflows, PrintStream out, String action) {
            super(workflows, out);
            this.action = action;
        }

        @Override
        public Object call() {
            InstanceInfo i = switch (action) {
                case "pause" -> workflows.pause(id);
                case "resume" -> workflows.resume(id);
                default -> workflows.cancel(id);
            };
            out.println("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT));
            return null;
        }
    }

    @Command(name = "wf:history", description = "Every event of an instance's history, oldest first: sequence, "
            + "time, kind, task, data.")
    static final class HistoryCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
        String id;

        HistoryCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            List<io.harmonix.workflow.api.HistoryEvent> all = workflows.history(id);
            if (options.json) {
                out.println(Json.pretty(json(all)));
                return null;
            }
            Table t = new Table("SEQ", "AT", "EVENT", "TASK", "DATA");
            all.forEach(e -> t.row(e.sequence(), e.at(), e.kind(), e.task() == null ? "" : e.task(),
                    e.data().isEmpty() ? "" : json(e.data()).toString()));
            out.print(all.isEmpty() ? "no history for " + id + "\n" : t.toString());
            return null;
        }
    }

    @Command(name = "wf:replay", description = "Rebuilds an instance's state from its history alone and compares "
            + "it with the state kept. Fails when they differ.")
    static final class ReplayCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
        String id;

        ReplayCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            List<String> diffs = workflows.replay(id);
            int events = workflows.history(id).size();
            if (diffs.isEmpty()) {
                out.println("instance " + id + ": the state rebuilt from " + events + " history events equals the "
                        + "state kept");
                return null;
            }
            diffs.forEach(out::println);
            throw new IllegalStateException("wf:replay: " + diffs.size() + " difference(s)");
        }
    }

    @Command(name = "wf:graph", description = "Draws a workflow's task graph (latest version), or an instance's "
            + "with each task coloured by its state, as Mermaid (default) or Graphviz DOT.")
    static final class GraphCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "NAME|INSTANCE", description = "A workflow name or an instance id.")
        String what;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
                description = "mermaid (default) or dot.")
        String format;

        GraphCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            var instance = workflows.instance(what);
            DefinitionInfo d = instance.map(i -> workflows.definition(i.workflow(), i.version()).orElse(null))
                    .orElseGet(() -> workflows.definition(what, null).orElse(null));
            if (d == null) {
                throw new IllegalArgumentException("wf:graph: '" + what + "' is neither a deployed workflow nor an "
                        + "instance (of a definition still deployed)");
            }
            out.print(io.harmonix.workflow.internal.Graphs.draw(d, instance.orElse(null), format));
            return null;
        }
    }

    @Command(name = "wf:retry", description = "Lets a failed or cancelled instance go on: tasks that succeeded keep "
            + "their outputs; the others run again (with --from, that task and everything after it too).")
    static final class RetryCommand extends WorkflowCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
        String id;

        @Option(names = "--from", paramLabel = "TASK", description = "Run this task and its downstream again.")
        String from;

        RetryCommand(WorkflowService workflows, PrintStream out) {
            super(workflows, out);
        }

        @Override
        public Object call() {
            InstanceInfo i = workflows.retry(id, from);
            long again = i.tasks().stream().filter(t -> t.state() == io.harmonix.workflow.api.TaskState.PENDING
                    || t.state() == io.harmonix.workflow.api.TaskState.RUNNING).count();
            out.println("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT) + ", " + again
                    + " task(s) to run again");
            return null;
        }
    }

    @Command(name = "wf:emit", description = "Publishes an event (stored before it is dispatched to triggers and "
            + "waiting tasks).")
    static final class EmitCommand implements Callable<Object> {
        private final io.harmonix.workflow.api.EventService events;
        private final PrintStream out;

        @Mixin
        StandardOptions options;

        @Parameters(index = "0", paramLabel = "TYPE", description = "Event type, e.g. order.created.")
        String type;

        @Option(names = "--subject", paramLabel = "SUBJECT", description = "What it is about.")
        String subject;

        @Option(names = "--data", paramLabel = "JSON", description = "Its data, a JSON object.")
        String data;

        EmitCommand(io.harmonix.workflow.api.EventService events, PrintStream out) {
            this.events = events;
            this.out = out;
        }

        @Override
        public Object call() throws Exception {
            Map<String, Object> d = Map.of();
            if (data != null) {
                try {
                    d = MAPPER.readValue(data, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException("wf:emit: --data is not a JSON object: " + e.getOriginalMessage());
                }
            }
            var e = events.publish("shell", type, subject, d);
            out.println("event " + e.id() + " " + e.type() + " published");
            return null;
        }
    }

    @Command(name = "wf:events", description = "The latest events, newest first.")
    static final class EventsCommand implements Callable<Object> {
        private final io.harmonix.workflow.api.EventService events;
        private final PrintStream out;

        @Mixin
        StandardOptions options;

        @Option(names = "--type", paramLabel = "PATTERN", defaultValue = "*", description = "Type pattern ('*').")
        String type;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (20).")
        int limit;

        EventsCommand(io.harmonix.workflow.api.EventService events, PrintStream out) {
            this.events = events;
            this.out = out;
        }

        @Override
        public Object call() {
            var all = events.recent(type, limit);
            if (options.json) {
                out.println(Json.pretty(json(all.stream().map(EventHubView::of).toList())));
                return null;
            }
            Table t = new Table("TIME", "TYPE", "SOURCE", "SUBJECT", "DATA");
            all.forEach(e -> t.row(e.time(), e.type(), e.source(), e.subject() == null ? "" : e.subject(),
                    json(e.data()).toString()));
            out.print(all.isEmpty() ? "no events\n" : t.toString());
            return null;
        }
    }

    /** An event as CloudEvents JSON names it. */
    static final class EventHubView {
        static Map<String, Object> of(io.harmonix.workflow.api.Event e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("specversion", io.harmonix.workflow.api.Event.SPEC_VERSION);
            m.put("id", e.id());
            m.put("source", e.source());
            m.put("type", e.type());
            m.put("time", e.time().toString());
            m.put("subject", e.subject());
            m.put("data", e.data());
            return m;
        }
    }
}
