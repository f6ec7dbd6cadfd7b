package io.harmonix.enhance.internal;

import io.harmonix.enhance.api.ScanProgress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * Where enhancement agents report how far their scans have got, and where {@code enhance:scan} reads it: the latest
 * count per run and agent. Updates are a map put, cheap enough for an agent to call per file.
 */
@Component(service = {ScanProgress.class, ScanProgressBoard.class})
public final class ScanProgressBoard implements ScanProgress {
    /** Files analysed of the total, as last reported. */
    public record Count(int done, int total) {
        @Override
        public String toString() {
            return done + "/" + total + " files";
        }
    }

    /**
     * Runs kept at most: agents report in every run (cycle:run too), and only enhance:scan forgets its own; the
     * oldest others go when there are more.
     */
    public static final int MAX_RUNS = 64;

    private final Map<String, Map<String, Count>> byRun = new ConcurrentHashMap<>();
    private final java.util.Queue<String> order = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public void update(String runId, String agentId, int done, int total) {
        byRun.computeIfAbsent(runId, k -> {
            order.add(k);
            return new ConcurrentHashMap<>();
        }).put(agentId, new Count(done, total));
        while (byRun.size() > MAX_RUNS) {
            String oldest = order.poll();
            if (oldest == null) {
                break;
            }
            byRun.remove(oldest);
        }
    }

    /** @return the latest count of each agent of the run that reported, by agent id */
    public Map<String, Count> of(String runId) {
        Map<String, Count> counts = byRun.get(runId);
        return counts == null ? Map.of() : new TreeMap<>(counts);
    }

    /** Forgets a run once its scan has been shown, so that the board does not grow with every scan. */
    public void forget(String runId) {
        byRun.remove(runId);
        order.remove(runId);
    }
}
