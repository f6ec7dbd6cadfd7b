package io.harmonix.runner.internal.command.cycle;

import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code cycle:pause} and {@code cycle:stop} take: the run, and how long to wait for the cycle under way to end
 * (both act only after it).
 */
final class RunWait {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "30s", description = "How "
            + "long to wait for the current cycle to end (default: ${DEFAULT-VALUE}).")
    Duration timeout;
}
