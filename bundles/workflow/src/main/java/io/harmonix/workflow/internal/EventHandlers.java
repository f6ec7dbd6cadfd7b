package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The tasks of events: {@code event/wait} (wait_for_event) and {@code event/emit}. */
final class EventHandlers {
    private EventHandlers() {
    }

    /**
     * event/wait: input {@code type} (pattern), {@code filter} (expression over event); waits for the first matching
     * event, taking first one kept for it that was published since its instance started (see {@link EventWaits});
     * the task's {@code timeout} bounds the wait. Output: the event.
     *
     * @param startedAt when an instance started (null when it is not known: then only events to come)
     */
    static TaskHandler waitFor(EventHub events, java.util.function.Function<String, Instant> startedAt) {
        return ctx -> {
            String type = String.valueOf(ctx.input().getOrDefault("type", "*"));
            Object filter = ctx.input().get("filter");
            Instant since = startedAt.apply(ctx.instanceId());
            CompletableFuture<Event> got = new CompletableFuture<>();
            try (AutoCloseable sub = events.take(type, filter == null ? null : filter.toString(),
                    since == null ? Instant.now() : since, got::complete)) {
                return EventHub.asMap(got.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        };
    }

    /** event/emit: input {@code type}, {@code subject}, {@code data}; publishes it. Output: {id, type}. */
    static TaskHandler emit(EventService events) {
        return (TaskContext ctx) -> {
            Object type = ctx.required("type");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = ctx.input().get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m
                    : Map.of();
            Object subject = ctx.input().get("subject");
            Event e = events.publish("workflow:" + ctx.instanceId(), type.toString(),
                    subject == null ? null : subject.toString(), data);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", e.id());
            out.put("type", e.type());
            return out;
        };
    }
}
