package io.harmonix.propagator.internal;

import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.DeliveryAttempt.Outcome;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.EndpointStatus.State;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Delivers one endpoint's cycles, one request at a time, in index order: so the order per run is kept. Reads the
 * index from its durable cursors; a cursor moves only in the transaction that records the delivering (or
 * dead-lettering) attempt, so a crash at any instant sends a cycle again at worst, with the same webhook-id.
 * Delivering attempts are recorded by a {@link DeliveryRecorder} while the next request is sent; the worker waits
 * for it before any other write, and before it says it is idle.
 */
final class EndpointWorker {
    private static final int BATCH = 256;

    private enum Progress { MORE, CAUGHT_UP, HALTED }

    final Endpoint endpoint;
    private final MeshConfig.Secret secret;
    private final Schedule schedule;
    private final PropagationService service;
    private final PropagationService.Parts parts;
    private final PropagatorSettings settings;
    private final RetryPolicy policy;
    private final TokenBucket bucket;
    final CircuitBreaker breaker;
    private final List<Pattern> runs;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean dataSignal;
    private boolean controlSignal;
    private volatile boolean stopping;
    private volatile DeliveryStore.Flags flags;
    private volatile State state = State.IDLE;
    private volatile Instant nextAttemptAt;
    private volatile DeliveryAttempt lastAttempt;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private final DeliveryRecorder recorder;

