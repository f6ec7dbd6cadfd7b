package io.harmonix.shell.api;

import io.harmonix.config.api.Durations;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Runs a {@link ShellCommand} on its arguments as the shell does: picocli parses them into a fresh instance, under
 * its {@link CommandName} (enum
 * values in any case, durations as {@link Durations} reads them), {@code -h/--help} prints the usage, and the
 * command's {@link CommandResult} is printed as text, or as JSON with {@code --json}. The shell's command adapter
 * calls it for every Gogo call; tests call it to drive a command without a framework.
 *
 * <p>Bad arguments (picocli's, or a {@code ParameterException} the command throws) raise an
 * {@link IllegalArgumentException} whose message names the command, says what was wrong and what was expected, and
 * ends with the usage; the shell prints it and exec mode exits non-zero.
 */
public final class CommandLines {
    private static final int USAGE_WIDTH = 100;

    private CommandLines() {
    }

    /**
     * Parses {@code args} into {@code command}, calls it and prints its result, or its usage for {@code --help}.
     *
     * @param command a fresh instance: picocli sets its fields
     * @param out where help and output go (in the shell, the Gogo session's {@code System.out})
     */
    public static void run(ShellCommand command, PrintStream out, String... args) throws Exception {
        StandardOptions standard = new StandardOptions();
        CommandLine cli = commandLine(command, standard);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args == null ? new String[0] : args);
            if (parsed.isUsageHelpRequested()) {
                out.print(usage(cli));
                return;
            }
            new ResultPrinter(out, standard.json).print(command.call());
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(cli.getCommandName() + ": " + e.getMessage() + "\n" + usage(cli));
        }
    }

    /** @return the usage text of a command, with the standard options, as {@code --help} prints it */
    public static String usage(ShellCommand command) {
        return usage(commandLine(command, new StandardOptions()));
    }

    private static CommandLine commandLine(ShellCommand command, StandardOptions standard) {
        CommandName name = command.getClass().getAnnotation(CommandName.class);
        if (name == null) {
            throw new IllegalStateException(command.getClass().getName() + " has no @CommandName");
        }
        // lenient: a command without options needs no picocli annotation of its own
        CommandLine cli = new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObjectLenient(command))
                .setCommandName(name.value())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(false)
                .setUsageHelpWidth(USAGE_WIDTH);
        cli.addMixin("standardOptions", standard);
        cli.registerConverter(Duration.class, Durations::parse);
        return cli;
    }

    private static String usage(CommandLine cli) {
        StringWriter text = new StringWriter();
        cli.usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
        return text.toString();
    }
}
