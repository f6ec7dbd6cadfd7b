package io.harmonix.waves.internal;

import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the coordinator's own work costs, on a real Derby: claiming and releasing component leases, and one cycle's
 * bookkeeping of a large wave (15 instances, 200 findings and 40 proposals each: merge, conflicts, recording).
 * Prints its figures; run with {@code java -cp <test class path> io.harmonix.waves.internal.WavesBenchmark}.
 */
public final class WavesBenchmark {
    private WavesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("waves-bench");
        try (DerbyFixture db = DerbyFixture.open(dir, WaveTables.COMPONENT, WaveTables.MIGRATIONS)) {
            Leases leases = new Leases(db.dataSource());
            Instant now = Instant.now();
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 1000; i++) {
                    leases.claim("/r", "c" + i, "agent-" + (i % 15), "w-" + round, now, Duration.ofMinutes(1));
                }
                long t1 = System.nanoTime();
                leases.releaseWave("w-" + round);
                System.out.printf("leases: 1000 claims %.1f ms (%.2f ms each), release of the wave %.1f ms%n",
                        (t1 - t0) / 1e6, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e6);
            }
            WaveStore store = new WaveStore(db.dataSource());
            CycleSnapshot snapshot = snapshot(15, 200, 40);
            Map<String, List<String>> owned = new LinkedHashMap<>();
            for (int a = 0; a < 15; a++) {
                owned.put("quality.w-bench-" + a, List.of("c" + a));
            }
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                // each round a cycle of its own: a cycle of a wave is recorded once
                Aggregation.Result r = Aggregation.of(round + 1, snapshot.agents(), owned);
                long t1 = System.nanoTime();
                store.recordCycle("w-bench", r, java.time.Instant.now(), true);
                long t2 = System.nanoTime();
                System.out.printf("cycle of 15 instances, %d findings, %d proposals: aggregation %.1f ms, "
                        + "recording %.1f ms (%d conflicts, %d kept)%n", r.findings().size(), 15 * 40,
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6, r.conflicts().size(), r.kept().size());
            }
        }
    }

    /** 15 instances' outputs in the FindingCycle shape; every other proposal overlaps its neighbour. */
    private static CycleSnapshot snapshot(int agents, int findings, int proposals) {
        List<AgentEntry> entries = new ArrayList<>();
        Instant t = Instant.now();
        for (int a = 0; a < agents; a++) {
            List<Finding> fs = new ArrayList<>();
            List<Proposal> ps = new ArrayList<>();
            for (int i = 0; i < findings; i++) {
                String file = "c" + a + "/F" + (i / 50) + ".java";
                Finding f = Finding.of("quality", "rule" + (i % 7), Severity.values()[i % 5], Risk.LOW, "c" + a,
                        new Location(file, 1 + (i % 50) * 2, 1, 1 + (i % 50) * 2, 10), "m", "e", "code " + a + i);
                fs.add(f);
                if (i < proposals) {
                    int line = 1 + (i % 50) * 2;
                    ps.add(new Proposal(f.fingerprint(), "0".repeat(40), "fix", "--- a/" + file + "\n+++ b/" + file
                            + "\n@@ -" + line + ",3 +" + line + ",2 @@\n x\n-y\n z\n", ""));
                }
            }
            AgentContext ctx = new AgentContext("wave-w-bench", 1, null, null, t.plusSeconds(60));
            AgentResult r = FindingCycle.result(ctx, "quality", new Target(Path.of("/r"), "0".repeat(40),
                    List.of("c" + a)), new Analysis(fs, ps, 1, 1, false, Map.of()));
            entries.add(new AgentEntry("quality.w-bench-" + a, "quality", AgentStatus.OK, "d", r.outputs(),
                    Map.of(), 1, null));
        }
        return new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, "wave-w-bench", 1, "wave-w-bench:1", t, t,
                CycleStatus.OK, entries, Map.of());
    }
}
