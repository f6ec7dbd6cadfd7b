package io.harmonix.agent.performance.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * A short JFR recording of the whole JVM, parsed with {@code jdk.jfr.consumer}: the methods most often on top of
 * the sampled stacks (jdk.ExecutionSample every 10 ms) and the methods that allocated most (jdk.ObjectAllocationSample,
 * by the weight JFR gives each sample). Only these two events are enabled: the recording costs the sampling and no
 * more. The file is written to a temporary folder and deleted after parsing.
 */
final class Profiler {
    private Profiler() {
    }

    /**
     * A frame and how much of the recording it took.
     *
     * @param frame {@code class.method(line)}
     * @param weight samples (CPU) or bytes (allocation)
     * @param share its share of all samples or bytes, 0-1
     */
    record Hot(String frame, long weight, double share) {
    }

    /**
     * What one recording showed.
     *
     * @param samples execution samples taken
     * @param bytes allocation weight sampled
     */
    record Profile(List<Hot> methods, List<Hot> allocations, long samples, long bytes) {
    }

    /**
     * Records the JVM for {@code length} (the calling thread sleeps meanwhile) and parses the recording.
     *
     * @param top how many frames of each kind to return
     */
    static Profile record(Duration length, int top) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("harmonix-jfr");
        Path file = dir.resolve("performance.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ObjectAllocationSample").with("throttle", "150/s");
            r.setToDisk(true);
            r.start();
            Thread.sleep(length.toMillis());
            r.stop();
            r.dump(file);
            return parse(file, top);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    static Profile parse(Path file, int top) throws IOException {
        Map<String, Long> cpu = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String name = e.getEventType().getName();
            if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            String frame = frame(e.getStackTrace().getFrames().get(0));
            if (name.equals("jdk.ExecutionSample")) {
                cpu.merge(frame, 1L, Long::sum);
            } else if (name.equals("jdk.ObjectAllocationSample")) {
                alloc.merge(frame, Math.max(0, e.getLong("weight")), Long::sum);
            }
        }
        long samples = cpu.values().stream().mapToLong(Long::longValue).sum();
        long bytes = alloc.values().stream().mapToLong(Long::longValue).sum();
        return new Profile(top(cpu, samples, top), top(alloc, bytes, top), samples, bytes);
    }

    private static List<Hot> top(Map<String, Long> weights, long total, int top) {
        List<Hot> hot = new ArrayList<>();
        weights.forEach((frame, w) -> hot.add(new Hot(frame, w, total == 0 ? 0 : w / (double) total)));
        hot.sort(Comparator.comparingLong(Hot::weight).reversed().thenComparing(Hot::frame));
        return List.copyOf(hot.subList(0, Math.min(top, hot.size())));
    }

    private static String frame(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        String type = m == null || m.getType() == null ? "?" : m.getType().getName();
        return type + "." + (m == null ? "?" : m.getName()) + (f.getLineNumber() > 0 ? "(" + f.getLineNumber() + ")"
                : "");
    }
}
