package io.harmonix.state.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.internal.StateDatabase;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.store.testing.Throughput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cycle checkpoints per second on embedded Derby (one transaction each: two agent states, the snapshot, the run's
 * last cycle; Derby syncs its log at every commit; checkpoints of concurrent runs share a transaction), with 1 and 8
 * concurrent runs; state load latency; beside the
 * disk's raw rate of small synced writes measured in the same folder by the same program.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} (figures in docs/performance.md).
 */
public final class CheckpointBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHECKPOINTS_PER_RUN = 400;

    private CheckpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "harmonix-bench");
        System.out.printf(Locale.ROOT, "checkpoint benchmark in %s, %d cores, Java %s%n", dir,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double fsync = fsyncRate(dir, 400);
        System.out.printf(Locale.ROOT, "raw synced writes (4 KiB + force): %.0f per second%n", fsync);
        try (DerbyFixture db = DerbyFixture.open(dir)) {
            db.migrator().migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
            StateDatabase states = new StateDatabase(db.dataSource(), id -> null);
            checkpoints(states, 1, "warm"); // warm-up
            double one = checkpoints(states, 1, "one");
            double eight = checkpoints(states, 8, "eight");
            System.out.printf(Locale.ROOT, "1 run: %.0f checkpoints/s (%.2fx the raw synced-write rate)%n", one,
                    one / fsync);
            System.out.printf(Locale.ROOT, "8 concurrent runs: %.0f checkpoints/s in all (%.2fx the raw rate; "
                    + "%.1fx one run)%n", eight, eight / fsync, eight / one);
            loadLatency(states, "one-0");
            states.close();
        }
    }

    /** Small writes each forced to the device: the physical ceiling of one synced commit at a time. */
    static double fsyncRate(Path dir, int writes) throws IOException {
        Path file = dir.resolve("fsync.probe");
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 20; i++) { // warm-up
                block.rewind();
                ch.write(block);
                ch.force(true);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                block.rewind();
                ch.write(block);
                ch.force(true);
            }
            return writes / ((System.nanoTime() - t0) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double checkpoints(StateDatabase states, int runs, String prefix) throws Exception {
        JsonNode state = JSON.readTree("{\"stateVersion\":2,\"files\":29,\"lines\":380,\"todos\":1,\"cycles\":1,"
                + "\"fingerprint\":\"2f1e5a8c0d6b4e3f9a7c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f\"}");
        return Throughput.perSecond(runs, CHECKPOINTS_PER_RUN, r -> {
            String runId = prefix + "-" + r;
            states.createRun(runId, JSON.createObjectNode(), 1, null);
            for (long c = 1; c <= CHECKPOINTS_PER_RUN; c++) {
                Instant now = Instant.now();
                CycleSnapshot s = new CycleSnapshot(1, runId, c, CycleSnapshot.cycleIdOf(runId, c), now, now,
                        CycleStatus.OK, List.of(), Map.of("agents", 2.0));
                states.checkpoint(s, List.of(new AgentCheckpoint("a", 2, state),
                        new AgentCheckpoint("b", 2, state)));
            }
        });
    }

    private static void loadLatency(StateDatabase states, String runId) throws Exception {
        int n = 2000;
        long[] latest = new long[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            states.latest("a", runId);
            latest[i] = System.nanoTime() - t0;
            long cycle = 1 + (i * 7919L) % CHECKPOINTS_PER_RUN;
            t0 = System.nanoTime();
            states.statesAt(runId, cycle);
            at[i] = System.nanoTime() - t0;
        }
        System.out.printf(Locale.ROOT, "load latest state: median %.0f us, p99 %.0f us%n", pct(latest, 50),
                pct(latest, 99));
        System.out.printf(Locale.ROOT, "load all agents' states at a cycle (resume): median %.0f us, p99 %.0f us%n",
                pct(at, 50), pct(at, 99));
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1e3;
    }
}
