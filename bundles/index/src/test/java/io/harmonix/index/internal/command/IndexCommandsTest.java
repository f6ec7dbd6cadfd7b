package io.harmonix.index.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.internal.IndexService;
import io.harmonix.index.internal.IndexSettings;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index: commands on a real index, driven as the shell drives them. */
class IndexCommandsTest {
    @TempDir
    Path dir;

    private IndexService index;
    private IndexCommands commands;

    @BeforeEach
    void open() throws Exception {
        // small segments and a per-run retention in "other", so that prune has whole closed segments to take
        index = new IndexService(dir, new IndexSettings("local", 4096, IndexSettings.Sync.GROUP, Duration.ZERO,
                IndexSettings.Retention.NONE, Map.of("other", new IndexSettings.Retention(null, 0, 2))), m -> { });
        index.appendCycleSnapshots("local", LongStream.rangeClosed(1, 5).mapToObj(c -> snapshot("a", c)).toList());
        for (long c = 1; c <= 40; c++) {
            index.appendCycleSnapshots("other", List.of(snapshot("o", c)));
        }
        commands = Commands.over(new IndexCommands(), index);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private static CycleSnapshot snapshot(String run, long cycle) {
        Instant t = Instant.parse("2026-11-21T00:00:00Z").plusSeconds(cycle);
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), t, t, CycleStatus.OK, List.of(),
                Map.of("agents", 0.0));
    }

    /** @return what the command printed: each call has its own stream, as each Gogo session has */


    @Test
    void theScopeHasItsTenCommandsWithTheirOneLineSummaries() {
        assertEquals("index", CommandLines.scope(IndexCommands.class));
        Map<String, String> summaries = new TreeMap<>();
        CommandLines.commands(IndexCommands.class).forEach((n, m) -> summaries.put(n, CommandLines.summary(m)));
        assertEquals(Map.of("list", "list indexed cycles",
                "show", "show an indexed cycle's snapshot",
                "runs", "list the runs of a namespace",
                "replay", "stream a run's snapshots in order",
                "stats", "sizes, records and Merkle root of each namespace",
                "verify", "re-check every CRC, the Merkle tree and the manifests",
                "prove", "inclusion proof of a cycle against the current root",
                "consistency", "proof that the log only grew between two sizes",
                "prune", "apply retention, or show what it would prune",
                "repair", "the ways out of a damaged namespace"), summaries);
    }

    @Test
    void helpShowsTheUsageAndDescriptionWithTheOptionsLabelledAsBefore() throws Exception {
        String list = CommandLines.output(commands, "list", "--help");
        assertTrue(list.startsWith("Usage: index:list [-h] [--json] [--limit=<limit>] [--offset=<offset>] [-r=RUN] "
                + "[-s=NS]\nLists indexed cycles in log order.\n"), list);
        assertTrue(list.contains("--limit=<limit>     Show this many (default: 20)."), list);
        assertFalse(list.contains("list indexed cycles"), "the header is help's list entry, not --help's");
        assertTrue(CommandLines.output(commands, "replay", "--help").startsWith("Usage: index:replay [-h] [--json] [--from=<from>] [-s=NS] "
                + "[--to=<to>] RUN\n"));
        assertTrue(CommandLines.usage(commands, "consistency")
                .startsWith("Usage: index:consistency [-h] [--json] [-s=NS] OLD-SIZE NEW-SIZE\n"));
    }

    @Test
    void listRunsAndShowReadTheIndex() throws Exception {
        String list = CommandLines.output(commands, "list", "--offset", "1", "--limit", "2");
        assertTrue(list.matches("(?s)SEQ\\s+CYCLE-ID\\s+STATUS\\s+AGENTS\\s+RECORDED\\n\\s+1\\s+a:2\\s+ok\\s+0\\s.*\\n"
                + "\\s+2\\s+a:3\\s+ok\\s+0\\s.*"), list);
        assertTrue(CommandLines.output(commands, "runs", "-s", "other").matches("(?s)RUN\\s+FIRST\\s+LAST\\s+RECORDS\\no\\s+1\\s+40\\s+40\\n"));
        assertTrue(CommandLines.output(commands, "show", "a:3").startsWith("cycle a:3: namespace local, record 2, recorded "));
        assertTrue(CommandLines.output(commands, "show", "o:4", "--json").contains("\"namespace\" : \"other\""));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "show", "ghost:1"));
        assertEquals("index:show: no indexed cycle 'ghost:1' (expected <run>:<cycle>; index:runs lists the runs)",
                none.getMessage());
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "list", "--limit",
                "0"));
        assertEquals("index:list: --offset must be 0 or more and --limit 1 or more", limit.getMessage());
    }

    @Test
    void replayStreamsALinePerCycle() throws Exception {
        assertEquals("a:2 ok 2026-11-21T00:00:02Z agents=0\na:3 ok 2026-11-21T00:00:03Z agents=0\n"
                + "2 cycle(s) replayed\n", CommandLines.output(commands, "replay", "a", "--from", "2", "--to", "3"));
        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "replay", "a", "--from", "3", "--to", "2"));
        assertEquals("index:replay: --from 3 is after --to 2", backwards.getMessage());
    }

    @Test
    void statsAndVerifyCoverEveryNamespaceOrTheOneGiven() throws Exception {
        String stats = CommandLines.output(commands, "stats");
        assertTrue(stats.matches("(?s)NAMESPACE.*\\nlocal\\s+5\\s+5\\s.*\\nother\\s+40\\s+40\\s.*"), stats);
        assertEquals("local: ok, 5 records, " + index.verify("local").bytes() + " bytes\n",
                CommandLines.output(commands, "verify", "-s", "local"));
        assertTrue(CommandLines.output(commands, "verify", "--json").contains("\"namespace\" : \"other\""));
    }

    @Test
    void proofsArePrintedAsTheIndexGivesThem() throws Exception {
        String prove = CommandLines.output(commands, "prove", "a:3");
        assertTrue(prove.startsWith("cycle a:3 is leaf 2 of 5\nleaf hash " + index.prove("a:3").leafHash() + "\n"
                + "path[0]  "), prove);
        assertTrue(prove.endsWith("root      " + index.prove("a:3").root() + "\n"), prove);
        String consistency = CommandLines.output(commands, "consistency", "2", "5", "--json");
        assertTrue(consistency.contains("\"oldSize\" : 2") && consistency.contains("\"newSize\" : 5"), consistency);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "consistency",
                "2"));
        assertTrue(missing.getMessage().startsWith("index:consistency: Missing required parameter: 'NEW-SIZE'\n"
                + "Usage: index:consistency "), missing.getMessage());
    }

    @Test
    void pruneDryRunOnlySaysWhatItWouldTake() throws Exception {
        assertEquals("local: nothing to prune\n", CommandLines.output(commands, "prune"));
        String dry = CommandLines.output(commands, "prune", "--dry-run", "-s", "other");
        assertTrue(dry.matches("(?s).*would prune \\d+ segment\\(s\\), \\d+ records, \\d+ bytes\\n"), dry);
        assertEquals(0, index.stats("other").prunedRecords());
        assertTrue(CommandLines.output(commands, "prune", "-s", "other").contains("pruned "));
        assertTrue(index.stats("other").prunedRecords() > 0);
    }

    @Test
    void repairOfAnIntactNamespaceSaysSoAndTakesOneWayOut() throws Exception {
        assertEquals("other: not damaged, nothing to repair\n", CommandLines.output(commands, "repair", "other"));
        assertTrue(CommandLines.output(commands, "repair", "--json").contains("\"namespace\" : \"local\""));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                commands, "repair", "local", "--truncate", "--from", dir.toString()));
        assertEquals("index:repair: --from and --truncate are two ways out: give one", both.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                commands, "repair", "local", "-s", "other"));
        assertEquals("index:repair: two namespaces given, local and -s other", two.getMessage());
    }
}
