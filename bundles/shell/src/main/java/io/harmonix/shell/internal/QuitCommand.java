package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

/** {@code quit}: {@code exit 0}, under the name people try first. */
@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("shell:quit")
@CommandSummary("leave the shell after this line: the runtime stops, exit status 0")
@Command(description = "Leaves the interactive shell after this line: the runtime stops, exit "
        + "status 0.")
public final class QuitCommand implements ShellCommand {
    @Override
    public CommandResult call() {
        ExitCommand.leave(0, "quit");
        return CommandResult.plain("");
    }
}
