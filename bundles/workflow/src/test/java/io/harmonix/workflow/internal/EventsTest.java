package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events on a real Derby: stored, subscribed with patterns and filters, triggers, wait_for_event, emit. */
class EventsTest {
    @TempDir
    Path dir;

    private DerbyFixture db;
    private WorkflowEngine engine;
    private EventHub events;

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir);
        db.migrator().migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        engine = new WorkflowEngine(new DefinitionStore(db.dataSource()), new InstanceStore(db.dataSource()),
                System.err::println);
        engine.addHandler("noop", ctx -> ctx.input(), List.of("core"), List.of("noop"));
        useEvents(EventWindow.DEFAULT);
    }

    private void useEvents(EventWindow window) {
        if (events != null) {
            events.close();
        }
        events = new EventHub(db.dataSource(), engine::hasTrigger, engine::triggered, engine::awaitable, window,
                System.err::println);
        engine.useEvents(events);
    }

    @AfterEach
    void tearDown() {
        events.close();
        engine.close();
        db.close();
    }

    private InstanceInfo awaitInstanceOf(String workflow) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            for (InstanceInfo i : engine.instances()) {
                if (i.workflow().equals(workflow)) {
                    return engine.await(i.id(), Duration.ofSeconds(10));
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no instance of " + workflow);
    }

    @Test
    void eventsAreStoredAndReachSubscribersByTypePatternAndFilter() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        try (AutoCloseable s = events.subscribe("order.*", "event.data.amount > 10", e -> got.add(e.subject()))) {
            events.publish("test", "order.created", "o1", Map.of("amount", 5));
            events.publish("test", "order.created", "o2", Map.of("amount", 50));
            events.publish("test", "invoice.created", "i1", Map.of("amount", 500));
            long end = System.currentTimeMillis() + 5000;
            while (got.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
        }
        assertEquals(List.of("o2"), got);
        List<Event> recent = events.recent("order.*", 10);
        assertEquals(List.of("o2", "o1"), recent.stream().map(Event::subject).toList(), "newest first");
        assertEquals(50, ((Number) recent.get(0).data().get("amount")).intValue());
        // only what a subscription or a trigger wanted was written to the database
        List<String> storedIds = new ArrayList<>();
        try (var c = db.dataSource().getConnection(); var q = c.prepareStatement("SELECT SUBJECT FROM WF_EVENT");
                var r = q.executeQuery()) {
            while (r.next()) {
                storedIds.add(r.getString(1));
            }
        }
        assertEquals(List.of("o2"), storedIds);
    }

    @Test
    void aTriggerStartsOneInstancePerEventWithItsInputFromTheEvent() throws Exception {
        engine.deploy("t.yaml", """
                name: on_order
                version: 1
                input:
                  order: {type: string}
                  amount: {type: integer}
                on:
                  - type: order.*
                    filter: event.data.amount >= 100
                    input: {order: "${event.subject}", amount: "${event.data.amount}"}
                tasks:
                  a: {component: core, action: noop, input: {o: "${input.order}", x: "${input.amount * 2}"}}
                output:
                  order: ${tasks.a.output.o}
                  double: ${tasks.a.output.x}
                """);
        events.publish("test", "order.created", "small", Map.of("amount", 1));
        Event big = events.publish("test", "order.created", "big", Map.of("amount", 150));
        InstanceInfo i = awaitInstanceOf("on_order");
        assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
        assertEquals(Map.of("order", "big", "double", 300), Map.of("order", i.output().get("order"), "double",
                ((Number) i.output().get("double")).intValue()));
        engine.triggered(big); // dispatched again, as after a crash: nothing starts twice
        Thread.sleep(200);
        assertEquals(1, engine.instances().stream().filter(x -> x.workflow().equals("on_order")).count());
    }

    @Test
    void waitForEventGetsTheMatchingEventOrTimesOutAndEmitPublishes() throws Exception {
        engine.deploy("w.yaml", """
                name: waiter
                version: 1
                tasks:
                  pay:
                    component: event
                    action: wait
                    input: {type: payment.*, filter: "event.subject == 'o7'"}
                    timeout: 10s
                  done:
                    component: event
                    action: emit
                    input: {type: order.paid, subject: o7, data: {amount: "${tasks.pay.output.data.amount}"}}
                    depends_on: [pay]
                output:
                  amount: ${tasks.pay.output.data.amount}
                """);
        List<Event> paid = Collections.synchronizedList(new ArrayList<>());
        try (AutoCloseable s = events.subscribe("order.paid", null, paid::add)) {
            String id = engine.start("waiter", null, Map.of(), null).id();
            Thread.sleep(300);
            events.publish("bank", "payment.received", "o6", Map.of("amount", 1));
            events.publish("bank", "payment.received", "o7", Map.of("amount", 70));
            InstanceInfo i = engine.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
            assertEquals(70, ((Number) i.output().get("amount")).intValue());
            long end = System.currentTimeMillis() + 5000;
            while (paid.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertEquals("workflow:" + id, paid.get(0).source());
        }

        engine.deploy("t.yaml", """
                name: impatient
                version: 1
                tasks:
                  pay: {component: event, action: wait, input: {type: never.*}, timeout: 300ms}
                """);
        InstanceInfo late = engine.await(engine.start("impatient", null, Map.of(), null).id(), Duration.ofSeconds(10));
        assertEquals(InstanceState.FAILED, late.state());
        assertTrue(late.error().contains("timed out after 300 ms"), late.error());
    }

    private static final String EARLY = """
            name: early
            version: 1
            tasks:
              gate: {component: test, action: gate, input: {}}
              pay:
                component: event
                action: wait
                input: {type: payment.*, filter: "event.subject == 'o7'"}
                depends_on: [gate]
                timeout: 10s
              again:
                component: event
                action: wait
                input: {type: payment.*, filter: "event.subject == 'o7'"}
                depends_on: [pay]
                timeout: 10s
            output:
              first: ${tasks.pay.output.data.amount}
              second: ${tasks.again.output.data.amount}
            """;

    /**
     * Starts the early workflow, publishes {@code amounts} for subject o7 (and one for o6) while its gate holds the
     * waits back, then lets them wait: @return the instance as it ended
     */
    private InstanceInfo waitsAfterTheEvents(int... amounts) throws Exception {
        java.util.concurrent.CountDownLatch gateOpen = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch atGate = new java.util.concurrent.CountDownLatch(1);
        engine.addHandler("gate", ctx -> {
            atGate.countDown();
            gateOpen.await();
            return Map.of();
        }, List.of("test"), List.of("gate"));
        engine.deploy("early.yaml", EARLY);
        String id = engine.start("early", null, Map.of(), null).id();
        assertTrue(atGate.await(10, java.util.concurrent.TimeUnit.SECONDS));
        // a subscriber is handed an event after the waits were: once it saw them all, they are kept or taken
        java.util.concurrent.CountDownLatch dispatched = new java.util.concurrent.CountDownLatch(amounts.length + 1);
        try (AutoCloseable seen = events.subscribe("payment.*", null, e -> dispatched.countDown())) {
            events.publish("bank", "payment.received", "o6", Map.of("amount", 1));
            for (int a : amounts) {
                events.publish("bank", "payment.received", "o7", Map.of("amount", a));
            }
            assertTrue(dispatched.await(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        gateOpen.countDown();
        return engine.await(id, Duration.ofSeconds(20));
    }

    @Test
    void aWaitConsumesAnEventPublishedShortlyBeforeItStartedEachEventOnce() throws Exception {
        InstanceInfo i = waitsAfterTheEvents(70, 80);
        assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
        assertEquals(70, ((Number) i.output().get("first")).intValue(), "the oldest kept event first");
        assertEquals(80, ((Number) i.output().get("second")).intValue(), "an event is consumed once");
    }

    @Test
    void theEventsKeptPerSubjectAreBoundedTheOldestGoingFirst() throws Exception {
        useEvents(new EventWindow(Duration.ofMinutes(5), 2));
        InstanceInfo i = waitsAfterTheEvents(70, 80, 90);
        assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
        assertEquals(80, ((Number) i.output().get("first")).intValue(), "70 was dropped: two kept for o7");
        assertEquals(90, ((Number) i.output().get("second")).intValue());
    }

    @Test
    void anEventStoredButNotDispatchedBeforeACrashIsDispatchedAtStart() throws Exception {
        engine.deploy("t.yaml", """
                name: late
                version: 1
                input:
                  who: {type: string}
                on:
                  - type: hello
                    input: {who: "${event.subject}"}
                tasks:
                  a: {component: core, action: noop, input: {who: "${input.who}"}}
                output:
                  who: ${tasks.a.output.who}
                """);
        // what a crash between the store and the dispatch leaves: a row not marked dispatched
        try (var c = db.dataSource().getConnection(); var s = c.prepareStatement("INSERT INTO WF_EVENT (ID, SOURCE, "
                + "TYPE, EVENT_TIME, SUBJECT, DATA, DISPATCHED) VALUES ('e-1', 'test', 'hello', CURRENT_TIMESTAMP, "
                + "'world', '{}', 0)")) {
            s.executeUpdate();
        }
        events.redispatch();
        InstanceInfo i = awaitInstanceOf("late");
        assertEquals("world", i.output().get("who"));
        events.redispatch(); // dispatched now: nothing happens again
        Thread.sleep(200);
        assertEquals(1, engine.instances().stream().filter(x -> x.workflow().equals("late")).count());
    }
}
