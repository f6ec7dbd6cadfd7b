package io.harmonix.fleet.builds.internal.command;

import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code repo:build}: a fleet build, followed to its end (or started, or the report of an earlier one). */
@Component
@CommandScope("repo")
public final class RepoBuildCommand implements ShellCommands {
    @Reference
    private FleetBuilds builds;

    @Command(name = "build", header = "build and test repositories in dependency order",
            description = "Builds then tests the named repositories (all without names), level by level of their "
                    + "dependencies, in the sandbox, as a durable workflow (wf:instance, wf:graph show it). A failure "
                    + "is retried on the same commit (flaky or broken); a broken repository is bisected from its "
                    + "last green commit. Fails when a repository failed, was blocked or was not built.")
    public CommandResult build(
            @Parameters(paramLabel = "NAME", arity = "0..*", description = "Repositories to build.") List<String> names,
            @Option(names = "--affected-since", paramLabel = "REF", description = "Only repositories changed since "
                    + "REF (a git ref in each repository, or last-green) and those depending on them.")
            String affectedSince,
            @Option(names = "--parallel", paramLabel = "N", defaultValue = "0",
                    description = "At most N repositories at once (default: maxParallel).") int parallel,
            @Option(names = "--no-wait", description = "Start it, print its report as it starts, do not wait.")
            boolean noWait,
            @Option(names = "--report", paramLabel = "INSTANCE", description = "Show the report of a build "
                    + "(running or ended) instead of starting one; with --timeout, wait for its end first.")
            String report,
            @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait for the end "
                    + "(default 1h); the build goes on after.") Duration timeout) {
        Duration wait = timeout == null ? Duration.ofHours(1) : timeout;
        if (report != null) {
            if (names != null && !names.isEmpty() || affectedSince != null || noWait) {
                throw new IllegalArgumentException("repo:build: --report takes no names, --affected-since or "
                        + "--no-wait");
            }
            BuildReport r = timeout == null ? builds.report(report).orElseThrow(() -> unknown(report))
                    : await(report, wait);
            return result(r);
        }
        if (noWait) {
            BuildReport started = builds.build(names == null ? List.of() : names, affectedSince, parallel, null);
            return CommandResult.of(BuildViews.text(started), BuildViews.json(started));
        }
        return CommandResult.streamed(items -> {
            AtomicReference<String> last = new AtomicReference<>();
            BuildReport started = builds.build(names == null ? List.of() : names, affectedSince, parallel, r -> {
                String line = BuildViews.progress(r).replaceAll(", [0-9.]+s elapsed$", "");
                boolean between = line.contains("building nothing") && r.levelsDone() < r.levels().size();
                // a line per change, not per task event; none in the instant between one task and the next
                if (!between && !line.equals(last.getAndSet(line))) {
                    items.item(BuildViews.progress(r), null);
                }
            });
            return result(started.instance() == null ? started : builds.await(started.instance(), wait));
        });
    }

    private BuildReport await(String instance, Duration wait) {
        builds.report(instance).orElseThrow(() -> unknown(instance));
        try {
            return builds.await(instance, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("repo:build: interrupted");
        }
    }

    private static CommandResult result(BuildReport r) {
        CommandResult result = CommandResult.of(BuildViews.text(r), BuildViews.json(r));
        if (!r.ended()) {
            return result.failingWith(new IllegalStateException("repo:build: " + r.instance() + " still running"));
        }
        if (r.failed()) {
            long bad = r.repositories().stream().filter(o -> o.outcome().unsuccessful()).count();
            return result.failingWith(new IllegalStateException("repo:build: " + bad + " repositor"
                    + (bad == 1 ? "y" : "ies") + " failed, blocked or not built"));
        }
        return result;
    }

    private static IllegalArgumentException unknown(String instance) {
        return new IllegalArgumentException("repo:build: no fleet build '" + instance + "' (wf:instances lists "
                + "the instances of workflow fleet_build)");
    }
}
