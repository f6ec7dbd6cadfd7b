package io.harmonix.index.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: told when records were appended to a namespace, after they are durable (as the namespace's sync policy
 * says). For waking up readers that tail the index (the propagator); the records themselves are read from the
 * index. Called on the appending thread: an implementation must return at once and must not throw.
 */
@ConsumerType
public interface CycleIndexListener {
    /**
     * @param namespace the namespace appended to
     * @param treeSize the namespace's size after the append (the next record's sequence)
     */
    void appended(String namespace, long treeSize);

    /**
     * Told after each append request that wrote records, before {@link #appended}: how many it wrote and how long
     * the request took until they were durable as the sync policy says (waiting for the namespace's writer thread,
     * writing, forcing). For metrics; a default method, so listeners written before need not implement it.
     *
     * @param namespace the namespace appended to
     * @param records how many records the request wrote (more than 0)
     * @param took from the request's call to its records being durable
     */
    default void written(String namespace, int records, java.time.Duration took) {
        // most listeners only wake up on appended
    }
}
