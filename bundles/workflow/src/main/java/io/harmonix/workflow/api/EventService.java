package io.harmonix.workflow.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's events: published by bundles (the runner's cycle events arrive as {@code harmonix.run.*} and {@code harmonix.cycle.*}),
 * stored before {@link #publish} returns, then handed to subscribers and workflow triggers.
 */
@ProviderType
public interface EventService {
    /** Stores and dispatches an event. @return it, with its id and time */
    Event publish(String source, String type, String subject, Map<String, Object> data);

    /**
     * Subscribes to events whose type matches {@code typePattern} ('*' matches any run of characters) and, when
     * given, for which {@code filter} (an expression over {@code event}, as in workflow files) is true.
     *
     * @return closing it ends the subscription
     * @throws IllegalArgumentException for a filter that does not parse
     */
    AutoCloseable subscribe(String typePattern, String filter, Consumer<Event> consumer);

    /** @return the latest stored events of matching types, newest first */
    List<Event> recent(String typePattern, int limit);
}
