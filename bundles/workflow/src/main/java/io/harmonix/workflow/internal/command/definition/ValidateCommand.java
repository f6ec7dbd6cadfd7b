package io.harmonix.workflow.internal.command.definition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.WorkflowService;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:validate")
@CommandSummary("check a workflow file: every problem with its line and column")
@Command(description = "Checks a workflow file (YAML or JSON) without deploying it: "
        + "every problem, each with its line, column and field. Fails when there is one.")
public final class ValidateCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(paramLabel = "FILE", description = "The workflow file.")
    String file;

    @Activate
    public ValidateCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() throws Exception {
        List<Problem> problems = workflows.validate(file, DefinitionFiles.read(file));
        ArrayNode json = Json.array();
        problems.forEach(p -> json.addObject().put("source", p.source()).put("line", p.line())
                .put("column", p.column()).put("pointer", p.pointer()).put("message", p.message()));
        if (problems.isEmpty()) {
            return CommandResult.of(file + ": valid", json);
        }
        return CommandResult.of(DefinitionFiles.problemLines(problems), json).failingWith(
                new IllegalArgumentException(file + ": " + problems.size() + " problem(s)"));
    }
}
