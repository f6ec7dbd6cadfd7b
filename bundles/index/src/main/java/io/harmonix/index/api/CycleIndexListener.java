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
}
