package io.harmonix.agent.performance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-second JFR recording of this JVM while a thread spins in {@link #busyLoop}, read by the agent. */
class ProfilerTest {
    @TempDir
    Path dir;

    /** Spins, allocating a little, until told to stop; returns something so that the JIT keeps the work. */
    static long busyLoop(AtomicBoolean stop) {
        long sum = 0;
        while (!stop.get()) {
            for (int i = 0; i < 10_000; i++) {
                sum += Long.numberOfTrailingZeros(sum * 31 + i) ^ i;
            }
            sum += new StringBuilder().append(sum).length();
        }
        return sum;
    }

    /** Allocates arrays of 64 KB until told to stop. */
    static long allocLoop(AtomicBoolean stop) {
        long sum = 0;
        while (!stop.get()) {
            byte[] chunk = new byte[64 * 1024];
            sum += chunk.length + chunk[(int) (sum & 1023)];
        }
        return sum;
    }

    @Test
    void aRecordingOfOneSecondNamesTheBusyLoopAmongTheHottestMethods() throws Exception {
        Settings settings = new Settings(20, 0.01, 0.1, 0.8, 0.2, 1, 5, 10);
        PerformanceAgent agent = new PerformanceAgent(null, dir, new PerformanceAgent.Scope("", settings));
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(() -> busyLoop(stop), "busy");
        Thread alloc = new Thread(() -> allocLoop(stop), "alloc");
        busy.start();
        alloc.start();
        AgentResult r;
        try {
            r = agent.step(new AgentContext("run", 1, null, JsonNodeFactory.instance.objectNode(),
                    Instant.now().plusSeconds(60)));
        } finally {
            stop.set(true);
            busy.join();
            alloc.join();
        }
        CycleFindings found = FindingCycle.read(r.outputs()).orElseThrow();
        TrackedFinding hot = found.findings().stream().filter(f -> f.finding().ruleId().equals("jfr-hot-methods"))
                .findFirst().orElseThrow(() -> new AssertionError(found.findings()));
        assertEquals("telemetry/jfr/cpu", hot.finding().location().file());
        assertTrue(hot.finding().evidence().contains(ProfilerTest.class.getName() + ".busyLoop"),
                hot.finding().evidence());
        System.out.println("hottest methods of a 1 s recording:\n" + hot.finding().evidence());
        TrackedFinding allocations = found.findings().stream()
                .filter(f -> f.finding().ruleId().equals("jfr-allocation-sites")).findFirst()
                .orElseThrow(() -> new AssertionError(found.findings()));
        assertEquals("telemetry/jfr/allocation", allocations.finding().location().file());
        assertTrue(allocations.finding().evidence().contains(ProfilerTest.class.getName() + ".allocLoop"),
                allocations.finding().evidence());
        System.out.println("allocation sites:\n" + allocations.finding().evidence());
        System.out.printf("agent's own cost %.1f ms, the recording %.1f ms%n", r.metrics().get("selfMillis"),
                r.metrics().get("jfrMillis"));
        // no runner, no workflows, no propagator: said, not silently skipped
        assertEquals(List.of("propagator (no Propagator service)", "runner (no CycleRunner service)",
                "workflow (no WorkflowService)"), List.copyOf(found.notAnalysed().keySet()));
        // the recording's cost is told apart from the agent's own (a cold first cycle here: classes loading)
        assertTrue(r.metrics().get("jfrMillis") >= 1000, r.metrics().toString());
        // the JVM sample of the cycle is kept in the state for the trend
        assertEquals(1, r.state().path("jvm").size());
    }
}
