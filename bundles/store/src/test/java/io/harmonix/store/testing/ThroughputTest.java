package io.harmonix.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThroughputTest {
    @Test
    void everyWriterDoesItsShareOnAThreadOfItsOwn() throws Exception {
        AtomicLong done = new AtomicLong();
        Set<Integer> writers = ConcurrentHashMap.newKeySet();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        double rate = Throughput.perSecond(4, 10, w -> {
            writers.add(w);
            threads.add(Thread.currentThread());
            for (int i = 0; i < 10; i++) {
                done.incrementAndGet();
            }
        });
        assertEquals(40, done.get());
        assertEquals(Set.of(0, 1, 2, 3), writers);
        assertEquals(4, threads.size());
        assertTrue(rate > 0);
    }

    @Test
    void aFailingShareFailsTheMeasurement() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> Throughput.perSecond(2, 1, w -> {
            throw new IllegalStateException("disk full");
        }));
        assertEquals("disk full", e.getCause().getMessage());
    }
}
