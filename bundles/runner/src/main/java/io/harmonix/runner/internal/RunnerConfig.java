package io.harmonix.runner.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of PID {@code io.harmonix.runner} ({@code etc/io.harmonix.runner.cfg}), and the typed configuration DS
 * hands to {@link RunnerComponent}: its defaults are the runner's defaults. Read into {@link RunnerSettings}.
 */
@ObjectClassDefinition(name = "Harmonix runner",
        description = "Pool, deadlines and capacity of the multi-cycle runner.")
@interface RunnerConfig {
    @AttributeDefinition(name = "Agent pool size", min = "1", max = "256",
            description = "Threads that call agents, shared by all runs. A change resizes the pool in place.")
    int poolSize() default 8;

    @AttributeDefinition(name = "Default deadline",
            description = "How long an agent may take per cycle when a run names no deadline: 250ms, 30s, 2m...")
    String defaultDeadline() default "30s";

    @AttributeDefinition(name = "History size", min = "1", max = "100000",
            description = "Snapshots kept in memory per run for cycle:show.")
    int historySize() default 100;

    @AttributeDefinition(name = "Resume on start",
            description = "Whether runs that were going when the runtime stopped go on when the runner starts "
                    + "(never in exec mode: bin/harmonix exec runs its commands only; cycle:resume RUN goes on "
                    + "with one).")
    boolean resumeOnStart() default true;

    @AttributeDefinition(name = "Most runs at once", min = "0", max = "100000",
            description = "The most runs this runtime drives at once. A run started (or forked, or resumed) beyond "
                    + "them is recorded in the run journal as offered and its lease offered to the runtimes sharing "
                    + "the database: the first with room drives it (this one too, as its runs end). 0: no limit; "
                    + "every run goes in the runtime that starts it.")
    int maxRuns() default 0;

    @AttributeDefinition(name = "Claim interval",
            description = "How often this runtime looks for runs no live runtime holds (offered, or those of a "
                    + "runtime whose leases expired) and claims them while it has room: 1s, 500ms...")
    String claimInterval() default "1s";
}
