package io.harmonix.autonomy.internal.command;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.shell.api.BadArgumentException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.api.ShellCommands;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code autonomy:run}, {@code autonomy:status}, {@code autonomy:toggle}, {@code autonomy:quarantine}: the
 * controller's runs and the break-glass toggles.
 */
@Component(service = ShellCommands.class)
@CommandScope("autonomy")
public final class AutonomyCommands implements ShellCommands {
    /** The phases of a run, in order. */
    static final java.util.List<String> PHASES = java.util.List.of("SENSE", "THINK", "ACT", "VERIFY", "SHIP", "LEARN");

    @Reference
    private AutonomyController controller;

    @Command(name = "run", header = "run the autonomy controller once", description = "Starts a controller run "
            + "(SENSE, THINK, ACT, VERIFY, SHIP, LEARN), prints each phase as it starts, then the run's summary: "
            + "signals, items, changes opened, verified, shipped and refused with the reasons, and its document "
            + "data/runs/run-ID.md. While a run goes, another trigger is coalesced into it (and this waits for "
            + "that one). Fails (non-zero in exec mode) when the run fails.", sortOptions = false)
    public CommandResult run(
            @Option(names = "--detach", description = "Return once started, without waiting.") boolean detach,
            @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait (default 1h).")
            Duration timeout) {
        ControllerRun started = controller.start("command");
        if (detach) {
            return CommandResult.of("run " + started.id() + " " + (started.coalesced() > 0
                    ? "is running; this trigger was coalesced into it" : "started") + " (autonomy:status)",
                    AutonomyViews.json(started));
        }
        Duration wait = timeout == null ? Duration.ofHours(1) : timeout;
        return CommandResult.streamed(items -> {
            int shown = -1;
            long until = System.nanoTime() + wait.toNanos();
            ControllerRun r = started;
            while (true) {
                // every phase reached is printed once, in order, even one that began and ended between two looks
                for (int p = PHASES.indexOf(r.phase()); shown < p; ) {
                    shown++;
                    items.item(PHASES.get(shown) + " ...", Json.object().put("run", r.id())
                            .put("phase", PHASES.get(shown)));
                }
                if (!"running".equals(r.state())) {
                    break;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("autonomy:run: run " + r.id() + " still in " + r.phase()
                            + " after " + wait + "; it goes on (autonomy:status)");
                }
                try {
                    r = controller.await(r.id(), Duration.ofMillis(200));
                } catch (TimeoutException stillRunning) {
                    r = controller.run(r.id()).orElseThrow();
                }
            }
            CommandResult summary = CommandResult.of(AutonomyViews.run(r), AutonomyViews.json(r));
            return "completed".equals(r.state()) ? summary : summary.failingWith(new IllegalStateException(
                    "autonomy:run: run " + r.id() + " " + r.state() + " in " + r.phase() + " (wf:show " + r.id()
                            + ")"));
        });
    }

    @Command(name = "status", header = "the toggles, quarantine, today's count, the last runs, the backlog",
            description = "Shows the break-glass toggles in force (and why quarantine is on), the changes shipped "
                    + "today against the daily cap, the failures in a row (quarantine comes at the limit), the "
                    + "backlog's items by status and the last controller runs.")
    public CommandResult status() {
        var s = controller.status();
        boolean leads = controller.leads();
        java.util.Optional<String> leader = controller.leader();
        return CommandResult.of(AutonomyViews.leader(leads, leader) + "\n" + AutonomyViews.status(s),
                AutonomyViews.json(s).put("leads", leads).put("leader", leader.orElse(null)));
    }

    @Command(name = "toggle", header = "change a break-glass toggle, live", description = "Sets enabled, "
            + "automergeEnabled, maxChangesPerDay or zone in etc/io.harmonix.autonomy.cfg, then now; the change is "
            + "logged and recorded as a decision of the session's user, or of --as NAME (required in exec mode). A "
            + "change that cannot be saved fails and changes nothing. quarantineMode true turns quarantine on; it is lifted only with "
            + "autonomy:quarantine off --reason R.")
    public CommandResult toggle(
            @Parameters(index = "0", paramLabel = "NAME", description = "enabled, automergeEnabled, "
                    + "maxChangesPerDay, quarantineMode or zone.") String name,
            @Parameters(index = "1", paramLabel = "VALUE", description = "true/false, a number, a time zone.")
            String value,
            @Option(names = "--as", paramLabel = "NAME", description = "Who decides (recorded); required where the "
                    + "session has no user (exec mode).") String as) {
        Toggles t;
        try {
            t = controller.toggle(name, value, SessionUser.require(as));
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException(e.getMessage());
        }
        return CommandResult.of(AutonomyViews.toggles(t), AutonomyViews.json(t));
    }

    @Command(name = "quarantine", header = "turn quarantine on or off, with the reason", description = "In "
            + "quarantine every change request is a draft and nothing ships. Turning it off lifts the automatic "
            + "quarantine too (after quarantineAfterFailures failures in a row) and sets the failure count to 0. "
            + "The decision is recorded with who and why.")
    public CommandResult quarantine(
            @Parameters(index = "0", paramLabel = "on|off", description = "on or off.") String onOff,
            @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded).")
            String reason,
            @Option(names = "--as", paramLabel = "NAME", description = "Who decides (recorded); required to turn "
                    + "it off where the session has no user (exec mode).") String as) {
        boolean on = switch (onOff.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new BadArgumentException("expected on or off; was '" + onOff + "'");
        };
        Toggles t;
        try {
            // turning it on is never held back for want of a name: that is the safe direction
            String who = on && (as == null || as.isBlank()) ? SessionUser.current().orElse(UNNAMED)
                    : SessionUser.require(as);
            t = controller.quarantine(on, reason, who);
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException(e.getMessage());
        }
        return CommandResult.of(AutonomyViews.toggles(t), AutonomyViews.json(t));
    }

    /** Who turned quarantine on from a session without a user and without --as. */
    public static final String UNNAMED = "a session without a user (no --as)";
}
