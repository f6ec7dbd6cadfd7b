package io.harmonix.workflow.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of PID {@code io.harmonix.workflow} ({@code etc/io.harmonix.workflow.cfg}), the typed configuration DS
 * hands to {@link WorkflowComponent}. Its defaults are {@link EventWindow}'s.
 */
@ObjectClassDefinition(name = "Harmonix workflow engine",
        description = "The workflow engine and its events.")
@interface WorkflowConfig {
    @AttributeDefinition(name = "Event window",
            description = "How long an event a waiting task of a running instance could match is kept for an "
                    + "event/wait that starts after it was published: 30s, 5m... (0: none is kept).")
    String eventWindow() default EventWindow.DEFAULT_AGE;

    @AttributeDefinition(name = "Events kept per subject", min = "0", max = "100000",
            description = "How many such events of one subject (the correlation key) are kept; the oldest goes "
                    + "first.")
    int eventWindowPerKey() default EventWindow.DEFAULT_PER_KEY;

    @AttributeDefinition(name = "Instances at once", min = "0",
            description = "The most workflow instances this runtime holds at once (running or paused). An instance "
                    + "started beyond them is offered to the runtimes sharing the database: the first with room "
                    + "runs it (this one too, as its instances end). 0: no limit; every instance runs in the "
                    + "runtime that starts it, and the others take over only the instances of a runtime that "
                    + "died.")
    int maxInstances() default 0;

    @AttributeDefinition(name = "Claim interval",
            description = "How often this runtime looks for workflow instances no live runtime holds (offered, or "
                    + "those of a runtime whose leases expired) and claims them while it has room: 1s, 500ms...")
    String claimInterval() default "1s";
}
