package io.harmonix.shell.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What a command of {@link ShellCommands} answers: a text form (printed by default) and a JSON form (printed, pretty, with
 * {@code --json}), so that no command decides between them itself. A command that prints as it goes (a run it
 * follows, a log it replays) returns a {@linkplain #streamed streamed} result; one whose output ends in a failure
 * (a verification that found a bad record) returns its output {@linkplain #failingWith failing}.
 *
 * <p>Text is printed as it is, followed by a line break unless it ends with one (empty text prints nothing).
 */
public final class CommandResult {
    private final String text;
    private final JsonNode json;
    private final boolean textInJsonMode;
    private final Streamer streamer;
    private final RuntimeException failure;

    private CommandResult(String text, JsonNode json, boolean textInJsonMode, Streamer streamer,
            RuntimeException failure) {
        this.text = text;
        this.json = json;
        this.textInJsonMode = textInJsonMode;
        this.streamer = streamer;
        this.failure = failure;
    }

    /**
     * @param text what to print without {@code --json}; null for nothing
     * @param json what to print with {@code --json}; null for nothing (the text form of a stream's summary, say)
     */
    public static CommandResult of(String text, JsonNode json) {
        return new CommandResult(text, json, false, null, null);
    }

    /** A table without {@code --json}, {@code json} with it. */
    public static CommandResult of(Table table, JsonNode json) {
        return of(table.toString(), json);
    }

    /**
     * A list, one item at a time: a row of {@code table} without {@code --json}, an element of a JSON array with it,
     * so that a listing command says once how an item is shown in each form.
     *
     * @param row adds the item's row to the table
     * @param json the item's JSON object
     */
    public static <T> CommandResult listing(Table table, Iterable<? extends T> items, BiConsumer<Table, T> row,
            Function<T, ? extends JsonNode> json) {
        ArrayNode array = Json.array();
        for (T item : items) {
            row.accept(table, item);
            array.add(json.apply(item));
        }
        return of(table, array);
    }

    /** Text printed the same with or without {@code --json}: the answer of a command that has no JSON form. */
    public static CommandResult plain(String text) {
        return new CommandResult(Objects.requireNonNull(text, "text"), null, true, null, null);
    }

    /**
     * A result printed as the command goes: {@code streamer} writes each item to the sink it is given (printed at
     * once, on any thread), then returns what to print after them.
     */
    public static CommandResult streamed(Streamer streamer) {
        return new CommandResult(null, null, false, Objects.requireNonNull(streamer, "streamer"), null);
    }

    /** This result, printed, then the command fails with {@code failure} (exec mode exits non-zero). */
    public CommandResult failingWith(RuntimeException failure) {
        return new CommandResult(text, json, textInJsonMode, streamer, Objects.requireNonNull(failure, "failure"));
    }

    String text(boolean jsonMode) {
        return jsonMode && !textInJsonMode ? null : text;
    }

    JsonNode json() {
        return json;
    }

    Streamer streamer() {
        return streamer;
    }

    RuntimeException failure() {
        return failure;
    }

    /** Writes the items of a {@linkplain #streamed streamed} result. */
    @FunctionalInterface
    public interface Streamer {
        /** @return what to print after the items */
        CommandResult stream(ItemSink items) throws Exception;
    }

    /** Where a streamed result writes its items; safe to call from several threads. */
    public interface ItemSink {
        /**
         * Prints one item now: {@code text} as a line without {@code --json}, {@code json} as one line of compact
         * JSON with sorted keys (JSON Lines) with it. Either may be null: nothing is printed in that mode.
         */
        void item(String text, JsonNode json);
    }
}
