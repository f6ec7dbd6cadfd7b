package io.harmonix.fleet.builds.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The settings of configuration {@code io.harmonix.fleet} that builds and health read. The catalogue bundle
 * designates that PID with its full definition; this one only reads these keys (same names, same defaults), so it
 * carries no {@code @Designate} of its own.
 */
@ObjectClassDefinition(name = "Harmonix fleet (builds and health)")
@interface FleetConfig {
    String PID = "io.harmonix.fleet";

    @AttributeDefinition(description = "At most this many repositories build at once.")
    int maxParallel() default 2;

    @AttributeDefinition(description = "Retries of a failed build or test on the same commit, to tell flaky from "
            + "broken (0: none).")
    int retryAttempts() default 2;

    @AttributeDefinition(description = "Wait before the first retry (a duration: 500ms, 5s); doubled before each "
            + "further one.")
    String retryBackoff() default "5s";

    @AttributeDefinition(description = "Failing checks in a row that make a repository unhealthy (an event).")
    int failureThreshold() default 3;

    @AttributeDefinition(description = "The window repo:health looks at by default (a duration: 7d, 24h).")
    String healthWindow() default "7d";
}
