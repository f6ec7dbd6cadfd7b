package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.ShellCommands;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo function of one command method of a {@link ShellCommands} service. Gogo calls a command service that is
 * a {@link Function} directly with the arguments as typed. {@link CommandAdapter} makes one configuration of this
 * factory per command method, with the {@code osgi.command.scope}/{@code osgi.command.function} properties Gogo
 * looks for and a target that binds it to that service alone: DS publishes the function, and withdraws it when the
 * commands go away.
 */
@Component(factory = CommandFunction.FACTORY, service = Function.class)
public class CommandFunction implements Function {
    static final String FACTORY = "io.harmonix.shell.command.function";
    /** Service property: the line {@code help} shows; it marks a function as a Harmonix command's. */
    static final String SUMMARY = "harmonix.command.summary";
    /** Configuration property: the filter ({@code service.id}) of the {@link ShellCommands} this function calls. */
    static final String COMMANDS_TARGET = "commands.target";

    private final ComponentServiceObjects<ShellCommands> commands;
    private final String scope;
    private final String name;

    @Activate
    public CommandFunction(@Reference(name = "commands") ComponentServiceObjects<ShellCommands> commands,
            Map<String, Object> properties) {
        this.commands = commands;
        this.scope = String.valueOf(properties.get(CommandProcessor.COMMAND_SCOPE));
        this.name = String.valueOf(properties.get(CommandProcessor.COMMAND_FUNCTION));
    }

    /** @return null: the command has printed its output, and Gogo would print a returned value again */
    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        // System.out: Gogo routes it to the session, or into a pipe, for the calling thread
        execute(arguments, System.out);
        return null;
    }

    void execute(List<Object> arguments, PrintStream out) throws Exception {
        String[] args = arguments.stream().map(String::valueOf).toArray(String[]::new);
        ShellCommands instance = commands.getService();
        if (instance == null) {
            // DS could not make the commands' component: a service it needs is there but failed to activate (a
            // refused configuration, say); what happened is in the log, the user needs to hear that at least
            throw new IllegalStateException(name() + ": not available now: a service it needs could not start "
                    + "(the reason is in log/harmonix.log)");
        }
        try {
            CommandLines.run(instance, name, out, args);
        } finally {
            commands.ungetService(instance);
        }
    }

    private String name() {
        return scope + ":" + name;
    }
}
