package io.harmonix.fleet.builds.internal.command;

import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repo:health}: each repository's build and test figures over a window. */
@Component
@CommandScope("repo")
public final class RepoHealthCommand implements ShellCommands {
    @Reference
    private FleetBuilds builds;

    @Command(name = "health", header = "build and test health of each repository",
            description = "For each repository, over the window: builds and tests and their success rates, last "
                    + "success, mean time to recovery, flaky checks (failed then passed on the same commit), "
                    + "failing checks in a row now.")
    public CommandResult health(@Option(names = "--window", paramLabel = "DURATION", description = "How far back "
            + "(default: the configured healthWindow, 7d).") Duration window) {
        if (window != null && (window.isZero() || window.isNegative())) {
            throw new IllegalArgumentException("repo:health: --window must be positive; was " + window);
        }
        return CommandResult.listing(BuildViews.healthTable(), builds.health(window), BuildViews::healthRow,
                BuildViews::json);
    }
}
