package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryHealth;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.workflow.api.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * SENSE: what the controller knows of the fleet at the start of a run. For each repository of the catalogue it makes
 * sure the current commit was scanned by the enhancement agents ({@link Scans}), then takes their findings (security
 * first), the fleet's health (a red main) and its bisected breaking commits, the validated enhancements, and the
 * tasks of the repository's {@value TasksFile#PATH}. Services that are not there (no fleet builds, no enhancement
 * ledger) give no signals and a note saying so, never a failure: the run goes on with what it has.
 */
final class Sense {
    /** What SENSE found. */
    record Result(int repositories, List<Signal> signals, List<String> notes, List<Scans.Scan> scans) {
    }

    /**
     * What SENSE reads, each from a service of the runtime that may be absent: then its supplier answers null.
     *
     * @param repositories the fleet catalogue's repositories
     * @param health the fleet's health over the configured window
     * @param failingChecks a repository's failing checks, newest first (the evidence of a red main)
     * @param broken the fleet's {@value FleetBuilds#BROKEN_EVENT} events, newest first
     * @param validated the enhancement ledger's validated enhancements
     */
    record Sources(Supplier<List<Repository>> repositories, Supplier<List<RepositoryHealth>> health,
            Function<String, List<CheckRecord>> failingChecks, Supplier<List<Event>> broken,
            Supplier<List<Enhancement>> validated, Scans scans) {
    }

    /**
     * The branch SENSE reads (tasks, the commit to scan, reachable breaking commits): the main branch the change
     * requests ship to, never what HEAD names (a feature branch or a detached HEAD in the user's working tree).
     */
    static final String MAIN = "refs/heads/main";

    private final Sources sources;

    Sense(Sources sources) {
        this.sources = sources;
    }

    Result sense() throws InterruptedException {
        List<Signal> signals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Scans.Scan> scans = new ArrayList<>();
        List<Repository> known = sources.repositories().get();
        List<Repository> repositories = known == null ? List.of() : known;
        if (known == null) {
            notes.add("no fleet catalogue: no repository to look at (feature harmonix-fleet)");
        }
        for (Repository r : repositories) {
            Path root = Path.of(r.path());
            String head = head(root, notes, r.name());
            if (head == null) {
                continue;
            }
            Scans.Scan scan = sources.scans().ensure(r.name(), root, head, notes);
            if (scan != null) {
                scans.add(scan);
                findings(r.name(), head, scan, signals);
            }
            tasks(r.name(), root, signals, notes);
        }
        health(signals, notes);
        broken(repositories, signals);
        enhancements(signals, notes);
        // security first, then the rest in the order found: what THINK upserts first
        signals.sort(Comparator.comparingInt(s -> s.type() == ItemType.SECURITY ? 0 : 1));
        return new Result(repositories.size(), signals, notes, scans);
    }

    private static String head(Path root, List<String> notes, String name) {
        if (!Files.exists(root.resolve(".git"))) {
            notes.add(name + ": " + root + " is not a working tree of git: not scanned, no tasks read");
            return null;
        }
        try {
            return Target.git(root, "rev-parse", "--verify", MAIN + "^{commit}").strip();
        } catch (IOException e) {
            notes.add(name + ": no commit on " + MAIN + ": " + e.getMessage());
            return null;
        }
    }

    private static void findings(String repo, String head, Scans.Scan scan, List<Signal> signals) {
        for (Scans.AgentFindings a : scan.findings()) {
            for (TrackedFinding t : a.findings().findings()) {
                if (t.status() == FindingStatus.FIXED) {
                    continue;
                }
                Finding f = t.finding();
                Signal.Change change = a.findings().proposals().stream()
                        .filter(p -> p.fingerprint().equals(f.fingerprint()) && head.equals(p.commit()))
                        .findFirst().map(p -> fix(f, p)).orElse(null);
                signals.add(new Signal(repo, f.agentType() + "." + f.severity().id(), typeOf(f.agentType()),
                        titleOf(f.agentType(), f.ruleId(), f.fingerprint()), f.ruleId() + " at " + f.location().file()
                                + ":" + f.location().line() + ": " + f.message(),
                        Risk.valueOf(f.risk().name()), 0, List.of("harmonix:finding/" + f.fingerprint()), head,
                        change));
            }
        }
    }

    private static Signal.Change fix(Finding f, Proposal p) {
        return new Signal.Change("fix", "Fix " + f.ruleId() + " in " + f.location().file(),
                f.agentType() + "/" + f.ruleId(), 0, null, p.diff());
    }

    /** The title a finding's item is made from: the same for the finding and for the enhancement that fixes it. */
    static String titleOf(String agentType, String ruleId, String fingerprint) {
        return agentType + "/" + ruleId + " " + fingerprint;
    }

    static ItemType typeOf(String agentType) {
        return "security".equals(agentType) ? ItemType.SECURITY : ItemType.CHORE;
    }

