package io.harmonix.autonomy.internal.command;

import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ledger:list [--status S] [--repo R]}: the backlog's items. */
@Component
@CommandScope("ledger")
public final class LedgerListCommand implements ShellCommands {
    @Reference
    private BacklogLedger ledger;

    @Command(name = "list", header = "list the backlog's items",
            description = "The items of data/ledger/backlog.json, highest priority first, then oldest: id, "
                    + "repository, type, priority, risk, status, last update and the last decision about it.")
    public CommandResult list(
            @Option(names = "--status", paramLabel = "open|in_progress|done|blocked|cancelled",
                    description = "Only items of this status.") ItemStatus status,
            @Option(names = "--repo", paramLabel = "REPO", description = "Only items of this repository.")
            String repo) {
        var items = guarded(ledger, "ledger:list").stream().filter(i -> status == null || i.status() == status)
                .filter(i -> repo == null || i.repo().equals(repo)).toList();
        return CommandResult.listing(LedgerViews.itemTable(status != null || repo != null), items,
                LedgerViews::itemRow, LedgerViews::json);
    }

    /** @return the items, or the ledger's refusal under this command's name */
    static java.util.List<io.harmonix.autonomy.api.BacklogItem> guarded(BacklogLedger ledger, String command) {
        try {
            return ledger.items();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        }
    }
}
