package io.harmonix.shell.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** How every command is parsed and printed: what the shell's adapter runs for each Gogo call. */
class CommandLinesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @CommandName("test:greet")
    @Command(description = "Greets someone.")
    static final class Greet implements ShellCommand {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Who.")
        String name;

        @Option(names = "--unit", paramLabel = "UNIT", description = "A time unit.")
        TimeUnit unit = TimeUnit.SECONDS;

        @Option(names = "--after", paramLabel = "DURATION", description = "A duration.")
        Duration after = Duration.ZERO;

        @Override
        public CommandResult call() {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "NAME must not be blank");
            }
            return CommandResult.of("hello " + name + " " + unit + " " + after.toMillis(),
                    Json.object().put("name", name).put("unit", unit.name()));
        }
    }

    private String run(ShellCommand command, String... args) throws Exception {
        bytes.reset();
        CommandLines.run(command, out, args);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textByDefaultJsonWithTheStandardOptionAndTypedValues() throws Exception {
        assertEquals("hello ann SECONDS 0\n", run(new Greet(), "ann"));
        assertEquals("hello ann MINUTES 90000\n", run(new Greet(), "ann", "--unit", "minutes", "--after", "1m30s"));
        assertEquals("{\n  \"name\" : \"ann\",\n  \"unit\" : \"SECONDS\"\n}\n", run(new Greet(), "--json", "ann"));
    }

    @Test
    void helpPrintsTheUsageWithTheStandardOptionsAndRunsNothing() throws Exception {
        String usage = """
                Usage: test:greet [-h] [--json] [--after=DURATION] [--unit=UNIT] NAME
                Greets someone.
                      NAME               Who.
                      --after=DURATION   A duration.
                  -h, --help             Show this help.
                      --json             Print JSON.
                      --unit=UNIT        A time unit.
                """;
        assertEquals(usage, run(new Greet(), "--help"));
        assertEquals(usage, run(new Greet(), "-h", "--json", "ann"));
        assertEquals(usage, CommandLines.usage(new Greet()));
    }

    @Test
    void badArgumentsNameTheCommandSayWhatWasExpectedAndEndWithTheUsage() {
        String usage = CommandLines.usage(new Greet());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> run(new Greet(), "ann", "--bogus"));
        assertEquals("test:greet: Unknown option: '--bogus'\n" + usage, unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> run(new Greet()));
        assertEquals("test:greet: Missing required parameter: 'NAME'\n" + usage, missing.getMessage());
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
                () -> run(new Greet(), "ann", "--after", "soon"));
        assertTrue(duration.getMessage().startsWith("test:greet: Invalid value for option '--after': "),
                duration.getMessage());
        assertTrue(duration.getMessage().contains("'soon' is not a duration: expected a number with a unit"),
                duration.getMessage());
        IllegalArgumentException byTheCommand = assertThrows(IllegalArgumentException.class,
                () -> run(new Greet(), " "));
        assertEquals("test:greet: NAME must not be blank\n" + usage, byTheCommand.getMessage());
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @CommandName("test:plain")
    static final class Plain implements ShellCommand {
        @Override
        public CommandResult call() {
            return CommandResult.plain("done");
        }
    }

    @CommandName("test:table")
    static final class Listing implements ShellCommand {
        @Override
        public CommandResult call() {
            return CommandResult.of(new Table("A", "B").row("x", 1), Json.array().add("x"));
        }
    }

    @Test
    void plainTextIsTheSameInBothModesAndATableEndsItsOwnLines() throws Exception {
        assertEquals("done\n", run(new Plain()));
        assertEquals("done\n", run(new Plain(), "--json"));
        assertEquals("A  B\nx  1\n", run(new Listing()));
        assertEquals("[ \"x\" ]\n", run(new Listing(), "--json"));
    }

    @CommandName("test:verify")
    static final class Verify implements ShellCommand {
        @Override
        public CommandResult call() {
            return CommandResult.of("a: BAD", Json.object().put("ok", false))
                    .failingWith(new IllegalStateException("test:verify: 1 bad"));
        }
    }

    @Test
    void aFailingResultIsPrintedThenThrown() {
        IllegalStateException text = assertThrows(IllegalStateException.class, () -> run(new Verify()));
        assertEquals("test:verify: 1 bad", text.getMessage());
        assertEquals("a: BAD\n", bytes.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> run(new Verify(), "--json"));
        assertEquals("{\n  \"ok\" : false\n}\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @CommandName("test:follow")
    static final class Follow implements ShellCommand {
        @Override
        public CommandResult call() {
            return CommandResult.streamed(items -> {
                items.item("cycle 1", Json.object().put("z", 1).put("a", 2));
                items.item("only as text", null);
                items.item(null, Json.object().put("only", "json"));
                return CommandResult.of("2 cycles", null);
            });
        }
    }

    @Test
    void aStreamedResultPrintsItemsAsTheyComeAsTextOrJsonLinesThenItsSummary() throws Exception {
        assertEquals("cycle 1\nonly as text\n2 cycles\n", run(new Follow()));
        assertEquals("{\"a\":2,\"z\":1}\n{\"only\":\"json\"}\n", run(new Follow(), "--json"));
    }

    static final class Unnamed implements ShellCommand {
        @Override
        public CommandResult call() {
            return CommandResult.plain("never");
        }
    }

    @Test
    void aCommandWithoutItsNameIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(new Unnamed()));
        assertTrue(e.getMessage().endsWith("Unnamed has no @CommandName"), e.getMessage());
    }
}
