package io.harmonix.autonomy.internal.ledger;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.config.api.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ledger upserts per second on this disk, each one as the ledger does it (both locks, the file read and checked
 * whole, the item checked, the file written atomically), beside the raw atomic write of a file of the same size
 * by the same program (temporary file, fsync, rename, fsync of the folder: the physical limit of one upsert).
 *
 * <p>Run (see docs/performance.md): {@code java -cp ... io.harmonix.autonomy.internal.ledger.LedgerBenchmark [DIR]}
 */
public final class LedgerBenchmark {
    private static final int UPSERTS = 300;

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(args.length > 0 ? Files.createDirectories(Path.of(args[0]))
                : Path.of(System.getProperty("java.io.tmpdir")), "ledger-bench");
        System.out.println("| items in the ledger | file bytes | raw atomic writes/s | upserts/s, 1 writer "
                + "| upserts/s, 4 writers | in memory: read, check, write the text per second |");
        System.out.println("|---|---|---|---|---|---|");
        warmUp(dir.resolve("warm-up/backlog.json"));
        for (int size : new int[] {10, 100, 1000}) {
            Path file = dir.resolve(size + "/backlog.json");
            FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
            for (int n = 0; n < size; n++) {
                ledger.upsert(Items.item("repo-" + (n % 7), ItemType.BUG, "item " + n, 1 + n % 5, Risk.LOW));
            }
            byte[] bytes = Files.readAllBytes(file);
            Path raw = file.resolveSibling("raw.json");
            AtomicFiles.write(raw, bytes);
            long t0 = System.nanoTime();
            for (int i = 0; i < UPSERTS; i++) {
                AtomicFiles.write(raw, bytes);
            }
            double rawRate = UPSERTS / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            for (int i = 0; i < UPSERTS; i++) { // updates: the ledger keeps its size
                ledger.upsert(Items.item("repo-" + (i % 7), ItemType.BUG, "item " + (i % size), 2, Risk.LOW));
            }
            double one = UPSERTS / ((System.nanoTime() - t0) / 1e9);
            double four = fourWriters(file, size);
            String text = Files.readString(file);
            t0 = System.nanoTime();
            for (int i = 0; i < UPSERTS; i++) { // what an upsert does besides the disk: the CPU's share
                LedgerDocument.write(LedgerDocument.read(text).items());
            }
            double cpu = UPSERTS / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f (%.2f of raw) | %.0f | %.0f |%n", size,
                    bytes.length, rawRate, one, one / rawRate, four, cpu);
        }
        System.out.println("(in " + dir + ")");
    }

    /** The JIT's first compilations (Jackson, the schema validator) kept out of the figures. */
    private static void warmUp(Path file) {
        FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
        for (int i = 0; i < 400; i++) {
            ledger.upsert(Items.item("warm", ItemType.BUG, "item " + (i % 50), 2, Risk.LOW));
        }
    }

    private static double fourWriters(Path file, int size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            long t0 = System.nanoTime();
            Future<?>[] all = new Future<?>[4];
            for (int w = 0; w < 4; w++) {
                int writer = w;
                all[w] = pool.submit(() -> {
                    FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
                    for (int i = writer; i < UPSERTS; i += 4) {
                        ledger.upsert(Items.item("repo-" + (i % 7), ItemType.BUG, "item " + (i % size), 3,
                                Risk.LOW));
                    }
                    return null;
                });
            }
            for (Future<?> f : all) {
                f.get();
            }
            return UPSERTS / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