    /**
     * The tasks of the tasks file on the main branch ({@value #MAIN}), never of HEAD: a branch checked out in the
     * repository (a feature branch, a contributor's) must not put work, or its patches, before the controller.
     */
    private static void tasks(String repo, Path root, List<Signal> signals, List<String> notes) {
        String head;
        try {
            head = Target.git(root, "rev-parse", "--verify", "--quiet", MAIN + "^{commit}").strip();
        } catch (IOException e) {
            notes.add(repo + ": no main branch " + MAIN + ": its tasks file not read");
            return;
        }
        String text;
        try {
            text = Target.git(root, "show", head + ":" + TasksFile.PATH);
        } catch (IOException e) {
            return; // no tasks file at that commit: nothing asked
        }
        TasksFile.Parsed parsed = TasksFile.parse(repo + "/" + TasksFile.PATH, text);
        parsed.problems().forEach(p -> notes.add("tasks file refused: " + p));
        for (TasksFile.Task t : parsed.tasks()) {
            Signal.Change change = null;
            if (t.patch() != null) {
                try {
                    change = new Signal.Change("fix", t.title(), null, 0, null,
                            Target.git(root, "show", head + ":" + t.patch()));
                } catch (IOException e) {
                    notes.add(repo + "/" + TasksFile.PATH + ": task " + t.index() + ": its patch " + t.patch()
                            + " is not in commit " + head.substring(0, 12));
                }
            }
            signals.add(new Signal(repo, "task", t.type(), t.title(), "task: " + t.title(), t.risk(), t.priority(),
                    List.of("harmonix:task/" + repo + "/" + t.index()), head, change));
        }
    }

    private void health(List<Signal> signals, List<String> notes) {
        List<RepositoryHealth> health = sources.health().get();
        if (health == null) {
            notes.add("no fleet builds: the health of main branches is not known (feature harmonix-fleet)");
            return;
        }
        for (RepositoryHealth h : health) {
            if (h.consecutiveFailures() <= 0) {
                continue;
            }
            List<String> evidence = new ArrayList<>();
            List<CheckRecord> failing = sources.failingChecks().apply(h.name());
            if (failing != null && !failing.isEmpty()) {
                evidence.add("harmonix:check/" + failing.get(0).id());
            }
            if (evidence.isEmpty()) {
                evidence.add("harmonix:health/" + h.name());
            }
            signals.add(new Signal(h.name(), "main-red", ItemType.BUG, "main is red", "main is red: "
                    + h.consecutiveFailures() + " build(s) failed in a row" + (h.lastSuccess() == null ? ""
                            : ", last green " + h.lastSuccess()), Risk.MEDIUM, 0, evidence, null, null));
        }
    }

    /** Commits that broke a build, as the fleet bisected them, still in their repository's history: reverts. */
    private void broken(List<Repository> repositories, List<Signal> signals) {
        List<Event> broken = sources.broken().get();
        for (Event e : broken == null ? List.<Event>of() : broken) {
            String repo = String.valueOf(e.data().getOrDefault("repository", e.subject()));
            Object commit = e.data().get("commit");
            Repository r = repositories.stream().filter(x -> x.name().equals(repo)).findFirst().orElse(null);
            if (r == null || commit == null || !reachable(Path.of(r.path()), commit.toString())) {
                continue;
            }
            String sha = commit.toString();
            List<String> evidence = new ArrayList<>();
            if (e.data().get("checks") instanceof Collection<?> ids) {
                ids.forEach(id -> evidence.add("harmonix:check/" + id));
            }
            if (evidence.isEmpty()) {
                evidence.add("harmonix:event/" + e.id());
            }
            String subject = String.valueOf(e.data().getOrDefault("subject", ""));
            signals.add(new Signal(repo, "breaking-commit", ItemType.BUG, "revert " + sha, "commit "
                    + sha.substring(0, 12) + " (" + subject + ") broke the build", Risk.MEDIUM, 0, evidence, null,
                    new Signal.Change("revert", "Revert " + sha.substring(0, 12) + " that broke the build", null, 0,
                            sha, null)));
        }
    }

    /** @return true when {@code commit} is in the history of the repository's current commit */
    private static boolean reachable(Path root, String commit) {
        try {
            Target.git(root, "merge-base", "--is-ancestor", commit, MAIN);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void enhancements(List<Signal> signals, List<String> notes) {
        List<Enhancement> validated = sources.validated().get();
        if (validated == null) {
            notes.add("no enhancement ledger: validated proposals are not read (feature harmonix-waves)");
            return;
        }
        for (Enhancement e : validated) {
            String title = e.isRollback() ? "rollback of enhancement " + e.revertOf()
                    : titleOf(e.agentType(), e.ruleId(), e.fingerprint());
            Risk risk = switch (e.severity()) {
                case INFO, LOW -> Risk.LOW;
                case MEDIUM -> Risk.MEDIUM;
                default -> Risk.HIGH;
            };
            signals.add(new Signal(e.repository(), "enhancement", e.isRollback() ? ItemType.BUG
                    : typeOf(e.agentType()), title, "validated enhancement " + e.id() + ": " + e.title(), risk, 0,
                    List.of("harmonix:enhancement/" + e.id()), e.baseCommit(), new Signal.Change("proposal",
                            e.title().isBlank() ? "Enhancement " + e.id() : e.title(),
                            e.isRollback() ? null : e.agentType().toLowerCase(Locale.ROOT) + "/" + e.ruleId(),
                            e.id(), null, null)));
        }
    }
}
