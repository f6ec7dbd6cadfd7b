package io.harmonix.autonomy.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.Policy;
import io.harmonix.autonomy.internal.policy.IndexDecisionLog;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;

/** {@code ledger:policies}: the policies in force and the policy file's problems, if it was refused. */
@Component
@CommandScope("ledger")
public final class LedgerPoliciesCommand implements ShellCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    private IndexDecisionLog decisions;

    @Command(name = "policies", header = "the policies decisions are made under",
            description = "The policies in force (from etc/autonomy-policies.yaml, read again when it changes, or "
                    + "the shipped defaults): id, enforced, title, parameters. When the file was refused (a syntax "
                    + "error, an unknown policy id), its problems as FILE:LINE:COLUMN follow and the command fails "
                    + "(exit 1): the policies shown are the ones kept.")
    public CommandResult policies() {
        List<Policy> policies = decisions.policies();
        List<String> problems = decisions.policyProblems();
        Table t = new Table("ID", "ENFORCED", "TITLE", "PARAMETERS");
        policies.forEach(p -> t.row(p.id(), p.enforced() ? "yes" : "report only", p.title(),
                p.parameters().isEmpty() ? "" : p.parameters()));
        ObjectNode json = Json.object().put("file", decisions.policyFile().toString());
        ArrayNode a = json.putArray("policies");
        policies.forEach(p -> a.addObject().put("id", p.id()).put("title", p.title()).put("enforced", p.enforced())
                .set("parameters", JSON.valueToTree(p.parameters())));
        ArrayNode pr = json.putArray("problems");
        problems.forEach(pr::add);
        if (problems.isEmpty()) {
            return CommandResult.of(t, json);
        }
        return CommandResult.of(t + "\n" + decisions.policyFile() + " was refused; the policies above stay in force:\n"
                + String.join("\n", problems), json).failingWith(new IllegalStateException("ledger:policies: "
                + decisions.policyFile() + " was refused: " + problems.size() + " problem(s)"));
    }
}