    /** @param service told when a cycle is delivered or the endpoint's state changed */
    EndpointWorker(Endpoint endpoint, MeshConfig.Secret secret, PropagationService service,
            PropagationService.Parts parts) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.schedule = Schedule.parse(endpoint.schedule());
        this.service = service;
        this.parts = parts;
        this.settings = parts.settings();
        this.policy = new RetryPolicy(settings, Math::random);
        this.bucket = new TokenBucket(endpoint.ratePerSecond(), endpoint.burst(), System::nanoTime);
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCooldown().toNanos(),
                System::nanoTime);
        this.runs = endpoint.runs().stream().map(EndpointWorker::glob).toList();
        this.recorder = new DeliveryRecorder(parts.store(), endpoint.id(),
                d -> service.delivered(endpoint.id(), d.cycle(), d.attempt()));
        this.thread = new Thread(this::loop, "harmonix-propagate-" + endpoint.id());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the request under way (at most the request timeout); waits for that. */
    void stop() throws InterruptedException {
        stopping = true;
        wakeControl();
        thread.join(settings.timeout().toMillis() + 2000);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(2000);
        }
        recorder.close(); // what was delivered before the stop is recorded
    }

    /** New records were indexed. */
    void wakeData() {
        synchronized (lock) {
            dataSignal = true;
            lock.notifyAll();
        }
    }

    /** Paused, resumed, redelivery asked for, stopping: look again. */
    void wakeControl() {
        synchronized (lock) {
            controlSignal = true;
            dataSignal = true;
            lock.notifyAll();
        }
    }

    void setFlags(DeliveryStore.Flags next) {
        flags = next;
        wakeControl();
    }

    EndpointStatus status(Map<String, Long> sizes, long deadLetters) {
        long lag = 0;
        for (String ns : endpoint.namespaces()) {
            Long size = sizes.get(ns);
            if (size != null) {
                lag += Math.max(0, size - cursors.getOrDefault(ns, 0L));
            }
        }
        DeliveryStore.Flags f = flags == null ? DeliveryStore.Flags.NONE : flags;
        State s = !endpoint.enabled() || f.disabledReason() != null ? State.DISABLED
                : f.paused() ? State.PAUSED : state;
        return new EndpointStatus(endpoint, s, breaker.state(), Map.copyOf(cursors), lag,
                delivered.values().stream().mapToLong(Long::longValue).sum(), deadLetters, lastAttempt,
                s == State.BACKOFF || s == State.IDLE ? nextAttemptAt : null, f.disabledReason());
    }

    boolean loaded() {
        return loaded;
    }

    private boolean active() {
        DeliveryStore.Flags f = flags;
        return !stopping && endpoint.enabled() && f != null && !f.paused() && f.disabledReason() == null;
    }

    private void loop() {
        while (!stopping) {
            try {
                if (!loaded) {
                    load();
                }
                if (!active()) {
                    nextAttemptAt = null;
                    awaitSignal(Long.MAX_VALUE, true);
                    continue;
                }
                if (!schedule.continuous()) {
                    Instant next = schedule.next(Instant.now());
                    state = State.IDLE;
                    nextAttemptAt = next;
                    service.changed();
                    if (!sleepUntil(next)) {
                        continue;
                    }
                    while (deliverPending() == Progress.MORE) {
                        // everything pending at each fire time
                    }
                    continue;
                }
                if (deliverPending() == Progress.CAUGHT_UP) {
                    state = State.IDLE;
                    nextAttemptAt = null;
                    service.changed();
                    awaitSignal(5_000, false);
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (Exception e) {
                // the database or the index went away under us: the component is probably being stopped. The
                // cursors are read again: deliveries whose record failed are sent again
                loaded = false;
                parts.log().warn("propagation to " + endpoint.id() + " paused 1 s: " + e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    private void load() throws SQLException {
        DeliveryStore store = parts.store();
        store.cursors(endpoint.id()).forEach((ns, c) -> {
            cursors.put(ns, c.next());
            delivered.put(ns, c.delivered());
        });
        if (flags == null) {
            flags = store.flags(endpoint.id());
        }
        loaded = true;
    }

    private Progress deliverPending() throws Exception {
        DeliveryStore store = parts.store();
        for (DeliveryStore.Redelivery r : store.redeliveries(endpoint.id())) {
            List<IndexedCycle> c = parts.index().list(r.namespace(), null, r.sequence(), 1);
            if (c.isEmpty() || c.get(0).sequence() != r.sequence()) {
                recorder.flush();
                store.dropRedelivery(endpoint.id(), r);
                parts.log().warn("redelivery to " + endpoint.id() + " of " + r.namespace() + "#" + r.sequence()
                        + " dropped: no longer in the index");
                continue;
            }
            if (!deliver(c.get(0), r)) {
                return Progress.HALTED;
            }
        }
        boolean more = false;
        List<String> present = parts.index().namespaces();
        for (String ns : endpoint.namespaces()) {
            if (!present.contains(ns)) {
                continue;
            }
            long next = cursors.getOrDefault(ns, 0L);
            List<IndexedCycle> batch = parts.index().list(ns, null, next, BATCH);
            if (!batch.isEmpty() && batch.get(0).sequence() > next) {
                parts.log().warn("propagation to " + endpoint.id() + ": " + (batch.get(0).sequence() - next)
                        + " cycles of " + ns + " were pruned from the index before they were delivered");
            }
            long skipTo = -1;
            for (IndexedCycle c : batch) {
                if (!wanted(c)) {
                    skipTo = c.sequence() + 1;
                    cursors.put(ns, skipTo);
                    continue;
                }
                if (skipTo >= 0) {
                    recorder.flush();
                    store.skip(endpoint.id(), ns, skipTo);
                    skipTo = -1;
                }
                if (!deliver(c, null)) {
                    return Progress.HALTED;
                }
            }
            if (skipTo >= 0) {
                recorder.flush();
                store.skip(endpoint.id(), ns, skipTo);
            }
            more |= batch.size() == BATCH;
        }
        if (!more) {
            recorder.flush(); // caught up means recorded: the endpoint is idle only then
        }
        return more ? Progress.MORE : Progress.CAUGHT_UP;
    }

    private boolean wanted(IndexedCycle c) {
        if (!endpoint.events().contains("cycle." + c.snapshot().status().json())) {
            return false;
        }
        String run = c.snapshot().runId();
        return runs.stream().anyMatch(p -> p.matcher(run).matches());
    }

    /** @return true when the cycle is done with (delivered or dead-lettered), false when halted before */
    private boolean deliver(IndexedCycle c, DeliveryStore.Redelivery redelivery) throws Exception {
        String ns = c.namespace();
        long seq = c.sequence();
        String cycleId = c.snapshot().cycleId();
        String messageId = Webhooks.messageId(endpoint.id(), cycleId);
        byte[] body = CycleSnapshots.toCanonicalJson(c.snapshot()).getBytes(StandardCharsets.UTF_8);
        String event = "cycle." + c.snapshot().status().json();
        DeliveryStore store = parts.store();
        int refusals = 0;
        for (int attempt = 1; ; attempt++) {
            if (!awaitPermits()) {
                return false;
            }
            state = State.DELIVERING;
            WebhookSender.Sent sent = parts.sender().send(endpoint.url(), secret, messageId, event, body,
                    settings.timeout());
            refusals += RetryPolicy.isRefusal(sent.status()) ? 1 : 0;
            Outcome outcome = policy.classify(sent.status(), refusals);
            DeliveryAttempt a = new DeliveryAttempt(endpoint.id(), ns, seq, cycleId, messageId, attempt, sent.at(),
                    sent.status(), sent.latencyMillis(), outcome, sent.error());
            lastAttempt = a;
            if (outcome != Outcome.DELIVERED || redelivery != null) {
                recorder.flush(); // the attempts and the cursor are written in order
            }
            switch (outcome) {
                case DELIVERED -> {
                    breaker.success();
                    if (redelivery == null) {
                        recorder.add(new DeliveryRecorder.Delivered(c, a));
                        cursors.put(ns, seq + 1);
                    } else {
                        store.record(a, -1, 1, null, redelivery);
                        service.delivered(endpoint.id(), c, a);
                    }
                    delivered.merge(ns, 1L, Long::sum);
                    return true;
                }
                case DISABLED -> {
                    store.recordAttempt(a);
                    DeliveryStore.Flags f = new DeliveryStore.Flags(flags.paused(), "410 Gone at " + sent.at()
                            + " (cycle " + cycleId + "); propagate:resume " + endpoint.id() + " enables it again");
                    store.setFlags(endpoint.id(), f);
                    flags = f;
                    parts.log().warn("endpoint " + endpoint.id() + " answered 410 Gone: disabled");
                    service.changed();
                    return false;
                }
                case DEAD -> {
                    DeadLetter dead = new DeadLetter(endpoint.id(), ns, seq, cycleId, attempt, sent.status(),
                            sent.error(), Instant.now());
                    store.record(a, redelivery == null ? seq + 1 : -1, 0, dead, redelivery);
                    if (redelivery == null) {
                        cursors.put(ns, seq + 1);
                    }
                    parts.log().warn("endpoint " + endpoint.id() + " refused cycle " + cycleId + " " + refusals
                            + " times (" + sent.error() + "): dead-lettered");
                    service.changed();
                    return true;
                }
                case RETRY -> {
                    store.recordAttempt(a);
                    if (breaker.failure()) {
                        parts.log().warn("endpoint " + endpoint.id() + ": circuit breaker open for "
                                + settings.breakerCooldown().toSeconds() + " s after " + sent.error());
                    }
                }
                default -> store.recordAttempt(a); // REJECTED: tried again up to the configured attempts
            }
            Duration wait = policy.delay(attempt, sent.retryAfter(), Instant.now());
            state = State.BACKOFF;
            nextAttemptAt = Instant.now().plus(wait);
            service.changed();
            if (!sleepUntil(nextAttemptAt)) {
                return false;
            }
        }
    }

    /** Waits for the breaker and the rate limit. @return false when stopped, paused or disabled meanwhile */
    private boolean awaitPermits() throws InterruptedException {
        for (long wait; (wait = breaker.delayNanos()) > 0; ) {
            state = State.BACKOFF;
            nextAttemptAt = Instant.now().plusNanos(wait);
            service.changed();
            if (!sleepUntil(nextAttemptAt)) {
                return false;
            }
        }
        long wait = bucket.take();
        return wait <= 0 ? active() : sleepUntil(Instant.now().plusNanos(wait));
    }

    /** @return true when the time came (and the endpoint is still active), false when it stopped being active */
    private boolean sleepUntil(Instant when) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (!active()) {
                    return false;
                }
                long ms = Duration.between(Instant.now(), when).toMillis();
                if (ms <= 0) {
                    return true;
                }
                controlSignal = false;
                lock.wait(ms);
            }
        }
    }

    private void awaitSignal(long maxMillis, boolean controlOnly) throws InterruptedException {
        synchronized (lock) {
            long end = System.currentTimeMillis() + Math.min(maxMillis, Long.MAX_VALUE / 2);
            while (!stopping && !controlSignal && (controlOnly || !dataSignal)) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            controlSignal = false;
            dataSignal = false;
        }
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
