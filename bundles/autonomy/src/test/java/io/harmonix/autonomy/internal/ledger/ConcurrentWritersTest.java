package io.harmonix.autonomy.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers at once, threads of this JVM (each with its own ledger object, as two components would be) and a
 * second JVM process: every write lands, none is lost to another's read-modify-write, and the file validates.
 */
class ConcurrentWritersTest {
    private static final int THREADS = 6;
    private static final int PER_THREAD = 40;
    private static final int PROCESS_ITEMS = 60;

    @TempDir
    Path dir;

    @Test
    void threadsAndAnotherProcessLoseNothing() throws Exception {
        Path file = dir.resolve("ledger/backlog.json");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LedgerWriterProcess.class.getName(), file.toString(), "p",
                String.valueOf(PROCESS_ITEMS)).redirectErrorStream(true).start();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(pool.submit(() -> {
                FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
                start.await();
                for (int n = 0; n < PER_THREAD; n++) {
                    BacklogItem i = ledger.upsert(Items.item("repo-" + thread, ItemType.BUG, "t" + n, 3, Risk.LOW));
                    if (n % 2 == 0) {
                        ledger.setStatus(i.id(), ItemStatus.IN_PROGRESS, null, "run-" + thread);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> w : writers) {
            w.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(other.waitFor(120, TimeUnit.SECONDS), "the other process ends");
        String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, other.exitValue(), said);

        FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
        assertEquals(List.of(), ledger.validate());
        Map<String, BacklogItem> byId = ledger.items().stream()
                .collect(Collectors.toMap(BacklogItem::id, Function.identity()));
        assertEquals(THREADS * PER_THREAD + PROCESS_ITEMS, byId.size(), "every item written is there");
        for (int t = 0; t < THREADS; t++) {
            for (int n = 0; n < PER_THREAD; n++) {
                BacklogItem i = byId.get(BacklogItem.idOf("repo-" + t, ItemType.BUG, "t" + n));
                assertEquals(n % 2 == 0 ? ItemStatus.IN_PROGRESS : ItemStatus.OPEN, i.status(), i.toString());
            }
        }
        for (int n = 0; n < PROCESS_ITEMS; n++) {
            BacklogItem i = byId.get(BacklogItem.idOf("other-process", ItemType.CHORE, "p-" + n));
            assertEquals(3, i.priority(), "the other process's second round of updates landed: " + i);
            assertTrue(!i.updatedAt().isBefore(i.createdAt()));
        }
    }
}
