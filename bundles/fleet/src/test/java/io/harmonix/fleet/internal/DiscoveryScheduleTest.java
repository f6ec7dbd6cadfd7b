package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.config.api.CronSchedule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cron schedule of discovery, on a clock the test sets: a millisecond before a fire time, so nothing waits. */
class DiscoveryScheduleTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void firesAtEachFireTimeAndGoesOnAfterAFailure() throws Exception {
        Clock justBefore = Clock.fixed(Instant.parse("2026-11-26T10:00:59.999Z"), ZoneOffset.UTC);
        CountDownLatch three = new CountDownLatch(3);
        AtomicInteger failures = new AtomicInteger();
        Runnable discovery = () -> {
            three.countDown();
            if (three.getCount() == 1) {
                throw new IllegalStateException("a discovery is running since ...");
            }
        };
        try (DiscoverySchedule s = new DiscoverySchedule(CronSchedule.parse("* * * * * *"), discovery, timer,
                justBefore, e -> failures.incrementAndGet()).start()) {
            assertEquals(Instant.parse("2026-11-26T10:01:00Z"), s.nextFire());
            assertTrue(three.await(30, TimeUnit.SECONDS), "fired three times");
            assertEquals(1, failures.get(), "the refused run was reported and the schedule went on");
        }
    }

    @Test
    void aYearlyScheduleWaitsForItsDayAndClosingCancelsIt() {
        Clock now = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
        AtomicInteger runs = new AtomicInteger();
        DiscoverySchedule s = new DiscoverySchedule(CronSchedule.parse("0 0 1 1 *"), runs::incrementAndGet, timer,
                now, e -> { }).start();
        assertTrue(s.nextFire().isAfter(Instant.parse("2026-12-31T00:00:00Z")), s.nextFire().toString());
        assertEquals(1, timer.getQueue().size(), "one timer, for that day");
        s.close();
        assertEquals(0, runs.get());
        assertTrue(timer.getQueue().isEmpty(), "the pending fire was cancelled");
    }
}
