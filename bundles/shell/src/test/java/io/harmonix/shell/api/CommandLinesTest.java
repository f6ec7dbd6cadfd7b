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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** How every command is parsed and printed: what the shell's adapter runs for each Gogo call. */
class CommandLinesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** The test scope's commands, as a capability writes them. */
    @CommandScope("test")
    public static final class TestCommands implements ShellCommands {
        @Command(name = "greet", header = "greet someone", description = "Greets someone.")
        public CommandResult greet(
                @Parameters(index = "0", paramLabel = "NAME", description = "Who.") String name,
                @Option(names = "--unit", paramLabel = "UNIT", description = "A time unit.",
                        defaultValue = "SECONDS") TimeUnit unit,
                @Option(names = "--after", paramLabel = "DURATION", description = "A duration.",
                        defaultValue = "0s") Duration after) {
            if (name.isBlank()) {
                throw new BadArgumentException("NAME must not be blank");
            }
            return CommandResult.of("hello " + name + " " + unit + " " + after.toMillis(),
                    Json.object().put("name", name).put("unit", unit.name()));
        }

        @Command(name = "plain")
        public CommandResult plain() {
            return CommandResult.plain("done");
        }

        @Command(name = "table")
        public CommandResult table() {
            return CommandResult.listing(new Table("A", "B"), java.util.List.of("x", "yy"),
                    (table, item) -> table.row(item, item.length()), item -> Json.object().put("a", item));
        }

        @Command(name = "verify")
        public CommandResult verify() {
            return CommandResult.of("a: BAD", Json.object().put("ok", false))
                    .failingWith(new IllegalStateException("test:verify: 1 bad"));
        }

        @Command(name = "follow")
        public CommandResult follow() {
            return CommandResult.streamed(items -> {
                items.item("cycle 1", Json.object().put("z", 1).put("a", 2));
                items.item("only as text", null);
                items.item(null, Json.object().put("only", "json"));
                return CommandResult.of("2 cycles", null);
            });
        }

        @Command(name = "fail")
        public CommandResult fail() {
            throw new IllegalStateException("test:fail: as it threw it");
        }
    }

    private final TestCommands commands = new TestCommands();

    private String run(String command, String... args) throws Exception {
        bytes.reset();
        CommandLines.run(commands, command, out, args);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textByDefaultJsonWithTheStandardOptionAndTypedValues() throws Exception {
        assertEquals("hello ann SECONDS 0\n", run("greet", "ann"));
        assertEquals("hello ann MINUTES 90000\n", run("greet", "ann", "--unit", "minutes", "--after", "1m30s"));
        assertEquals("{\n  \"name\" : \"ann\",\n  \"unit\" : \"SECONDS\"\n}\n", run("greet", "--json", "ann"));
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
        assertEquals(usage, run("greet", "--help"));
        assertEquals(usage, run("greet", "-h", "--json", "ann"));
        assertEquals(usage, CommandLines.usage(commands, "greet"));
    }

    @Test
    void badArgumentsNameTheCommandSayWhatWasExpectedAndEndWithTheUsage() {
        String usage = CommandLines.usage(commands, "greet");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> run("greet", "ann", "--bogus"));
        assertEquals("test:greet: Unknown option: '--bogus'\n" + usage, unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> run("greet"));
        assertEquals("test:greet: Missing required parameter: 'NAME'\n" + usage, missing.getMessage());
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
                () -> run("greet", "ann", "--after", "soon"));
        assertTrue(duration.getMessage().startsWith("test:greet: Invalid value for option '--after': "),
                duration.getMessage());
        assertTrue(duration.getMessage().contains("'soon' is not a duration: expected a number with a unit"),
                duration.getMessage());
        IllegalArgumentException byTheCommand = assertThrows(IllegalArgumentException.class,
                () -> run("greet", " "));
        assertEquals("test:greet: NAME must not be blank\n" + usage, byTheCommand.getMessage());
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainTextIsTheSameInBothModesAndATableEndsItsOwnLines() throws Exception {
        assertEquals("done\n", run("plain"));
        assertEquals("done\n", run("plain", "--json"));
        assertEquals("A   B\nx   1\nyy  2\n", run("table"));
        assertEquals("[ {\n  \"a\" : \"x\"\n}, {\n  \"a\" : \"yy\"\n} ]\n", run("table", "--json"));
    }

    @Test
    void aFailingResultIsPrintedThenThrown() {
        IllegalStateException text = assertThrows(IllegalStateException.class, () -> run("verify"));
        assertEquals("test:verify: 1 bad", text.getMessage());
        assertEquals("a: BAD\n", bytes.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> run("verify", "--json"));
        assertEquals("{\n  \"ok\" : false\n}\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamedResultPrintsItemsAsTheyComeAsTextOrJsonLinesThenItsSummary() throws Exception {
        assertEquals("cycle 1\nonly as text\n2 cycles\n", run("follow"));
        assertEquals("{\"a\":2,\"z\":1}\n{\"only\":\"json\"}\n", run("follow", "--json"));
    }

    static final class Unscoped implements ShellCommands {
        @Command(name = "x")
        public CommandResult x() {
            return CommandResult.plain("never");
        }
    }

    @CommandScope("test")
    public static final class Twice implements ShellCommands {
        @Command(name = "x")
        public CommandResult x() {
            return CommandResult.plain("never");
        }

        @Command(name = "x")
        public CommandResult y() {
            return CommandResult.plain("never");
        }
    }

    @Test
    void commandsWithoutScopeOrWithANameTwiceOrAnUnknownNameAreRefused() {
        IllegalArgumentException unscoped = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.run(new Unscoped(), "x", out));
        assertTrue(unscoped.getMessage().endsWith("Unscoped has no @CommandScope (a name without ':')"),
                unscoped.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.commands(Twice.class));
        assertTrue(twice.getMessage().endsWith("Twice: two methods are the command 'x'"), twice.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run("nope"));
        assertTrue(unknown.getMessage().endsWith("TestCommands has no command 'nope'"), unknown.getMessage());
    }

    @Test
    void theCommandsOfAClassAreItsCommandMethodsByNameWithTheirHeaderAsSummary() {
        assertEquals(java.util.List.of("fail", "follow", "greet", "plain", "table", "verify"),
                java.util.List.copyOf(CommandLines.commands(TestCommands.class).keySet()));
        assertEquals("greet someone", CommandLines.summary(CommandLines.commands(TestCommands.class).get("greet")));
        assertEquals("test", CommandLines.scope(TestCommands.class));
    }

    @Test
    void outputAnswersWhatACommandPrintsAndThrowsWhatItThrows() throws Exception {
        assertEquals("hello ann SECONDS 0\n", CommandLines.output(commands, "greet", "ann"));
        assertEquals("done\n", CommandLines.output(commands, "plain", "--json"));
        assertThrows(IllegalStateException.class, () -> CommandLines.output(commands, "verify"));
    }

    @Test
    void aMethodsOwnExceptionComesOutAsItThrewIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run("fail"));
        assertEquals("test:fail: as it threw it", e.getMessage());
    }
}
