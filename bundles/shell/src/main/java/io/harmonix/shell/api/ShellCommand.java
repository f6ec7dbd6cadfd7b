package io.harmonix.shell.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One Gogo command: a DS component of prototype scope providing this interface, named by {@link CommandName}
 * ({@code scope:function}, as the user types it), with a {@link CommandSummary} for {@code help}, and whose options
 * are picocli's. The shell bundle picks every such service up and registers its Gogo function; each call gets a
 * fresh instance, parsed by picocli, with {@code --json} and {@code -h/--help} added, and what {@link #call} returns
 * is printed as text or, with {@code --json}, as JSON.
 *
 * <pre>{@code
 * @Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
 * @CommandName("cycle:runs")
 * @CommandSummary("list the runs")
 * @Command(description = "Lists the runs the runner knows, oldest first.")
 * public final class RunsCommand implements ShellCommand { ... }
 * }</pre>
 *
 * <p>A bad argument found by the command itself, after parsing, is a picocli {@code ParameterException} (through an
 * {@code @Spec CommandSpec} field): it is answered as picocli's own, with the usage.
 */
@ConsumerType
public interface ShellCommand {
    /**
     * Runs the command; picocli has set its options and parameters.
     *
     * @return what to print; a failure the command detects before printing anything is an exception instead
     *         ({@link IllegalArgumentException} for a bad argument, {@link IllegalStateException} otherwise)
     */
    CommandResult call() throws Exception;
}
