package io.harmonix.proposals.internal.command;

import io.harmonix.config.api.Durations;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enhance:proposals}, {@code proposal}, {@code validate}, {@code rollback}, {@code stats}: the ledger's. */
@Component
@CommandScope("enhance")
public final class ProposalCommands implements ShellCommands {
    @Reference
    private EnhancementLedger ledger;

    @Command(name = "proposals", header = "list the enhancements proposed",
            description = "Lists the enhancements of the ledger, newest first: status, agent type, rule, "
                    + "repository, base commit, title.")
    public CommandResult proposals(
            @Option(names = "--status", paramLabel = "S", description = "Only this status: proposed, validating, "
                    + "validated, rejected, applied, rolled_back.") String status,
            @Option(names = "--wave", paramLabel = "W", description = "Only the enhancements of this wave.")
            String wave,
            @Option(names = "--await", paramLabel = "DURATION", description = "First wait (at most this long) until "
                    + "none of them is validating; fails when the time is up first.") Duration await)
            throws InterruptedException {
        EnhancementStatus s;
        try {
            s = status == null ? null : EnhancementStatus.parse(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enhance:proposals: --status: " + e.getMessage());
        }
        if (await != null) {
            long until = System.nanoTime() + await.toNanos();
            List<Enhancement> validating;
            while (!(validating = ledger.enhancements(EnhancementStatus.VALIDATING, wave)).isEmpty()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("enhance:proposals: still validating after "
                            + Durations.format(await) + ": " + String.join(", ", validating.stream()
                                    .map(e -> e.id() + " (wf:instance " + e.workflowInstance() + ")").toList()));
                }
                Thread.sleep(500);
            }
        }
        return CommandResult.listing(ProposalViews.listTable(), ledger.enhancements(s, wave), ProposalViews::row,
                ProposalViews::summary);
    }

    @Command(name = "proposal", header = "show one enhancement",
            description = "Shows an enhancement: its finding, repository, base and result commits, branch, each "
                    + "validation step with its check id (repo:check ID shows the log), the decision and the diff.")
    public CommandResult proposal(@Parameters(index = "0", paramLabel = "ID", description = "The enhancement's id.")
            long id) {
        Enhancement e = find("enhance:proposal", id);
        Enhancement revert = e.revertedBy() == null ? null : ledger.enhancement(e.revertedBy()).orElse(null);
        return CommandResult.of(ProposalViews.text(e, revert), ProposalViews.json(e, revert));
    }

    @Command(name = "validate", header = "validate a proposed enhancement",
            description = "Starts the enhancement-validation workflow on a proposed enhancement (or names the one "
                    + "already validating it); wf:instance ID follows it.")
    public CommandResult validate(@Parameters(index = "0", paramLabel = "ID", description = "The enhancement's id.")
            long id) {
        find("enhance:validate", id);
        String instance = wrap("enhance:validate", () -> ledger.validate(id));
        return CommandResult.of("enhancement " + id + ": validation " + instance + " (wf:instance " + instance + ")",
                Json.object().put("id", id).put("workflowInstance", instance));
    }

    @Command(name = "rollback", header = "roll back an applied enhancement",
            description = "Proposes the revert of an applied enhancement on the head of its repository and "
                    + "validates it like any proposal, on its own harmonix/enhance/ID branch; the original becomes "
                    + "rolled_back once the revert is merged (recorded applied), and stays applied until then.")
    public CommandResult rollback(@Parameters(index = "0", paramLabel = "ID", description = "The enhancement's id.")
            long id) {
        find("enhance:rollback", id);
        Enhancement revert = wrap("enhance:rollback", () -> ledger.rollback(id));
        return CommandResult.of("enhancement " + id + ": rollback proposed as enhancement " + revert.id() + ", "
                + revert.status().id() + (revert.workflowInstance() == null ? ""
                        : " (wf:instance " + revert.workflowInstance() + ")"), ProposalViews.summary(revert));
    }

    @Command(name = "stats", header = "how the proposals fared, per agent type and rule",
            description = "Per agent type and rule: proposals made, validated, rejected, applied, rolled back, the "
                    + "share that was worth making, and the time their validation took. Adaptive deployment of "
                    + "waves reads the same figures.")
    public CommandResult stats() {
        return CommandResult.listing(ProposalViews.statsTable(), ledger.stats(), ProposalViews::statsRow,
                ProposalViews::statsJson);
    }

    private Enhancement find(String command, long id) {
        return ledger.enhancement(id).orElseThrow(() -> new IllegalArgumentException(command + ": no enhancement "
                + id + (ledger.enhancements(null).isEmpty() ? " (none was proposed yet)"
                        : " (enhance:proposals lists them)")));
    }

    private static <T> T wrap(String command, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalStateException | NoSuchElementException e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        }
    }
}
