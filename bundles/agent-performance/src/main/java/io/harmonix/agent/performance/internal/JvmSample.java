package io.harmonix.agent.performance.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The JVM as one cycle of the agent saw it, from the platform MXBeans; the agent keeps the last N in its state so
 * that trends across cycles (memory growth) are visible.
 *
 * @param at when (epoch milliseconds)
 * @param heapAfterGc bytes of heap in use right after the last collection of each heap pool (the pools' collection
 *     usage, summed): what survives garbage collection, unlike the heap used, which saws up and down
 * @param heapCommitted bytes of heap committed
 * @param gcCount collections since the JVM started, all collectors
 * @param gcMillis time spent in them since the JVM started (approximate: the collectors' accumulated time)
 * @param threads live threads
 * @param processCpu the process's recent CPU load, 0-1 of all processors; -1 when the JVM does not say
 */
record JvmSample(long at, long heapAfterGc, long heapCommitted, long gcCount, long gcMillis, int threads,
        double processCpu) {
    /** @return the JVM now */
    static JvmSample now() {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP && pool.isValid() ? pool.getCollectionUsage() : null;
            afterGc += u == null ? 0 : u.getUsed();
        }
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        double cpu = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuLoad() : -1;
        return new JvmSample(System.currentTimeMillis(), afterGc,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), count, millis,
                ManagementFactory.getThreadMXBean().getThreadCount(), Double.isNaN(cpu) ? -1 : cpu);
    }
}
