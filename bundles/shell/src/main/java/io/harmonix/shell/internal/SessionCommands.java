package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.osgi.service.component.annotations.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code exit [N]} and {@code quit}: leave the interactive shell after the current line; the runtime stops and
 * {@code bin/harmonix} exits with N. The console puts the {@code shell} scope first in its session, so that
 * {@code exit} is this one and not the gosh profile's {@code system:exit} (System.exit(int), which took no default
 * and stopped the framework from a shutdown hook).
 */
@Component
@CommandScope("shell")
public final class SessionCommands implements ShellCommands {
    @Command(name = "exit", header = "leave the shell after this line: the runtime stops, exit status 0 or the one "
            + "given", description = "Leaves the interactive shell after this line: the runtime stops and "
            + "bin/harmonix exits with STATUS.")
    public CommandResult exit(@Parameters(arity = "0..1", paramLabel = "STATUS", description = "Exit status of "
            + "bin/harmonix, 0 to 255 (default 0).") String status) {
        leave(status == null ? 0 : parse(status), "exit");
        return CommandResult.plain("");
    }

    /** {@code exit 0}, under the name people try first. */
    @Command(name = "quit", header = "leave the shell after this line: the runtime stops, exit status 0",
            description = "Leaves the interactive shell after this line: the runtime stops, exit status 0.")
    public CommandResult quit() {
        leave(0, "quit");
        return CommandResult.plain("");
    }

    /** Marks the console's session: the console ends after the line (see InteractiveConsole.EXIT). */
    static void leave(int status, String command) {
        Job job = Job.Utils.current();
        CommandSession session = job == null ? null : job.session();
        if (session == null || session.get(InteractiveConsole.CONSOLE_SESSION) == null) {
            throw new IllegalStateException(command + ": leaves the interactive shell, and this session is "
                    + "another one (exec mode ends after its last command; a nested shell ends with Ctrl-D)");
        }
        session.put(InteractiveConsole.EXIT, status);
    }

    static int parse(String status) {
        try {
            int n = Integer.parseInt(status.trim());
            if (n >= 0 && n <= 255) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("exit: the exit status is a whole number from 0 to 255, not '" + status
                + "'");
    }
}
