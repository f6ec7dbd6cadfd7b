package io.harmonix.autonomy.internal.ledger;

import static io.harmonix.autonomy.internal.ledger.Items.item;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.autonomy.api.Risk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger edited by hand into an invalid state: refused with the reason (JSON Pointer, line and column), a copy kept
 * aside once, never written over, and writable again once repaired.
 */
class CorruptLedgerTest {
    @TempDir
    Path dir;

    /** Each edit of a valid two-item file, the pointer and line of the problem it makes, and words of its message. */
    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("invalid JSON", (UnaryOperator<String>) t -> t.replaceFirst("\"repo\" : \"a\",",
                        "\"repo\" : \"a\""), "", 0, "not valid JSON"),
                Arguments.of("a bad enum", (UnaryOperator<String>) t -> t.replaceFirst("\"risk\" : \"low\"",
                        "\"risk\" : \"extreme\""), "/items/0/risk", 8, "low"),
                Arguments.of("a priority out of range", (UnaryOperator<String>) t -> t.replaceFirst(
                        "\"priority\" : 1", "\"priority\" : 9"), "/items/0/priority", 7, "maximum value of 5"),
                Arguments.of("a missing field", (UnaryOperator<String>) t -> t.replaceFirst(
                        "    \"workflow\" : null,\n", ""), "/items/0/workflow", 3, "required property 'workflow'"),
                Arguments.of("an unknown field", (UnaryOperator<String>) t -> t.replaceFirst("\"repo\" : \"a\",",
                        "\"repo\" : \"a\", \"title\" : \"x\","), "/items/0/title", 5, "not defined in the schema"),
                Arguments.of("an id of the wrong form", (UnaryOperator<String>) t -> t.replaceFirst(
                        "\"id\" : \"[0-9a-f]{16}\"", "\"id\" : \"ABC\""), "/items/0/id", 4, "pattern"),
                Arguments.of("a duplicate id", (UnaryOperator<String>) t -> {
                    String first = t.substring(t.indexOf("\"id\" : \"") + 8, t.indexOf("\"id\" : \"") + 24);
                    return t.substring(0, t.lastIndexOf("\"id\" : \"") + 8) + first
                            + t.substring(t.lastIndexOf("\"id\" : \"") + 24);
                }, "/items/1/id", 0, "duplicate id"),
                Arguments.of("a key given twice", (UnaryOperator<String>) t -> t.replaceFirst("\"repo\" : \"a\",",
                        "\"repo\" : \"a\", \"repo\" : \"b\","), "", 5, "Duplicate field 'repo'"),
                Arguments.of("updated before created", (UnaryOperator<String>) t -> t.replaceFirst(
                        "\"updated_at\" : \"2026-11-26T10:00:00Z\"", "\"updated_at\" : \"2026-11-25T10:00:00Z\""),
                        "/items/0/updated_at", 0, "before created_at"),
                Arguments.of("a date that is not one", (UnaryOperator<String>) t -> t.replaceFirst(
                        "\"created_at\" : \"2026-11-26T10:00:00Z\"", "\"created_at\" : \"yesterday\""),
                        "/items/0/created_at", 11, "date-time"),
                Arguments.of("not the document shape", (UnaryOperator<String>) t -> "[]", "", 1, "object"),
                // A first document that is valid and empty, the real items after it: read as the first, the next
                // write would keep an empty backlog and drop the rest.
                Arguments.of("a second document after the first", (UnaryOperator<String>) t ->
                        "{\"version\": 1, \"items\": []}\n" + t, "", 2, "a second document starts here"),
                Arguments.of("a merge conflict's tail", (UnaryOperator<String>) t -> t + "\n>>>>>>> theirs\n", "",
                        0, "Unexpected character ('>'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anInvalidLedgerIsRefusedKeptAsideAndNeverOverwritten(String what, UnaryOperator<String> edit,
            String pointer, int line, String says) throws Exception {
        Items.ManualClock clock = new Items.ManualClock("2026-11-26T10:00:00Z");
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("backlog.json"), clock);
        ledger.upsert(item("a", ItemType.BUG, "first", 1, Risk.LOW));
        ledger.upsert(item("a", ItemType.BUG, "second", 2, Risk.LOW));
        String good = Files.readString(ledger.path());
        String bad = edit.apply(good);
        assertTrue(!bad.equals(good), "the edit changed the file");
        Files.writeString(ledger.path(), bad);

        List<LedgerProblem> problems = ledger.validate();
        assertTrue(problems.stream().anyMatch(p -> p.pointer().equals(pointer) && p.message().contains(says)
                && (line == 0 || p.line() == line) && p.line() > 0 && p.column() > 0),
                what + ": expected a problem at " + pointer + (line > 0 ? " line " + line : "") + " saying '" + says
                        + "', got " + problems);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ledger.upsert(item("a", ItemType.BUG, "third", 1, Risk.LOW)));
        assertTrue(refused.getMessage().contains("invalid") && refused.getMessage().contains("backlog.json:"),
                refused.getMessage());
        assertThrows(IllegalStateException.class, ledger::items);
        assertThrows(IllegalStateException.class, () -> ledger.setStatus("0123456789abcdef", ItemStatus.DONE,
                null, null));
        assertEquals(bad, Files.readString(ledger.path()), "the invalid file is never written over");

        List<Path> copies = copies(ledger);
        assertEquals(1, copies.size(), "one copy kept aside however often it is refused: " + copies);
        assertArrayEquals(bad.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(copies.get(0)));

        Files.writeString(ledger.path(), good); // a person repairs it
        BacklogItem third = ledger.upsert(item("a", ItemType.BUG, "third", 1, Risk.LOW));
        assertEquals(3, ledger.items().size());
        assertEquals(third, ledger.item(third.id()).orElseThrow());
        assertEquals(1, copies(ledger).size(), "the copy stays");
    }

    private static List<Path> copies(FileBacklogLedger ledger) throws Exception {
        try (Stream<Path> s = Files.list(ledger.path().getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("backlog.json.corrupt-")).toList();
        }
    }
}
