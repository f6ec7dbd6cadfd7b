package io.harmonix.fleet.sandbox.internal.command;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.sandbox.internal.RecordedChecks;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code repo:check}: one record of the sandboxed executor. The other {@code repo:} commands are the fleet's. */
@Component
@CommandScope("repo")
public final class CheckCommands implements ShellCommands {
    @Reference
    private RecordedChecks checks;

    @Command(name = "check", header = "show one check record", description = "Shows one record of the sandboxed "
            + "executor: repository, commit, kind, command, exit code, duration, timed out, isolation and limits "
            + "applied, error, and the last lines of its log (masked, bounded).")
    public CommandResult check(
            @Parameters(index = "0", paramLabel = "ID", description = "The check's id.") long id,
            @Option(names = "--log", description = "The whole log (as kept: head and tail of a long one).")
            boolean log) {
        CheckRecord r = checks.check(id).orElseThrow(() -> new IllegalArgumentException("repo:check: no check " + id
                + (checks.checks(null, 1).isEmpty() ? " (no check was recorded yet)"
                        : " (the newest is " + checks.checks(null, 1).get(0).id() + ")")));
        String limits = checks.limits(id).orElse(null);
        return CommandResult.of(CheckViews.text(r, limits, log), CheckViews.json(r, limits, log));
    }
}
