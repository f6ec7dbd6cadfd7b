package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code help}: every command with its one-line description, or one command's help. It takes the place of Gogo's
 * {@code felix:help}, which lists names only, and only of commands published as services: Harmonix commands are
 * {@link CommandFunction}s in Gogo's table. The {@link CommandAdapter} makes the one instance and hands it the
 * functions it keeps; for a command that is not Harmonix's, {@code help NAME} is answered by Gogo's own help.
 */
@CommandScope("felix")
public final class HelpCommands implements ShellCommands {
    private static final String SERVICES = "(" + CommandProcessor.COMMAND_SCOPE + "=*)";

    private final Map<String, CommandFunction> harmonix;
    private final BundleContext context;

    HelpCommands(Map<String, CommandFunction> harmonix, BundleContext context) {
        this.harmonix = harmonix;
        this.context = context;
    }

    @Command(name = "help", header = "list the commands, or show one's help", description = "Lists every command "
            + "with its description; with COMMAND, that command's help (for a Harmonix command its usage, as "
            + "COMMAND --help prints it).")
    public CommandResult help(@Parameters(arity = "0..1", paramLabel = "COMMAND",
            description = "A command, with or without its scope.") String name) throws Exception {
        Map<String, String> descriptions = descriptions();
        if (name == null) {
            return CommandResult.listing(new Table("COMMAND", "DESCRIPTION"), descriptions.entrySet(),
                    (table, c) -> table.row(c.getKey(), c.getValue()),
                    c -> Json.object().put("command", c.getKey()).put("description", c.getValue()));
        }
        List<String> named = descriptions.containsKey(name) ? List.of(name) : descriptions.keySet().stream()
                .filter(c -> c.endsWith(":" + name)).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("help: no command '" + name + "'; help lists them");
        }
        if (named.size() > 1) { // as the shell answers the name typed alone (UnscopedNames)
            throw new IllegalArgumentException("help: more than one command has this name: "
                    + String.join(", ", named) + "; give its scope");
        }
        String command = named.get(0);
        CommandFunction function = harmonix.get(command);
        if (function == null) {
            return CommandResult.plain(gogoHelp(command, descriptions.get(command)));
        }
        String usage = function.usage();
        return CommandResult.of(usage, Json.object().put("command", command)
                .put("description", function.summary()).put("usage", usage));
    }

    /**
     * @return every command by {@code scope:function} with its description: a Harmonix command's summary, another's
     *         Gogo {@code @Descriptor} of its method, if any
     */
    private Map<String, String> descriptions() throws InvalidSyntaxException {
        Map<String, String> descriptions = new TreeMap<>();
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, SERVICES);
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object functions = ref.getProperty(CommandProcessor.COMMAND_FUNCTION);
            for (Object function : functions instanceof Object[] array ? array : new Object[] {functions}) {
                descriptions.put(ref.getProperty(CommandProcessor.COMMAND_SCOPE) + ":" + function,
                        descriptor(ref, String.valueOf(function)));
            }
        }
        harmonix.forEach((command, function) -> descriptions.put(command, function.summary()));
        return descriptions;
    }

    private String descriptor(ServiceReference<?> ref, String function) {
        Object service = context.getService(ref);
        try {
            return service == null ? "" : Arrays.stream(service.getClass().getMethods())
                    .filter(m -> m.getName().equals(function) && m.isAnnotationPresent(Descriptor.class))
                    .min(Comparator.comparingInt(Method::getParameterCount))
                    .map(m -> m.getAnnotation(Descriptor.class).value()).orElse("");
        } finally {
            context.ungetService(ref);
        }
    }

    /** Gogo's {@code felix:help COMMAND}, the one this command hides (a public method of a public class). */
    private String gogoHelp(String command, String description) throws Exception {
        ServiceReference<?>[] gogo = context.getServiceReferences((String) null,
                "(&(" + CommandProcessor.COMMAND_SCOPE + "=felix)(" + CommandProcessor.COMMAND_FUNCTION + "=help))");
        if (gogo == null) { // gogo.command is not installed
            return command + "  " + description;
        }
        Object help = context.getService(gogo[0]);
        try {
            return String.valueOf(help.getClass().getMethod("help", String.class).invoke(help, command));
        } finally {
            context.ungetService(gogo[0]);
        }
    }
}
