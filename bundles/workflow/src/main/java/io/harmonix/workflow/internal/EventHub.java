package io.harmonix.workflow.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Events. One that a trigger or a subscription wants is stored in the shared database before {@link #publish}
 * returns ({@code WF_EVENT}), then dispatched in order on one thread to subscribers and to {@code triggers}, then
 * marked dispatched; the ones a crash left undispatched are dispatched again at start (triggers are idempotent on
 * the event id). One that nothing wants is not written (the runner publishes four per cycle: writing them all
 * halved its durable cycle rate) and only kept in memory among the last {@value #RECENT} for {@link #recent}.
 * Dispatched events older than a day are deleted.
 */
final class EventHub implements EventService, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Subscription(Pattern type, String filter, Consumer<Event> consumer) {
    }

    static final int RECENT = 1000;

    private final DataSource dataSource;
    private final Consumer<Event> triggers;
    private final java.util.function.Predicate<Event> triggered;
    private final java.util.ArrayDeque<Event> recent = new java.util.ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicLong stored = new java.util.concurrent.atomic.AtomicLong();
    private final Consumer<String> warn;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final EventWaits waits;
    /** Events queued for dispatch and not dispatched yet (one being dispatched counts until it is). */
    private final java.util.concurrent.atomic.AtomicInteger undispatched = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "harmonix-events");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param dataSource where events are stored, or null to keep none
     * @param triggered whether a trigger wants an event (then it is stored and dispatched to {@code triggers})
     * @param awaitable whether a waiting task of a running instance could match an event (then it is kept for it,
     *     within {@code window}, see {@link EventWaits})
     */
    EventHub(DataSource dataSource, java.util.function.Predicate<Event> triggered, Consumer<Event> triggers,
            java.util.function.Predicate<Event> awaitable, EventWindow window, Consumer<String> warn) {
        this.waits = new EventWaits(awaitable, window, warn);
        this.dataSource = dataSource;
        this.triggered = triggered;
        this.triggers = triggers;
        this.warn = warn;
    }

    private static final Map<String, Pattern> GLOBS = new java.util.concurrent.ConcurrentHashMap<>();

    /** @return the pattern of a type glob; compiled once (every runner event is matched against the triggers) */
    static Pattern glob(String pattern) {
        String g = pattern == null ? "*" : pattern;
        Pattern p = GLOBS.get(g);
        if (p == null) {
            p = compile(g);
            if (GLOBS.size() < 1000) {
                GLOBS.put(g, p);
            }
        }
        return p;
    }

    private static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    static Map<String, Object> asMap(Event e) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", e.id());
        m.put("source", e.source());
        m.put("type", e.type());
        m.put("time", e.time().toString());
        m.put("subject", e.subject());
        m.put("data", e.data());
        m.put("specversion", Event.SPEC_VERSION);
        return m;
    }

    /** @return true when the event matches the type pattern and the filter */
    static boolean matches(Event e, Pattern type, String filter) {
        if (!type.matcher(e.type()).matches()) {
            return false;
        }
        return filter == null || Expressions.test(filter, Map.of("event", asMap(e)));
    }

    @Override
    public Event publish(String source, String type, String subject, Map<String, Object> data) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event needs a type");
        }
        Event e = new Event(UUID.randomUUID().toString(), source == null ? "harmonix" : source, type, Instant.now(),
                subject, data == null ? Map.of() : data);
        synchronized (recent) {
            recent.addFirst(e);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        if (!wanted(e)) {
            return e; // nobody acts on it: nothing to store, nothing to dispatch
        }
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("INSERT INTO WF_EVENT (ID, SOURCE, TYPE, EVENT_TIME, "
                            + "SUBJECT, DATA, DISPATCHED) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                s.setString(1, e.id());
                s.setString(2, e.source());
                s.setString(3, e.type());
                s.setTimestamp(4, Timestamp.from(e.time()));
                s.setString(5, e.subject());
                s.setString(6, JSON.writeValueAsString(e.data()));
                s.executeUpdate();
            } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException x) {
                throw new IllegalStateException("event not stored: " + x.getMessage(), x);
            }
        }
        if (dataSource != null && stored.incrementAndGet() % 1000 == 0) {
            dispatcher.execute(this::forgetOld);
        }
        undispatched.incrementAndGet();
        dispatcher.execute(() -> dispatch(e));
        return e;
    }

    private boolean wanted(Event e) {
        for (Subscription s : subscriptions) {
            try {
                if (matches(e, s.type(), s.filter())) {
                    return true;
                }
            } catch (RuntimeException x) {
                return true; // its filter fails on this event: let the dispatch report it
            }
        }
        return triggered.test(e) || waits.wants(e);
    }

    /** Deletes dispatched events older than a day. */
    private void forgetOld() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM WF_EVENT WHERE DISPATCHED = 1 AND "
                        + "EVENT_TIME < ?")) {
            s.setTimestamp(1, Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(1))));
            s.executeUpdate();
        } catch (SQLException x) {
            warn.accept("old events not deleted: " + x.getMessage());
        }
    }

    /** Dispatches what a crash left undispatched. */
    void redispatch() {
        if (dataSource == null) {
            return;
        }
        for (Event e : query("WHERE DISPATCHED = 0 ORDER BY SEQ")) {
            undispatched.incrementAndGet();
            dispatcher.execute(() -> dispatch(e));
        }
        dispatcher.execute(this::forgetOld);
    }

    /** @return how many events wait for their dispatch, or are being dispatched */
    int undispatched() {
        return undispatched.get();
    }

    private void dispatch(Event e) {
        try {
            dispatchNow(e);
        } finally {
            undispatched.decrementAndGet();
        }
    }

    private void dispatchNow(Event e) {
        waits.offer(e); // before the subscribers: one that saw an event knows the waits were offered it
        for (Subscription s : subscriptions) {
            try {
                if (matches(e, s.type(), s.filter())) {
                    s.consumer().accept(e);
                }
            } catch (RuntimeException x) {
                warn.accept("event " + e.type() + " " + e.id() + ": a subscriber failed: " + x.getMessage());
            }
        }
        try {
            triggers.accept(e);
        } catch (RuntimeException x) {
            warn.accept("event " + e.type() + " " + e.id() + ": a trigger failed: " + x.getMessage());
        }
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("UPDATE WF_EVENT SET DISPATCHED = 1 WHERE ID = ?")) {
                s.setString(1, e.id());
                s.executeUpdate();
            } catch (SQLException x) {
                warn.accept("event " + e.id() + " not marked dispatched: " + x.getMessage());
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String typePattern, String filter, Consumer<Event> consumer) {
        if (filter != null) {
            Expressions.variables(filter.contains("${") ? filter : "${" + filter + "}"); // parses, or says why
        }
        Subscription s = new Subscription(glob(typePattern), filter, consumer);
        subscriptions.add(s);
        return () -> subscriptions.remove(s);
    }

    /** An {@code event/wait}: see {@link EventWaits#take}. */
    AutoCloseable take(String typePattern, String filter, Instant since, Consumer<Event> consumer) {
        if (filter != null) {
            Expressions.variables(filter.contains("${") ? filter : "${" + filter + "}"); // parses, or says why
        }
        return waits.take(typePattern, filter, since, consumer);
    }

    @Override
    public List<Event> recent(String typePattern, int limit) {
        Pattern p = glob(typePattern);
        synchronized (recent) {
            return recent.stream().filter(e -> p.matcher(e.type()).matches()).limit(limit).toList();
        }
    }

    private List<Event> query(String tail) {
        List<Event> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT ID, SOURCE, TYPE, EVENT_TIME, SUBJECT, DATA FROM "
                        + "WF_EVENT " + tail);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Event(r.getString(1), r.getString(2), r.getString(3), r.getTimestamp(4).toInstant(),
                        r.getString(5), JSON.readValue(r.getString(6), new TypeReference<Map<String, Object>>() { })));
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException("events: " + x.getMessage(), x);
        }
        return out;
    }

    /**
     * Waits until the events published so far are dispatched (the dispatch thread runs them in order: a no-op
     * queued after them ends after them).
     *
     * @return true when they were, false when {@code timeout} passed first
     */
    boolean awaitDispatched(java.time.Duration timeout) throws InterruptedException {
        try {
            dispatcher.submit(() -> { }).get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // a no-op does not fail
        }
    }

    @Override
    public void close() {
        dispatcher.shutdownNow();
    }
}
