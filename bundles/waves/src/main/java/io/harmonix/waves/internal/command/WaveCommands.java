package io.harmonix.waves.internal.command;

import io.harmonix.shell.api.BadArgumentException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.InfiniteRequest;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wave:start}, {@code wave:infinite}, {@code wave:stop}: waves of enhancement agents over a target. */
@Component
@CommandScope("wave")
public final class WaveCommands implements ShellCommands {
    @Reference
    private WaveCoordinator waves;

    @Command(name = "start", header = "start a wave of enhancement agents over a target", description = "Plans "
            + "agent instances over the target's components (small: 3 to 5 of one type; large: 10 to 15 across every "
            + "type; fewer when the machine is loaded or there are fewer components), each owning its components, "
            + "deploys them and runs them for a few cycles. With --wait, shows what each instance is doing until the "
            + "wave ends, then what it found.", sortOptions = false)
    public CommandResult start(
            @Option(names = {"-t", "--target"}, required = true, paramLabel = "PATH", description = "The top folder "
                    + "of a git working tree; relative to the current directory.") String target,
            @Option(names = {"-s", "--size"}, required = true, paramLabel = "SIZE", description = "small or large.")
            String size,
            @Option(names = {"-f", "--focus"}, paramLabel = "TYPE", description = "The agent type of a small wave: "
                    + "quality, security, architecture, performance, workflow (default: the type whose proposals "
                    + "validate best).") String focus,
            @Option(names = {"-c", "--components"}, paramLabel = "all|a,b", description = "The components: all (the "
                    + "top-level folders that hold code; the default) or sub-folders, comma-separated.")
            String components,
            @Option(names = "--cycles", paramLabel = "N", description = "Cycles of the wave's run (default: "
                    + WaveRequest.DEFAULT_CYCLES + ").") Integer cycles,
            @Option(names = "--interval", paramLabel = "DURATION", description = "Pause between two cycles.")
            Duration interval,
            @Option(names = {"-w", "--wait"}, description = "Show progress until the wave ends.") boolean wait) {
        WaveSize s = parse(() -> WaveSize.parse(size), "--size");
        if (s == WaveSize.INFINITE) {
            throw new BadArgumentException("--size infinite: use wave:infinite --target T --throttle N --interval D");
        }
        Focus f = focus == null ? null : parse(() -> Focus.parse(focus), "--focus");
        List<String> parts = components == null || components.trim().equalsIgnoreCase("all") ? List.of()
                : Arrays.stream(components.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
        Wave w;
        try {
            w = waves.start(new WaveRequest(absolute(target), s, f, parts,
                    cycles == null ? WaveRequest.DEFAULT_CYCLES : cycles, interval));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wave:start: " + e.getMessage(), e);
        }
        if (!wait) {
            return CommandResult.of(WaveViews.agents(w.instances()) + "\nwave " + w.id() + " started: "
                    + w.instances().size() + " instances over " + w.components().size() + " components (wave:show "
                    + w.id() + ")", WaveViews.json(w));
        }
        String id = w.id();
        return CommandResult.streamed(items -> follow(id, items));
    }

    /** Prints each instance's activity as it changes, until the wave ends; then the wave's report. */
    private CommandResult follow(String id, CommandResult.ItemSink items) throws InterruptedException {
        Map<String, String> shown = new HashMap<>();
        Wave w = waves.wave(id).orElseThrow();
        while (true) {
            for (var i : w.instances()) {
                if (!i.doing().equals(shown.put(i.agentId(), i.doing()))) {
                    items.item(i.agentId() + ": " + i.doing(), WaveViews.json(i));
                }
            }
            if (w.status().ended()) {
                break;
            }
            Thread.sleep(200);
            w = waves.wave(id).orElseThrow();
        }
        var report = waves.report(id);
        return CommandResult.of(WaveViews.report(report), WaveViews.json(report));
    }

    @Command(name = "infinite", header = "deploy waves continuously, throttled", description = "Starts infinite "
            + "mode over a target: a wave every interval (the first now), never more than --throttle agent "
            + "instances at once and fewer when the machine is loaded (system load, this process's CPU, the other "
            + "runs' cycles slowing); one thread of the runner's pool is always left to the other runs. Goes on "
            + "after a restart; wave:stop SERIES ends it.", sortOptions = false)
    public CommandResult infinite(
            @Option(names = {"-t", "--target"}, required = true, paramLabel = "PATH", description = "The top folder "
                    + "of a git working tree.") String target,
            @Option(names = "--throttle", required = true, paramLabel = "N", description = "Most agent instances at "
                    + "once.") int throttle,
            @Option(names = "--interval", required = true, paramLabel = "DURATION", description = "Time between two "
                    + "waves (1h, 30m...).") Duration interval) {
        InfiniteSeries s;
        try {
            s = waves.startInfinite(new InfiniteRequest(absolute(target), throttle, interval));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wave:infinite: " + e.getMessage(), e);
        }
        return CommandResult.of(WaveViews.series(List.of(s)) + "\ninfinite mode " + s.id() + " started (wave:stop "
                + s.id() + " ends it)", WaveViews.json(s));
    }

    @Command(name = "stop", header = "stop a wave or an infinite-mode series", description = "Stops the wave (its "
            + "runs, its instances' configurations, its leases), or the infinite-mode series (s-...) and its "
            + "running waves. Works in any runtime of a cluster: the stop is recorded with the wave, its runs driven "
            + "here (or by nobody) stop here, and each runtime driving another of its runs stops it at its next "
            + "cycle or within a second; without --wait the command returns once that is requested and says so.")
    public CommandResult stop(@Parameters(index = "0", paramLabel = "ID", description = "A wave id (w-...) or a "
            + "series id (s-...).") String id,
            @Option(names = {"-w", "--wait"}, description = "Wait until every run of the wave has ended (at most "
                    + "--timeout).") boolean wait,
            @Option(names = "--timeout", paramLabel = "DURATION", description = "How long --wait waits (default "
                    + "5m).") Duration timeout) throws InterruptedException {
        if (id.startsWith("s-")) {
            InfiniteSeries s = waves.stopInfinite(id);
            return CommandResult.of("infinite mode " + s.id() + " stopped after " + s.waves().size() + " waves",
                    WaveViews.json(s));
        }
        Wave w = waves.stop(id);
        long until = System.nanoTime() + (timeout == null ? Duration.ofMinutes(5) : timeout).toNanos();
        while (wait && !w.status().ended() && System.nanoTime() < until) {
            Thread.sleep(200);
            w = waves.wave(id).orElseThrow();
        }
        if (!w.status().ended()) {
            return CommandResult.of("wave " + w.id() + ": stop requested; its runs "
                    + String.join(", ", w.instances().stream().filter(i -> !i.doing().equals("done"))
                            .map(i -> i.runId()).toList()) + " stop in the runtimes driving them"
                    + (wait ? " (not ended within the timeout)" : " (wave:stop " + w.id() + " --wait waits for them)"),
                    WaveViews.json(w));
        }
        return CommandResult.of("wave " + w.id() + " " + w.status().id() + (w.message() == null ? ""
                : ": " + w.message()), WaveViews.json(w));
    }

    private static String absolute(String target) {
        return Path.of("").toAbsolutePath().resolve(target).normalize().toString();
    }

    private static <T> T parse(java.util.function.Supplier<T> parse, String option) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException(option + ": " + e.getMessage());
        }
    }

}
