package io.harmonix.autonomy.internal.command;

import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.internal.ledger.FileBacklogLedger;
import io.harmonix.autonomy.internal.ledger.LedgerDocument;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ledger:validate [FILE]}: the ledger (or a copy of one) checked against docs/formats/backlog.schema.json. */
@Component
@CommandScope("ledger")
public final class LedgerValidateCommand implements ShellCommands {
    @Reference
    private BacklogLedger ledger;

    @Command(name = "validate", header = "check the backlog ledger",
            description = "Checks data/ledger/backlog.json (or FILE) against its JSON Schema "
                    + "(docs/formats/backlog.schema.json) and the ledger's own rules (each id once, updated_at not "
                    + "before created_at). Prints each problem as FILE:LINE:COLUMN: JSON-POINTER: message and fails "
                    + "(exit 1 in exec mode) when there is one. No ledger yet is valid.")
    public CommandResult validate(@Parameters(paramLabel = "FILE", arity = "0..1",
            description = "A ledger file (default: the runtime's data/ledger/backlog.json).") Path file) {
        Path target = file == null ? ledger.path() : file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            // The runtime's limit (a FILE may be a copy of a ledger that large); the default for another BacklogLedger.
            bytes = FileBacklogLedger.bounded(target, ledger instanceof FileBacklogLedger f ? f.maxFileBytes()
                    : FileBacklogLedger.DEFAULT_MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            if (file != null) {
                throw new IllegalArgumentException("ledger:validate: no file " + target);
            }
            return CommandResult.of(target + ": no ledger yet (valid: an empty backlog)",
                    LedgerViews.validation(target, false, 0, List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException("ledger:validate: " + target + " cannot be read: " + e.getMessage(), e);
        }
        LedgerDocument.Read read = LedgerDocument.read(bytes);
        var json = LedgerViews.validation(target, true, read.items().size(), read.problems());
        if (read.valid()) {
            return CommandResult.of(target + ": valid, " + read.items().size() + " item(s)", json);
        }
        return CommandResult.of(LedgerViews.problems(target, read.problems()), json)
                .failingWith(new IllegalStateException("ledger:validate: " + target + " is invalid: "
                        + read.problems().size() + " problem(s)"));
    }
}
