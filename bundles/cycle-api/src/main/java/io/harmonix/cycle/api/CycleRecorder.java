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
     * Records a snapshot of a cycle the runner has committed. It may return before the record is durable, provided
     * that the record of the run's next cycle is not accepted before this one is durable and that a failure to make
     * it durable is reported (by this call or by the next one of the run): the runner records a run's last two
     * committed cycles again when it starts, so at most those two can be missing after a crash (docs/architecture.md,
     * "One cycle"). A recorder that cannot give that returns only once the record is durable.
     *
     * @throws IOException when it could not be recorded; the run waits and retries before its next cycle
     */
    void recordCycle(CycleSnapshot snapshot) throws IOException;
}
