package io.harmonix.shell.internal;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;

/**
 * {@code shell:exit} and {@code shell:quit}, registered by the {@link InteractiveConsole} while it runs (so exec
 * and run modes have neither). The console puts the {@code shell} scope first in its session's {@code SCOPE}, so
 * that {@code exit} is this one and not gosh's profile's {@code system:exit} (System.exit(int), which took no
 * default and stopped the framework from a shutdown hook).
 */
public final class ConsoleCommands {
    private final InteractiveConsole console;

    ConsoleCommands(InteractiveConsole console) {
        this.console = console;
    }

    @Descriptor("leave the shell after this line: the runtime stops, exit status 0 or the one given")
    public void exit(CommandSession session,
            @Descriptor("exit status of bin/harmonix, 0 to 255 (default 0)") String... status) {
        if (status.length > 1) {
            throw new IllegalArgumentException("exit: takes one exit status at most, e.g. exit 3");
        }
        console.leave(session, status.length == 0 ? 0 : parse(status[0]), "exit");
    }

    @Descriptor("leave the shell after this line: the runtime stops, exit status 0")
    public void quit(CommandSession session) {
        console.leave(session, 0, "quit");
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
