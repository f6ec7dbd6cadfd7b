package io.harmonix.shell.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One Gogo command: a picocli {@code @Command} whose name is {@code scope:function} (as the user types it), published
 * as a DS component of prototype scope providing this interface. The shell bundle picks every such service up and
 * registers its Gogo function; each call gets a fresh instance, parsed by picocli, with {@code --json} and
 * {@code -h/--help} added, and what {@link #call} returns is printed as text or, with {@code --json}, as JSON.
 *
 * <pre>{@code
 * @Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
 * @Command(name = "cycle:runs", description = "Lists the runs the runner knows, oldest first.")
 * @Descriptor("list the runs")
 * public final class RunsCommand implements ShellCommand { ... }
 * }</pre>
 *
 * <p>Gogo's {@code @Descriptor} on the class is the one line {@code help} shows for the command (the picocli
 * description when there is none). A bad argument found by the command itself, after parsing, is a picocli
 * {@code ParameterException} (through an {@code @Spec CommandSpec} field): it is answered as picocli's own, with the
 * usage.
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
