package io.harmonix.index.bench;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.api.VerifyReport;
import io.harmonix.index.internal.IndexService;
import io.harmonix.index.internal.IndexSettings;
import io.harmonix.store.testing.Throughput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The index on this disk: appends per second with each sync policy (1 and 8 writers, one snapshot per append),
 * MB/s of batch appends beside the disk's raw sequential write speed measured by the same program in the same
 * folder, and {@code verify} MB/s.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} (figures in docs/performance.md).
 */
public final class IndexBenchmark {
    private IndexBenchmark() {
    }

    /** A snapshot of two agents, about 700 bytes of canonical JSON: the size of a sample-agent cycle. */
    static CycleSnapshot snapshot(String run, long cycle) {
        Instant t = Instant.now();
        String digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        var outputs = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("directory", "/opt/harmonix/work").put("changed", false);
        List<AgentEntry> agents = List.of(
                new AgentEntry("files", "sample", AgentStatus.OK, digest, outputs,
                        Map.of("files", 38.0, "lines", 495.0, "todos", 1.0), 9, null),
                new AgentEntry("quality", "enhancement", AgentStatus.OK, digest, outputs,
                        Map.of("findings", 3.0), 12, null));
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), t, t, CycleStatus.OK, agents,
                Map.of("agents", 2.0, "failed", 0.0, "durationMillis", 12.0));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "harmonix-index-bench");
        System.out.printf(Locale.ROOT, "index benchmark in %s, %d cores, Java %s%n", dir,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (IndexSettings.Sync sync : IndexSettings.Sync.values()) {
            for (int writers : new int[] {1, 8}) {
                int per = sync == IndexSettings.Sync.ALWAYS ? 300 : 2000;
                double rate = appends(dir.resolve(sync + "-" + writers), sync, writers, per);
                System.out.printf(Locale.ROOT, "sync=%s, %d writer(s): %.0f appends/s%n",
                        sync.name().toLowerCase(Locale.ROOT), writers, rate);
            }
        }
        double raw = rawSequentialMBps(dir, 256);
        Path batchDir = dir.resolve("batch");
        try (IndexService index = new IndexService(batchDir, settings(IndexSettings.Sync.GROUP), m -> { })) {
            long bytesBefore = 0;
            long t0 = System.nanoTime();
            int batches = 200;
            for (int b = 0; b < batches; b++) {
                List<CycleSnapshot> batch = new ArrayList<>();
                for (int i = 1; i <= 500; i++) {
                    batch.add(snapshot("batch", (long) b * 500 + i));
                }
                index.appendCycleSnapshots("local", batch);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long bytes = index.stats("local").bytes() - bytesBefore;
            double mbps = bytes / 1e6 / seconds;
            System.out.printf(Locale.ROOT, "batch appends (500 per batch, one sync each): %.1f MB/s, %.0f records/s; "
                    + "raw sequential write (1 MiB blocks, forced at the end): %.1f MB/s; ratio %.2f%n", mbps,
                    batches * 500 / seconds, raw, mbps / raw);
            long v0 = System.nanoTime();
            VerifyReport report = index.verify("local");
            double vs = (System.nanoTime() - v0) / 1e9;
            System.out.printf(Locale.ROOT, "verify: %d records, %.1f MB in %.2f s: %.1f MB/s (%s)%n",
                    report.records(), report.bytes() / 1e6, vs, report.bytes() / 1e6 / vs,
                    report.ok() ? "ok" : report.problem());
        }
    }

    private static IndexSettings settings(IndexSettings.Sync sync) {
        return new IndexSettings("local", 64L << 20, sync, Duration.ZERO, IndexSettings.Retention.NONE,
                Map.of());
    }

    private static double appends(Path dir, IndexSettings.Sync sync, int writers, int perWriter) throws Exception {
        try (IndexService index = new IndexService(dir, settings(sync), m -> { })) {
            return Throughput.perSecond(writers, perWriter, w -> {
                for (long c = 1; c <= perWriter; c++) {
                    index.recordCycle(snapshot("w" + w, c));
                }
            });
        }
    }

    /** Writes {@code mib} MiB in 1 MiB blocks and forces once: the disk's sequential write speed. */
    private static double rawSequentialMBps(Path dir, int mib) throws IOException {
        Path file = dir.resolve("raw.bin");
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < mib; i++) {
                block.rewind();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
            }
            ch.force(true);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(file);
        return mib * 1.048576 / seconds;
    }
}
