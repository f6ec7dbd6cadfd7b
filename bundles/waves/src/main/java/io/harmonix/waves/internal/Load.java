package io.harmonix.waves.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How loaded the machine is, and the capacity left for agent instances, 0 (none) to 1 (all the throttle allows).
 *
 * <p>The capacity is the least of three: the system load average per core (full capacity up to {@code 0.5},
 * none from {@code 1.0}: a core's worth of runnable work each), this process's CPU use (full up to {@code 0.5},
 * none from {@code 0.85}), and how much slower the runtime's other runs' cycles have become than their usual
 * ({@code 1.2}x: full, {@code 2}x: none). The first two scale instances down before the machine is saturated, so
 * before the other runs' cycles slow; the third catches what they miss (a disk, a lock).
 *
 * @param loadPerCore the one-minute system load average divided by the cores (negative: unknown)
 * @param processCpu this process's recent CPU use, 0 to 1 of the whole machine (negative: unknown)
 * @param slowdown how much longer the other runs' recent cycles took than their usual (1: as usual)
 */
record Load(double loadPerCore, double processCpu, double slowdown) {
    /** A reading of the machine. */
    @FunctionalInterface
    interface Gauge {
        Load read();
    }

    /** @return the capacity left, 0 to 1 */
    double capacity() {
        double byLoad = loadPerCore < 0 ? 1 : falling(loadPerCore, 0.5, 1.0);
        double byCpu = processCpu < 0 ? 1 : falling(processCpu, 0.5, 0.85);
        double bySlowdown = falling(slowdown, 1.2, 2.0);
        return Math.min(byLoad, Math.min(byCpu, bySlowdown));
    }

    /** 1 up to {@code full}, 0 from {@code none}, linear between. */
    private static double falling(double v, double full, double none) {
        if (v <= full) {
            return 1;
        }
        return v >= none ? 0 : (none - v) / (none - full);
    }

    /**
     * The machine as the JVM sees it: {@link OperatingSystemMXBean#getSystemLoadAverage()} and, where the JVM has it
     * ({@code com.sun.management}), the process's CPU load; the slowdown of the other runs from {@code slowdown}.
     */
    static Gauge machine(java.util.function.DoubleSupplier slowdown) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        int cores = Math.max(1, os.getAvailableProcessors());
        return () -> {
            double avg = os.getSystemLoadAverage();
            double cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
            return new Load(avg < 0 ? -1 : avg / cores, cpu, slowdown.getAsDouble());
        };
    }
}
