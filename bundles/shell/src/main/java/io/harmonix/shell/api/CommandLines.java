package io.harmonix.shell.api;

import io.harmonix.config.api.Durations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs a command of a {@link ShellCommands} object on its arguments as the shell does: picocli parses them for the
 * command's method (enum values in any case, durations as {@link Durations} reads them), under its full name
 * {@code scope:name}; {@code -h/--help} prints the usage, and the method's {@link CommandResult} is printed as text,
 * or as JSON with {@code --json}. The shell's command adapter calls it for every Gogo call; tests call it to drive a
 * command without a framework.
 *
 * <p>Bad arguments (picocli's, or a {@link BadArgumentException} the command throws) raise an
 * {@link IllegalArgumentException} whose message names the command, says what was wrong and what was expected, and
 * ends with the usage; the shell prints it and exec mode exits non-zero.
 */
public final class CommandLines {
    private static final int USAGE_WIDTH = 100;

    private CommandLines() {
    }

    /**
     * Parses {@code args} for the command {@code name} of {@code commands}, calls it and prints its result, or its
     * usage for {@code --help}.
     *
     * @param name the command's name in its scope ({@code run} for {@code cycle:run})
     * @param out where help and output go (in the shell, the Gogo session's {@code System.out})
     */
    public static void run(ShellCommands commands, String name, PrintStream out, String... args) throws Exception {
        StandardOptions standard = new StandardOptions();
        CommandLine cli = commandLine(commands, name, standard);
        CommandResult result;
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args == null ? new String[0] : args);
            if (parsed.isUsageHelpRequested()) {
                out.print(usage(cli));
                return;
            }
            new CommandLine.RunLast().execute(parsed);
            result = cli.getExecutionResult();
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(cli.getCommandName() + ": " + e.getMessage() + "\n" + usage(cli));
        } catch (CommandLine.ExecutionException e) {
            if (e.getCause() instanceof BadArgumentException bad) {
                throw new IllegalArgumentException(cli.getCommandName() + ": " + bad.getMessage() + "\n" + usage(cli));
            }
            // the method's own exception, as it threw it
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        new ResultPrinter(out, standard.json).print(result);
    }

    /**
     * Runs a command as {@link #run} does and answers what it printed: for tests, and for callers that hand the
     * output on (a console, a remote call). A failure is thrown as {@link #run} throws it.
     */
    public static String output(ShellCommands commands, String name, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            run(commands, name, out, args);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** @return the usage text of a command, with the standard options, as {@code --help} prints it */
    public static String usage(ShellCommands commands, String name) {
        return usage(commandLine(commands, name, new StandardOptions()));
    }

    /**
     * @return the commands of a {@link ShellCommands} class by name, in name order: its public methods annotated
     *         with {@code @Command}
     * @throws IllegalArgumentException when two methods share a name, or one does not return a {@link CommandResult}
     */
    public static Map<String, Method> commands(Class<?> type) {
        Map<String, Method> commands = new TreeMap<>();
        for (Method method : type.getMethods()) {
            Command command = method.getAnnotation(Command.class);
            if (command == null || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = command.name().equals(CommandLine.Model.CommandSpec.DEFAULT_COMMAND_NAME)
                    ? method.getName() : command.name();
            if (!CommandResult.class.equals(method.getReturnType())) {
                throw new IllegalArgumentException(type.getName() + "." + method.getName()
                        + ": a command method returns CommandResult");
            }
            if (commands.put(name, method) != null) {
                throw new IllegalArgumentException(type.getName() + ": two methods are the command '" + name + "'");
            }
        }
        return Collections.unmodifiableMap(commands);
    }

    /** @return the scope a {@link ShellCommands} class names with {@link CommandScope} */
    public static String scope(Class<?> type) {
        CommandScope scope = type.getAnnotation(CommandScope.class);
        if (scope == null || scope.value().isBlank() || scope.value().contains(":")) {
            throw new IllegalArgumentException(type.getName() + " has no @CommandScope (a name without ':')");
        }
        return scope.value();
    }

    /** @return the line {@code help} lists for a command method: its {@code @Command} header */
    public static String summary(Method command) {
        return String.join(" ", command.getAnnotation(Command.class).header());
    }

    private static CommandLine commandLine(ShellCommands commands, String name, StandardOptions standard) {
        Method method = commands(commands.getClass()).get(name);
        if (method == null) {
            throw new IllegalArgumentException(commands.getClass().getName() + " has no command '" + name + "'");
        }
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                // the method is called on the component itself; mixins of its parameters are made fresh
                return type.isInstance(commands) ? type.cast(commands) : CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine cli = new CommandLine(method, factory)
                .setCommandName(scope(commands.getClass()) + ":" + name)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(false)
                .setUsageHelpWidth(USAGE_WIDTH);
        // the header is help's one-line list entry; --help shows the usage and the description, as it always did
        List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
        sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
        cli.setHelpSectionKeys(sections);
        cli.addMixin("standardOptions", standard);
        cli.registerConverter(Duration.class, text -> {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) { // picocli then says "Invalid value for option '--x': " + this
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        return cli;
    }

    private static String usage(CommandLine cli) {
        StringWriter text = new StringWriter();
        cli.usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
        return text.toString();
    }
}
