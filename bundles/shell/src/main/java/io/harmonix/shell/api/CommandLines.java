package io.harmonix.shell.api;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import io.harmonix.config.api.Durations;
import picocli.CommandLine;

/**
 * Runs one Gogo command whose options are declared with picocli annotations, so that every command has
 * {@code --help}, typed options, and the same clear message for bad arguments.
 *
 * <p>A Gogo command method takes {@code String... args} and calls {@link #run}. Bad arguments raise an
 * {@link IllegalArgumentException} whose message says which option was wrong, what was expected, and the usage;
 * the shell prints it and exec mode exits non-zero.
 */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * Parses {@code args} into {@code command}'s annotated fields and calls it; prints its usage for
     * {@code -h}/{@code --help}.
     *
     * @param command a picocli {@code @Command} that is {@link Runnable} or {@link Callable}
     * @param out where help and the command's output go (the Gogo session's {@code System.out})
     * @return what a {@link Callable} command returned, else null
     */
    public static Object run(Object command, PrintStream out, String... args) throws Exception {
        return run(command, null, out, args);
    }

    /**
     * As {@link #run(Object, PrintStream, String...)}, for a command class that serves under several names.
     *
     * @param name the name to show in help and errors, or null for the one of its {@code @Command}
     */
    public static Object run(Object command, String name, PrintStream out, String... args) throws Exception {
        CommandLine cli = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(false)
                .setUsageHelpWidth(100);
        if (name != null) {
            cli.setCommandName(name);
        }
        cli.registerConverter(java.time.Duration.class, Durations::parse);
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args == null ? new String[0] : args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(cli.getCommandName() + ": " + e.getMessage() + "\n" + usage(cli));
        }
        if (parsed.isUsageHelpRequested()) {
            out.print(usage(cli));
            return null;
        }
        if (command instanceof Callable<?> callable) {
            return callable.call();
        }
        if (command instanceof Runnable runnable) {
            runnable.run();
            return null;
        }
        throw new IllegalStateException(command.getClass().getName() + " is neither Runnable nor Callable");
    }

    /** @return the usage text of a picocli command */
    public static String usage(Object command) {
        CommandLine cli = command instanceof CommandLine c ? c : new CommandLine(command);
        StringWriter text = new StringWriter();
        cli.usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
        return text.toString();
    }
}
