package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesTest {
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;
    DerbyFixture db;
    Leases leases;

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir, WaveTables.COMPONENT, WaveTables.MIGRATIONS);
        leases = new Leases(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aComponentHasOneOwnerUntilItsLeaseIsReleased() throws Exception {
        assertTrue(leases.claim("/r", "alpha", "quality.w-1-1", "w-1", T0, TTL));
        assertFalse(leases.claim("/r", "alpha", "security.w-2-1", "w-2", T0.plusSeconds(30), TTL));
        assertTrue(leases.claim("/r", "alpha", "quality.w-1-1", "w-1", T0.plusSeconds(30), TTL),
                "its owner claiming again renews it");
        assertTrue(leases.claim("/other", "alpha", "security.w-2-1", "w-2", T0, TTL),
                "the same component name in another target is another component");
        assertEquals(1, leases.releaseWave("w-1"));
        assertTrue(leases.claim("/r", "alpha", "security.w-2-1", "w-2", T0.plusSeconds(31), TTL));
        assertEquals("security.w-2-1", leases.of("/r", "alpha").orElseThrow().agentId());
    }

    @Test
    void anExpiredLeaseIsTakenOverAndARenewedOneIsNot() throws Exception {
        leases.claim("/r", "alpha", "a", "w-1", T0, TTL);
        leases.claim("/r", "beta", "a", "w-1", T0, TTL);
        assertEquals(2, leases.renew("a", T0.plusSeconds(50), TTL), "renewed each cycle: until 10:01:50 now");
        assertFalse(leases.claim("/r", "alpha", "b", "w-2", T0.plusSeconds(70), TTL),
                "renewed, so not expired at 10:01:10");
        assertTrue(leases.claim("/r", "alpha", "b", "w-2", T0.plusSeconds(111), TTL),
                "expired at 10:01:50: its instance crashed; taken over");
        assertEquals("b", leases.of("/r", "alpha").orElseThrow().agentId());
        assertEquals(List.of("beta"), leases.held("a").stream().map(Leases.Lease::component).toList());
    }

    @Test
    void concurrentClaimsOfOneComponentHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String component = "c" + round;
            assertEquals(1, race(16, i -> leases.claim("/r", component, "agent-" + i, "w-" + i, T0, TTL)),
                    "round " + round);
        }
    }

    @Test
    void concurrentTakeoversOfAnExpiredLeaseHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String component = "c" + round;
            leases.claim("/r", component, "crashed", "w-0", T0, TTL);
            Instant later = T0.plus(TTL).plusSeconds(1);
            assertEquals(1, race(16, i -> leases.claim("/r", component, "agent-" + i, "w-" + i, later, TTL)),
                    "round " + round);
            assertFalse(leases.of("/r", component).orElseThrow().agentId().equals("crashed"));
        }
    }

    interface Claim {
        boolean claim(int i) throws Exception;
    }

    /** @return how many of {@code n} claims, released at once from their threads, won */
    private static int race(int n, Claim claim) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<Boolean> c = () -> {
                    go.await();
                    return claim.claim(k);
                };
                results.add(pool.submit(c));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }
}
