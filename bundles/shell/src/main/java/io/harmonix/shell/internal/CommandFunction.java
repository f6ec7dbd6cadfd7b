package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.api.ShellCommands;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.ServiceObjects;

/**
 * The Gogo function of one command method of a {@link ShellCommands} service, which {@link CommandAdapter} hands to
 * Gogo's command processor under {@code scope:name}. Each call gets the commands' service (DS activates its
 * component at the first call, not at start) and gives it back after.
 *
 * @param summary the line {@code help} lists: the method's picocli header
 * @param ranking the ranking of its commands' service: Gogo calls the highest ranked of a name
 * @param failedComponents the components whose activation failed ({@link FailedComponents}), named when the
 *     commands' service cannot be had
 */
record CommandFunction(String scope, String name, String summary, ServiceObjects<ShellCommands> commands,
        int ranking, Supplier<List<String>> failedComponents) implements Function {
    /** @return {@code scope:name}, as the user types it */
    String fullName() {
        return scope + ":" + name;
    }

    /** @return null: the command has printed its output, and Gogo would print a returned value again */
    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        // System.out: Gogo routes it to the session, or into a pipe, for the calling thread
        Object user = session == null ? null : session.get(SessionUser.VARIABLE);
        SessionUser.runAs(user instanceof String u ? u : null, () -> execute(arguments, System.out));
        return null;
    }

    void execute(List<Object> arguments, PrintStream out) throws Exception {
        String[] args = arguments.stream().map(String::valueOf).toArray(String[]::new);
        ShellCommands instance = service();
        try {
            CommandLines.run(instance, name, out, args);
        } finally {
            commands.ungetService(instance);
        }
    }

    /** @return the command's usage, as {@code --help} prints it */
    String usage() {
        ShellCommands instance = service();
        try {
            return CommandLines.usage(instance, name);
        } finally {
            commands.ungetService(instance);
        }
    }

    private ShellCommands service() {
        ShellCommands instance = commands.getService();
        if (instance == null) {
            // DS could not make the commands' component: a service it needs is there but failed to activate (a
            // refused configuration, say), or the commands just went: the user hears which component failed and
            // why, when SCR says so
            List<String> failed = failedComponents.get();
            throw new IllegalStateException(fullName() + ": not available now: a service it needs could not start"
                    + (failed.isEmpty() ? " (the reason is in log/harmonix.log)"
                            : ": " + String.join("; ", failed) + " (more in log/harmonix.log)"));
        }
        return instance;
    }
}
