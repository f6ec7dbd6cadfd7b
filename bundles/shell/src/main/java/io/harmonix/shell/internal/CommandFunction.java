package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
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
import org.osgi.service.component.annotations.ReferenceScope;

/**
 * The Gogo function of one {@link ShellCommand} service. Gogo calls a command service that is a {@link Function}
 * directly with the arguments as typed; each call here runs a fresh instance of the command (picocli fills its
 * fields). {@link CommandAdapter} makes one configuration of this factory per command service, with the
 * {@code osgi.command.scope}/{@code osgi.command.function} properties Gogo looks for and a target that binds it to
 * that command alone: DS publishes the function, and withdraws it when the command goes away.
 */
@Component(factory = CommandFunction.FACTORY, service = Function.class)
public class CommandFunction implements Function {
    static final String FACTORY = "io.harmonix.shell.command.function";
    /** Service property: the line {@code help} shows; it marks a function as a {@link ShellCommand}'s. */
    static final String SUMMARY = CommandSummary.PROPERTY;
    /**
     * Configuration property: the filter ({@code service.id}) of the command this function runs. The factory itself
     * is satisfied by any prototype-scope command, and the shell's own {@code help} is one.
     */
    static final String COMMAND_TARGET = "command.target";

    private final ComponentServiceObjects<ShellCommand> command;
    private final String name;

    @Activate
    public CommandFunction(@Reference(name = "command", scope = ReferenceScope.PROTOTYPE_REQUIRED)
            ComponentServiceObjects<ShellCommand> command, Map<String, Object> properties) {
        this.command = command;
        this.name = properties.get(CommandProcessor.COMMAND_SCOPE) + ":"
                + properties.get(CommandProcessor.COMMAND_FUNCTION);
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
        ShellCommand instance = command.getService();
        if (instance == null) {
            // DS could not make an instance: a service the command needs is there but failed to activate (a
            // refused configuration, say); what happened is in the log, the user needs to hear that at least
            throw new IllegalStateException(name + ": not available now: a service it needs could not start "
                    + "(the reason is in log/harmonix.log)");
        }
        try {
            CommandLines.run(instance, out, args);
        } finally {
            command.ungetService(instance);
        }
    }
}
