package io.harmonix.shell.api;

import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Work that commands start and that goes on after they return (a workflow instance a trigger started, events not
 * dispatched yet). Exec mode waits for every such service before it stops the runtime, and says what was left;
 * so a capability tells the shell of its work without the shell knowing the capability.
 */
@ConsumerType
public interface WorkInFlight {
    /**
     * Waits, at most {@code timeout}, until the work this service knows of has ended.
     *
     * @return what is still going on then, one line each (empty: nothing)
     * @throws InterruptedException when the wait is interrupted
     */
    List<String> await(Duration timeout) throws InterruptedException;
}
