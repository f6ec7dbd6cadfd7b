package io.harmonix.store.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How the benchmarks measure concurrent writers alike: each writer does its share on a thread of its own, all
 * started together, and the rate counts every operation of every writer over the time until the last one is done.
 */
public final class Throughput {
    private Throughput() {
    }

    /** One writer's share of the work. */
    @FunctionalInterface
    public interface Share {
        /** @param writer the writer's number, from 0 */
        void run(int writer) throws Exception;
    }

    /**
     * @param perWriter how many operations one share does
     * @return operations per second, all writers together
     * @throws java.util.concurrent.ExecutionException wrapping the first failure of a share
     */
    public static double perSecond(int writers, long perWriter, Share share) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> all = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                all.add(pool.submit(() -> {
                    share.run(writer);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            return (double) writers * perWriter / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
