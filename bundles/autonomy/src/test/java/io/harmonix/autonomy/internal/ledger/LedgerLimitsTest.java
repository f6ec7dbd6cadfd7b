package io.harmonix.autonomy.internal.ledger;

import static io.harmonix.autonomy.internal.ledger.Items.item;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.autonomy.api.Risk;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What bounds a read of the ledger: the file's size, and copies kept aside found by their digest, not read again. */
class LedgerLimitsTest {
    @TempDir
    Path dir;

    private final Items.ManualClock clock = new Items.ManualClock("2026-11-26T10:00:00Z");

    @Test
    void aFileOverTheDefaultLimitIsRefusedWithItsSizeAndPathBeforeItIsRead() throws Exception {
        Path file = dir.resolve("backlog.json");
        long size = FileBacklogLedger.DEFAULT_MAX_FILE_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size); // sparse: 64 MiB of zeros that take no disk
        }
        FileBacklogLedger ledger = new FileBacklogLedger(file, clock);

        IllegalStateException refused = assertThrows(IllegalStateException.class, ledger::items);
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains(size
                + " bytes, over the limit of " + FileBacklogLedger.DEFAULT_MAX_FILE_BYTES), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> ledger.upsert(item("a", ItemType.BUG, "x", 1, Risk.LOW)));
        List<LedgerProblem> problems = ledger.validate();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains(size + " bytes") && problems.get(0).line() == 1,
                problems.toString());

        assertEquals(size, Files.size(file), "never written over");
        assertEquals(List.of(), copies(file), "a file too large to read is not copied either");
    }

    @Test
    void theLimitIsConfigurableAndAFileOfExactlyTheLimitIsRead() throws Exception {
        Path file = dir.resolve("backlog.json");
        new FileBacklogLedger(file, clock).upsert(item("a", ItemType.BUG, "x", 1, Risk.LOW));
        long size = Files.size(file);

        assertEquals(1, new FileBacklogLedger(file, clock, size).items().size());
        FileBacklogLedger smaller = new FileBacklogLedger(file, clock, size - 1);
        IllegalStateException refused = assertThrows(IllegalStateException.class, smaller::items);
        assertTrue(refused.getMessage().contains(size + " bytes, over the limit of " + (size - 1)
                + " (maxFileBytes of io.harmonix.autonomy.ledger)"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FileBacklogLedger(file, clock, 0));
    }

    @Test
    void aCopyKeptAsideIsNamedByItsDigestAndFoundByItWithoutBeingReadAgain() throws Exception {
        Path file = dir.resolve("backlog.json");
        FileBacklogLedger ledger = new FileBacklogLedger(file, clock);
        byte[] bad = "{\"version\": 1, \"items\": []} {\"version\": 1}".getBytes(StandardCharsets.UTF_8);
        Files.write(file, bad);

        assertThrows(IllegalStateException.class, ledger::items);
        List<Path> copies = copies(file);
        assertEquals(1, copies.size());
        assertTrue(copies.get(0).getFileName().toString().endsWith("-" + FileBacklogLedger.sha256(bad)),
                copies.get(0).toString());
        assertArrayEquals(bad, Files.readAllBytes(copies.get(0)));

        // Were the copies read, this one would no longer match and a second copy would be made.
        Files.writeString(copies.get(0), "changed by hand");
        clock.advance(60);
        assertThrows(IllegalStateException.class, ledger::items);
        assertEquals(copies, copies(file), "the same content is found by the digest in the copy's name");

        byte[] other = "{\"version\": 1, \"items\": []}\n>>>>>>> theirs\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, other);
        IllegalStateException refused = assertThrows(IllegalStateException.class, ledger::items);
        assertEquals(2, copies(file).size(), "another content, another copy");
        assertTrue(refused.getMessage().contains(FileBacklogLedger.sha256(other)), refused.getMessage());
    }

    private static List<Path> copies(Path file) throws Exception {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("backlog.json.corrupt-")).sorted().toList();
        }
    }
}
