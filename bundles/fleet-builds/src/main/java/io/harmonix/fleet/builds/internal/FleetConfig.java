package io.harmonix.fleet.builds.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The settings of configuration {@code io.harmonix.fleet} that builds and health read. The catalogue bundle
 * designates that PID with its full definition; this one only reads these keys (same names, same defaults), so it
 * carries no {@code @Designate} of its own.
 */
@ObjectClassDefinition(name = "Harmonix fleet (builds and health)", pid = FleetConfig.PID)
@interface FleetConfig {
    String PID = "io.harmonix.fleet";

    @AttributeDefinition(description = "At most this many repositories build at once.")
    int maxParallel() default 2;

    @AttributeDefinition(description = "Attempts of a failing build or test on the same commit (1: no retry).")
    int retryAttempts() default 2;

    @AttributeDefinition(description = "Wait before a retry (a duration: 500ms, 2s); doubled at each further one.")
    String retryBackoff() default "1s";

    @AttributeDefinition(description = "Failing checks in a row that make a repository unhealthy (an event).")
    int failureThreshold() default 3;

    @AttributeDefinition(description = "The window repo:health looks at by default (a duration: 7d, 24h).")
    String healthWindow() default "7d";
}
