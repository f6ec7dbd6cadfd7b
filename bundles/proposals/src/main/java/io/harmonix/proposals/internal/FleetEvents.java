package io.harmonix.proposals.internal;

import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import java.util.List;
import java.util.function.Consumer;

/**
 * The fleet's events that may name a commit that broke a repository: {@value LedgerComponent#BROKEN_EVENT} (a
 * broken build located to its commit: {@code data.repository}, {@code data.commit}) and
 * {@value LedgerComponent#UNHEALTHY_EVENT} (failures in a row; it names a commit only when the fleet found one).
 */
final class FleetEvents {
    private FleetEvents() {
    }

    /** @return the subscriptions, closed together */
    static AutoCloseable subscribe(EventService events, Consumer<Event> consumer) {
        List<AutoCloseable> subs = List.of(
                events.subscribe(LedgerComponent.BROKEN_EVENT, null, consumer),
                events.subscribe(LedgerComponent.UNHEALTHY_EVENT, null, consumer));
        return () -> {
            for (AutoCloseable s : subs) {
                s.close();
            }
        };
    }

    static String repository(Event e) {
        Object r = e.data() == null ? null : e.data().get("repository");
        return r == null ? e.subject() : r.toString();
    }

    static String commit(Event e) {
        Object c = e.data() == null ? null : e.data().get("commit");
        return c == null ? null : c.toString();
    }
}
