package io.harmonix.cycle.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport-neutral adapter that makes a cycle durable. The runner calls every recorder present with each
 * cycle's snapshot before it checkpoints agent state and publishes the cycle. Implementations must be idempotent on
 * {@link CycleSnapshot#cycleId()}: the same cycle may be handed over again after a crash.
 */
@ConsumerType
public interface CycleRecorder {
    /**
     * Records a snapshot durably; returns only once it is durable.
     *
     * @throws IOException when it could not be made durable; the runner does not commit the cycle
     */
    void recordCycle(CycleSnapshot snapshot) throws IOException;
}
