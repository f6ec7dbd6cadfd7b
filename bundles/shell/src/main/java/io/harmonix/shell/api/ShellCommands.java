package io.harmonix.shell.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The Gogo commands of one scope: a DS component providing this interface, its scope named by
 * {@link CommandScope}, whose public methods annotated with picocli's {@code @Command} are its commands. The method
 * is the command: its name is the function ({@code scope:name}), the {@code header} the one line {@code help}
 * lists, the {@code description} the longer {@code --help} text, its parameters picocli's {@code @Option},
 * {@code @Parameters} and {@code @Mixin}, and it returns the {@link CommandResult} to print. The shell bundle picks
 * every such service up and registers one Gogo function per method; {@code --json} and {@code -h/--help} are added
 * to each ({@link CommandLines}).
 *
 * <pre>{@code
 * @Component
 * @CommandScope("cycle")
 * public final class RunControlCommands implements ShellCommands {
 *     private final CycleRunner runner;
 *
 *     @Activate
 *     public RunControlCommands(@Reference CycleRunner runner) {
 *         this.runner = runner;
 *     }
 *
 *     @Command(name = "pause", header = "pause a run after its current cycle", description = "Controls a run.")
 *     public CommandResult pause(@Parameters(paramLabel = "RUN", description = "The run's id.") String runId) {
 *         return RunViews.result(runner.pause(runId));
 *     }
 * }
 * }</pre>
 *
 * <p>A bad argument the command finds itself, after parsing, is a {@link BadArgumentException} (answered with the
 * usage, as picocli's own errors are) or an {@link IllegalArgumentException} whose message says what was wrong and
 * what was expected; any other failure it detects before printing anything is an {@link IllegalStateException}. Methods are called concurrently from several sessions: a command keeps no state
 * of its own between calls (picocli hands every call its own argument values).
 */
@ConsumerType
public interface ShellCommands {
}
