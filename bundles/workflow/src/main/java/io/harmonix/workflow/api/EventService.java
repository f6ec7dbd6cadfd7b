package io.harmonix.workflow.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's events: published by bundles (the runner's cycle events arrive as {@code harmonix.run.*} and
 * {@code harmonix.cycle.*}), handed to subscribers and workflow triggers. An event a trigger or a subscription
 * wants is stored before {@link #publish} returns, so that none is lost on a crash.
 */
@ProviderType
public interface EventService {
    /** Publishes an event (stored first when something wants it). @return it, with its id and time */
    Event publish(String source, String type, String subject, Map<String, Object> data);

    /**
     * Subscribes to events whose type matches {@code typePattern} ('*' matches any run of characters) and, when
     * given, for which {@code filter} (an expression over {@code event}, as in workflow files) is true.
     *
     * @return closing it ends the subscription
     * @throws IllegalArgumentException for a filter that does not parse
     */
    AutoCloseable subscribe(String typePattern, String filter, Consumer<Event> consumer);

    /** @return the latest events of this runtime (at most the last 1 000) of matching types, newest first */
    List<Event> recent(String typePattern, int limit);
}
