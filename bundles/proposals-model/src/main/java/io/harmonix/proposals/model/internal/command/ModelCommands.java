package io.harmonix.proposals.model.internal.command;

import io.harmonix.proposals.model.internal.ModelProposals;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enhance:model-propose}: the model asked for fixes of findings that have none. */
@Component
@CommandScope("enhance")
public final class ModelCommands implements ShellCommands {
    @Reference
    private ModelProposals model;

    @Command(name = "model-propose", header = "ask the model for fixes of findings that have none",
            description = "For findings an agent reported without a mechanical fix, asks the configured "
                    + "OpenAI-compatible endpoint (PID io.harmonix.proposals.model; off by default) for a unified "
                    + "diff of the finding's file, and submits each acceptable one to the ledger as agent "
                    + "model.TYPE and validates it (enhance:proposals follows them). Sends the code around each "
                    + "finding, read at its commit, to that endpoint. Each finding's outcome: submitted, refused "
                    + "(with the reason) or skipped (over the budget).")
    public CommandResult propose(
            @Option(names = "--wave", paramLabel = "W", description = "Every finding without a fix in the wave's "
                    + "latest cycle (up to the configured budget).") String wave,
            @Option(names = "--finding", paramLabel = "FINGERPRINT", description = "One finding, from the latest "
                    + "cycle of the newest run that reported it without a fix.") String finding)
            throws InterruptedException {
        if ((wave == null) == (finding == null)) {
            throw new IllegalArgumentException("enhance:model-propose: give either --wave W or --finding FINGERPRINT");
        }
        var outcomes = wave != null ? model.proposeWave(wave) : model.proposeFinding(finding);
        Table table = new Table("FINDING", "AGENT", "WHERE", "STATUS", "ENHANCEMENT", "REASON")
                .ifEmpty("no finding without a fix");
        return CommandResult.listing(table, outcomes,
                (t, o) -> t.row(o.fingerprint().substring(0, Math.min(12, o.fingerprint().length())), o.agentType(),
                        o.file(), o.status(), o.enhancementId() == null ? "-" : o.enhancementId(), o.reason()),
                o -> Json.fields(o, "fingerprint", "agentType", "file", "enhancementId", "status", "reason"));
    }
}
