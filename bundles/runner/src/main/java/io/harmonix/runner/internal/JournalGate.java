package io.harmonix.runner.internal;

import io.harmonix.state.api.RunJournal;
import java.util.function.BooleanSupplier;

/**
 * Hands the run journal to the runs, and makes them wait while it is away (its bundle, or the store's, being
 * stopped or updated): no cycle is committed without a checkpoint.
 */
public final class JournalGate {
    private RunJournal journal;

    public synchronized void set(RunJournal journal) {
        this.journal = journal;
        notifyAll();
    }

    /** Forgets {@code gone} if it is the current journal. */
    public synchronized void clear(RunJournal gone) {
        if (journal == gone) {
            journal = null;
        }
    }

    public synchronized RunJournal current() {
        return journal;
    }

    /**
     * @return the journal, waiting for it as long as {@code giveUp} answers false (checked at least every 100 ms);
     *     null when given up
     */
    public synchronized RunJournal await(BooleanSupplier giveUp) throws InterruptedException {
        while (journal == null && !giveUp.getAsBoolean()) {
            wait(100);
        }
        return journal;
    }
}
