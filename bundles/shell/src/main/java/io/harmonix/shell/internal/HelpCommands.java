package io.harmonix.shell.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code help}: every command with its one-line description, or one command's help. It takes the place of Gogo's
 * {@code felix:help} (a higher {@code service.ranking} under the same name), which lists names only, because Gogo's
 * lists only commands whose service class has a method of the function's name, and Harmonix commands are
 * {@link CommandFunction}s. For a command that is not Harmonix's, {@code help NAME} is answered by Gogo's own.
 */
@Component(property = Constants.SERVICE_RANKING + ":Integer=1")
@CommandScope("felix")
public final class HelpCommands implements ShellCommands {
    private static final String COMMANDS = "(" + CommandProcessor.COMMAND_SCOPE + "=*)";

    private final BundleContext context;

    @Activate
    public HelpCommands(BundleContext context) {
        this.context = context;
    }

    @Command(name = "help", header = "list the commands, or show one's help", description = "Lists every command "
            + "with its description; with COMMAND, that command's help (for a Harmonix command its usage, as "
            + "COMMAND --help prints it).")
    public CommandResult help(@Parameters(arity = "0..1", paramLabel = "COMMAND",
            description = "A command, with or without its scope.") String name) throws Exception {
        Map<String, ServiceReference<?>> commands = commands();
        if (name == null) {
            Table table = new Table("COMMAND", "DESCRIPTION");
            ArrayNode json = Json.array();
            commands.forEach((command, ref) -> {
                String description = description(command, ref);
                table.row(command, description);
                json.addObject().put("command", command).put("description", description);
            });
            return CommandResult.of(table, json);
        }
        String command = commands.containsKey(name) ? name : commands.keySet().stream()
                .filter(c -> c.endsWith(":" + name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("help: no command '" + name + "'; help lists them"));
        ServiceReference<?> ref = commands.get(command);
        if (ref.getProperty(CommandFunction.SUMMARY) == null) {
            return CommandResult.plain(gogoHelp(command, ref));
        }
        String usage = usage(ref);
        return CommandResult.of(usage, Json.object().put("command", command)
                .put("description", description(command, ref)).put("usage", usage));
    }

    /** @return every command by {@code scope:function}, each the service Gogo calls for it (the highest ranked) */
    private Map<String, ServiceReference<?>> commands() throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, COMMANDS);
        Map<String, ServiceReference<?>> commands = new TreeMap<>();
        if (refs == null) {
            return commands;
        }
        Arrays.sort(refs); // lowest ranking first: the one Gogo calls is put last
        for (ServiceReference<?> ref : refs) {
            Object functions = ref.getProperty(CommandProcessor.COMMAND_FUNCTION);
            for (Object function : functions instanceof Object[] array ? array : new Object[] {functions}) {
                commands.put(ref.getProperty(CommandProcessor.COMMAND_SCOPE) + ":" + function, ref);
            }
        }
        return commands;
    }

    /** A Harmonix command's summary; for another command, Gogo's {@code @Descriptor} of its method, if any. */
    private String description(String command, ServiceReference<?> ref) {
        Object line = ref.getProperty(CommandFunction.SUMMARY);
        if (line != null) {
            return line.toString();
        }
        Object service = context.getService(ref);
        try {
            String function = command.substring(command.indexOf(':') + 1);
            return service == null ? "" : Arrays.stream(service.getClass().getMethods())
                    .filter(m -> m.getName().equals(function) && m.isAnnotationPresent(Descriptor.class))
                    .min(Comparator.comparingInt(Method::getParameterCount))
                    .map(m -> m.getAnnotation(Descriptor.class).value()).orElse("");
        } finally {
            context.ungetService(ref);
        }
    }

    private String usage(ServiceReference<?> function) throws InvalidSyntaxException {
        String target = String.valueOf(function.getProperty(CommandFunction.COMMANDS_TARGET));
        ServiceReference<ShellCommands> ref = context.getServiceReferences(ShellCommands.class, target).stream()
                .findFirst().orElseThrow(() -> new IllegalStateException("help: the command is gone"));
        ServiceObjects<ShellCommands> objects = context.getServiceObjects(ref);
        ShellCommands commands = objects.getService();
        if (commands == null) {
            throw new IllegalStateException("help: the command is not available now: a service it needs could not "
                    + "start (the reason is in log/harmonix.log)");
        }
        try {
            return CommandLines.usage(commands,
                    String.valueOf(function.getProperty(CommandProcessor.COMMAND_FUNCTION)));
        } finally {
            objects.ungetService(commands);
        }
    }

    /** Gogo's {@code felix:help COMMAND}, the one this command hides (a public method of a public class). */
    private String gogoHelp(String command, ServiceReference<?> ref) throws Exception {
        ServiceReference<?>[] gogo = context.getServiceReferences((String) null, "(&("
                + CommandProcessor.COMMAND_SCOPE + "=felix)(" + CommandProcessor.COMMAND_FUNCTION + "=help)(!("
                + CommandFunction.SUMMARY + "=*)))");
        if (gogo == null) { // gogo.command is not installed
            return command + "  " + description(command, ref);
        }
        Object help = context.getService(gogo[0]);
        try {
            return String.valueOf(help.getClass().getMethod("help", String.class).invoke(help, command));
        } finally {
            context.ungetService(gogo[0]);
        }
    }
}
