package io.harmonix.workflow.internal.command.instance;

import picocli.CommandLine.Parameters;

/**
 * The INSTANCE parameter, as a picocli mixin: every instance command but run and instances names one instance
 * first, in the same words. Made anew for every call.
 */
final class InstanceId {
    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
    String id;
}
