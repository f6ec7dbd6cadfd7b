package io.harmonix.autonomy.internal.command;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ledger:show ID}: one backlog item with every field. */
@Component
@CommandScope("ledger")
public final class LedgerShowCommand implements ShellCommands {
    @Reference
    private BacklogLedger ledger;

    @Command(name = "show", header = "show one backlog item",
            description = "Every field of a backlog item (the seed's fields), with its evidence links; the decision "
                    + "it refers to is provable with index:prove. ID may be a unique prefix of the id.")
    public CommandResult show(@Parameters(paramLabel = "ID", description = "The item's id (16 hex digits) or a "
            + "unique prefix.") String id) {
        List<BacklogItem> matching = LedgerListCommand.guarded(ledger, "ledger:show").stream()
                .filter(i -> i.id().startsWith(id.toLowerCase(java.util.Locale.ROOT))).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("ledger:show: no backlog item '" + id + "' in " + ledger.path()
                    + " (ledger:list shows the ids)");
        }
        if (matching.size() > 1 && matching.stream().noneMatch(i -> i.id().equals(id))) {
            throw new IllegalArgumentException("ledger:show: '" + id + "' is the start of " + matching.size()
                    + " ids: " + String.join(", ", matching.stream().map(BacklogItem::id).limit(10).toList()));
        }
        BacklogItem item = matching.size() == 1 ? matching.get(0)
                : matching.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        return CommandResult.of(LedgerViews.show(item), LedgerViews.json(item));
    }
}
