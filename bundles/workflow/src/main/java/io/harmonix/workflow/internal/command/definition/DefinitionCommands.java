package io.harmonix.workflow.internal.command.definition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import io.harmonix.workflow.internal.Graphs;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code wf:} commands about workflow definitions: {@code list}, {@code show}, {@code graph}, {@code validate},
 * {@code deploy}.
 */
@Component
@CommandScope("wf")
public final class DefinitionCommands implements ShellCommands {
    @Reference
    private WorkflowService workflows;

    @Command(name = "list", header = "list deployed workflows",
            description = "Lists deployed workflows, every version.")
    public CommandResult list() {
        Table t = new Table("NAME", "VERSION", "TASKS", "DEPLOYED", "DESCRIPTION").ifEmpty("no workflows deployed");
        return CommandResult.listing(t, workflows.definitions(),
                (table, d) -> table.row(d.name(), d.version(), d.tasks().size(), d.deployedAt(), d.description()),
                d -> Json.object().put("name", d.name()).put("version", d.version()).put("tasks", d.tasks().size())
                        .put("description", d.description()).put("deployedAt", d.deployedAt().toString())
                        .put("source", d.source()));
    }

    @Command(name = "show", header = "show a deployed workflow", description = "Shows a deployed workflow's "
            + "definition (the latest version unless one is given).")
    public CommandResult show(
            @Parameters(index = "0", paramLabel = "NAME", description = "Workflow name.") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Version (default: latest).")
            String version) {
        DefinitionInfo d = workflows.definition(name, version).orElseThrow(() -> new IllegalArgumentException(
                "no workflow " + name + (version == null ? "" : " version " + version)));
        ObjectNode json = Json.object().put("name", d.name()).put("version", d.version())
                .put("description", d.description()).put("source", d.source())
                .put("deployedAt", d.deployedAt().toString()).put("text", d.text());
        d.tasks().forEach(json.putArray("tasks")::add);
        return CommandResult.of(d.name() + " " + d.version() + " (deployed " + d.deployedAt() + " from "
                + d.source() + ")\n" + d.text(), json);
    }

    @Command(name = "graph", header = "draw a workflow or an instance as Mermaid or DOT",
            description = "Draws a workflow's task graph (latest version), or an instance's "
                    + "with each task coloured by its state, as Mermaid (default) or Graphviz DOT.")
    public CommandResult graph(
            @Parameters(index = "0", paramLabel = "NAME|INSTANCE", description = "A workflow name or an instance id.")
            String what,
            @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
                    description = "mermaid (default) or dot.") String format) {
        Optional<InstanceInfo> instance = workflows.instance(what);
        DefinitionInfo d = instance.map(i -> workflows.definition(i.workflow(), i.version()).orElse(null))
                .orElseGet(() -> workflows.definition(what, null).orElse(null));
        if (d == null) {
            throw new IllegalArgumentException("wf:graph: '" + what + "' is neither a deployed workflow nor an "
                    + "instance (of a definition still deployed)");
        }
        return CommandResult.plain(Graphs.draw(d, instance.orElse(null), format));
    }

    @Command(name = "validate", header = "check a workflow file: every problem with its line and column",
            description = "Checks a workflow file (YAML or JSON) without deploying it: "
                    + "every problem, each with its line, column and field. Fails when there is one.")
    public CommandResult validate(@Mixin WorkflowFile file) throws Exception {
        List<Problem> problems = workflows.validate(file.path, file.read());
        ArrayNode json = Json.array();
        problems.forEach(p -> json.addObject().put("source", p.source()).put("line", p.line())
                .put("column", p.column()).put("pointer", p.pointer()).put("message", p.message()));
        if (problems.isEmpty()) {
            return CommandResult.of(file.path + ": valid", json);
        }
        return problems(file.path, problems, json, "");
    }

    @Command(name = "deploy", header = "validate and store a workflow file by name and version",
            description = "Validates a workflow file and stores it under its name and "
                    + "version (the same name and version is replaced; instances already started keep theirs).")
    public CommandResult deploy(@Mixin WorkflowFile file) throws Exception {
        try {
            DefinitionInfo d = workflows.deploy(file.path, file.read());
            return CommandResult.plain("deployed " + d.name() + " " + d.version() + " (" + d.tasks().size()
                    + " tasks)");
        } catch (WorkflowValidationException e) {
            // deploy answered these in text only, with --json too
            return problems(file.path, e.problems(), null, ", not deployed");
        }
    }

    /**
     * How validate and deploy refuse a file: its problems a line, failing with their count.
     *
     * @param json the problems as JSON, or null for text only
     * @param outcome what the count is followed by ("" or ", not deployed")
     */
    private static CommandResult problems(String file, List<Problem> problems, ArrayNode json, String outcome) {
        String lines = DefinitionFiles.problemLines(problems);
        return (json == null ? CommandResult.plain(lines) : CommandResult.of(lines, json)).failingWith(
                new IllegalArgumentException(file + ": " + problems.size() + " problem(s)" + outcome));
    }
}
