package io.harmonix.proposals.internal;

import io.harmonix.enhance.api.GitCommand;
import io.harmonix.cycle.api.Agent;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The steps of the {@code enhancement-validation} workflow, each done once per enhancement: a step recorded (by an
 * attempt that a crash interrupted after it recorded) is returned as recorded, never run again, so that a resumed
 * validation neither builds twice nor decides twice. Every command of the repository runs in the
 * {@link SandboxExecutor} on the result commit; git works on a private index, private clones and the
 * enhancement's own branch.
 */
final class Validation {
    static final String PREPARE = "prepare";
    static final String BUILD = "build";
    static final String TESTS = "tests";
    static final String AGENT = "agent";
    static final String BENCHMARK = "benchmark";
    /** The steps in the order the shipped workflow runs them. */
    static final List<String> STEPS = List.of(PREPARE, BUILD, TESTS, AGENT, BENCHMARK);

    /** Finds an agent of a type, preferring the instance {@code agentId}. */
    @FunctionalInterface
    interface Agents {
        Optional<Agent> find(String agentType, String agentId);
    }

    /** Told of every change of status the validation makes. */
    @FunctionalInterface
    interface Changes {
        void changed(Enhancement now, EnhancementStatus previous);
    }

    /**
     * @param scratch where worktrees are made (the runtime's {@code data/proposals/worktrees})
     * @param commandTimeout the time limit of each build, test and benchmark command; null for the executor's
     * @param agentTimeout the deadline of each of the agent's two cycles
     * @param benchmarkTolerance the fraction a benchmark figure may grow by
     * @param keepRejectedBranches false: a rejected enhancement's branch is deleted
     */
    record Settings(Path scratch, Duration commandTimeout, Duration agentTimeout, double benchmarkTolerance,
            boolean keepRejectedBranches) {
    }

    private final EnhancementStore store;
    private final Supplier<SandboxExecutor> executor;
    private final Agents agents;
    private final Supplier<Settings> settings;
    private final Changes changes;

    Validation(EnhancementStore store, Supplier<SandboxExecutor> executor, Agents agents, Supplier<Settings> settings,
            Changes changes) {
        this.store = store;
        this.executor = executor;
        this.agents = agents;
        this.settings = settings;
        this.changes = changes;
    }

    Enhancement enhancement(long id) throws Exception {
        return store.get(id).orElseThrow(() -> new NoSuchElementException("no enhancement " + id));
    }

    /**
     * Applies the diff to the base commit's tree in an index of its own ({@code git apply --cached --check} first)
     * and commits the result on {@code harmonix/enhance/<id>} with git's plumbing: the commit's dates are the
     * proposal's, so that an attempt run again after a crash makes the very same commit. Nothing is checked out, so
     * no filter program of the repository's configuration runs (git applies a cached patch to the blobs as stored),
     * and the repository's working tree and worktrees are not touched.
     */
    ValidationStep prepare(long id) throws Exception {
        return once(id, PREPARE, () -> {
            Enhancement e = enhancement(id);
            Path repo = Path.of(e.repositoryPath());
            Path index = java.nio.file.Files.createDirectories(settings.get().scratch().toAbsolutePath())
                    .resolve(id + "-prepare.index");
            Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
            try {
                clearIndex(index);
                GitCommand.Answer read = GitCli.run(repo, null, env, "read-tree", e.baseCommit() + "^{commit}");
                if (!read.ok()) {
                    return new Step(false, null, "no tree of the base commit " + e.baseCommit() + ": "
                            + read.message());
                }
                GitCommand.Answer check = GitCli.run(repo, e.diff(), env, "apply", "--cached", "--check", "-");
                if (!check.ok()) {
                    return new Step(false, null, "the diff does not apply on " + e.baseCommit() + ": "
                            + check.message());
                }
                GitCli.git(repo, e.diff(), env, "apply", "--cached", "-");
                String tree = GitCli.git(repo, null, env, "write-tree").strip();
                String date = "@" + e.proposedAt().getEpochSecond() + " +0000";
                String commit = GitCli.git(repo, null, Map.of("GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE",
                        date, "GIT_AUTHOR_NAME", GitCli.NAME, "GIT_AUTHOR_EMAIL", GitCli.EMAIL,
                        "GIT_COMMITTER_NAME", GitCli.NAME, "GIT_COMMITTER_EMAIL", GitCli.EMAIL),
                        "commit-tree", tree, "-p", e.baseCommit(), "-m", message(e)).strip();
                String branch = Enhancement.branchOf(id);
                GitCli.git(repo, "update-ref", "refs/heads/" + branch, commit);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("BRANCH", branch);
                set.put("RESULT_COMMIT", commit);
                store.set(id, set);
                return new Step(true, null, "applied on " + e.baseCommit().substring(0, 12) + "; committed "
                        + commit.substring(0, 12) + " on " + branch);
            } finally {
                clearIndex(index);
            }
        });
    }

    private static void clearIndex(Path index) throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(index);
        java.nio.file.Files.deleteIfExists(Path.of(index + ".lock")); // left by a git killed while it wrote
    }

    private static String message(Enhancement e) {
        String title = e.title().isBlank() ? e.ruleId() + " fix" : e.title();
        return title + "\n\n" + e.details() + "\n\nHarmonix-Enhancement: " + e.id() + "\nHarmonix-Agent: "
                + e.agentType() + (e.agentId() == null ? "" : " (" + e.agentId() + ")") + "\nHarmonix-Rule: "
                + e.ruleId() + "\nHarmonix-Fingerprint: " + e.fingerprint() + "\n";
    }

    /** Runs the repository's build command on the result commit. */
    ValidationStep build(long id) throws Exception {
        return once(id, BUILD, () -> command(id, BUILD, store.commands(id).build()));
    }

    /** Runs the repository's test command on the result commit, naming the failing tests when it fails. */
    ValidationStep tests(long id) throws Exception {
        return once(id, TESTS, () -> command(id, TESTS, store.commands(id).test()));
    }

    private Step command(long id, String kind, String command) throws Exception {
        if (command == null || command.isBlank()) {
            return new Step(true, null, "no " + kind + " command declared");
        }
        Enhancement e = enhancement(id);
        CheckRecord r = execute(e, e.resultCommit(), kind, command);
        return new Step(r.passed(), r.id(), r.passed() ? kind + " passed in " + seconds(r.duration())
                : kind + " failed: " + why(r));
    }

    private CheckRecord execute(Enhancement e, String commit, String kind, String command)
            throws InterruptedException, java.io.IOException {
        SandboxExecutor ex = executor.get();
        if (ex == null) {
            throw new IllegalStateException("no sandboxed executor: the fleet's sandbox bundle is not running");
        }
        CheckRecord r = ex.execute(new ExecutionRequest(e.repository(), e.repositoryPath(), commit,
                "enhancement-" + kind, command, settings.get().commandTimeout(),
                ChangedModules.environment(Path.of(e.repositoryPath()), commit, e.diff())));
        if (Thread.interrupted()) {
            // a cancel or a timeout killed the command: no verdict on the proposal, and nothing recorded
            throw new InterruptedException(kind + " of enhancement " + e.id() + " interrupted (check " + r.id()
                    + ")");
        }
        return r;
    }

    static String why(CheckRecord r) {
        if (r.error() != null) {
            return r.error() + " (check " + r.id() + ")";
        }
        if (r.timedOut()) {
            return "timed out after " + seconds(r.duration()) + " (check " + r.id() + ")";
        }
        return "exit " + r.exitCode() + "; " + FailingTests.describe(r.log(), 5) + " (check " + r.id() + ")";
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Runs the agent type again on the result ({@link AgentRecheck}); a rollback's revert is not re-checked. */
    ValidationStep agent(long id) throws Exception {
        return once(id, AGENT, () -> {
            Enhancement e = enhancement(id);
            if (e.isRollback()) {
                return new Step(true, null, "a rollback: the finding it fixed may come back by design; not "
                        + "re-checked");
            }
            Optional<Agent> agent = agents.find(e.agentType(), e.agentId());
            if (agent.isEmpty()) {
                return new Step(false, null, "no agent of type " + e.agentType() + " is running to confirm the fix");
            }
            AgentRecheck.Outcome o = AgentRecheck.run(e, agent.get(), settings.get().scratch()
                    .resolve(id + "-agent"), settings.get().agentTimeout());
            return new Step(o.passed(), null, o.message());
        });
    }

    /** Runs the benchmark the result declares ({@value Benchmarks#FILE}) on the base and on the result. */
    ValidationStep benchmark(long id) throws Exception {
        return once(id, BENCHMARK, () -> {
            Enhancement e = enhancement(id);
            // cat-file: the blob as stored, never through a textconv program of the repository's configuration
            GitCommand.Answer file = GitCli.run(Path.of(e.repositoryPath()), null, Map.of(), "cat-file", "blob",
                    e.resultCommit() + ":" + Benchmarks.FILE);
            String command = file.ok() ? Benchmarks.command(file.out()) : null;
            if (command == null) {
                return new Step(true, null, "no benchmark declared (" + Benchmarks.FILE + ")");
            }
            CheckRecord base = execute(e, e.baseCommit(), BENCHMARK, command);
            CheckRecord result = execute(e, e.resultCommit(), BENCHMARK, command);
            if (!base.passed() || !result.passed()) {
                CheckRecord failed = base.passed() ? result : base;
                return new Step(false, failed.id(), "the benchmark failed on the " + (base.passed() ? "result"
                        : "base") + ": " + why(failed));
            }
            Map<String, Double> before = Benchmarks.figures(base.log());
            Map<String, Double> after = Benchmarks.figures(result.log());
            List<String> worse = Benchmarks.regressions(before, after, settings.get().benchmarkTolerance());
            String figures = Benchmarks.summary(before, after) + " (checks " + base.id() + ", " + result.id() + ")";
            return worse.isEmpty() ? new Step(true, result.id(), "no regression: " + figures)
                    : new Step(false, result.id(), "slower: " + String.join("; ", worse) + " (checks " + base.id()
                            + ", " + result.id() + ")");
        });
    }

    /**
     * Decides from the steps recorded: validated when every one passed and the repository declares a build or a
     * test command; rejected otherwise, with each failed step's message. A rejected branch is deleted unless kept
     * by configuration. Deciding twice changes nothing.
     *
     * @param errors the error of each step task that failed (could not run), by step name
     */
    Enhancement decide(long id, Map<String, String> errors) throws Exception {
        Enhancement e = enhancement(id);
        if (e.status() != EnhancementStatus.VALIDATING) {
            return e; // decided before (a resumed instance), or never started: nothing to do
        }
        errors.forEach((step, error) -> {
            if (error != null && !error.isBlank()) {
                record(id, new ValidationStep(step, false, null, "could not run: " + error, Duration.ZERO));
            }
        });
        List<ValidationStep> steps = store.steps(id);
        List<String> reasons = new ArrayList<>();
        steps.stream().filter(s -> !s.passed()).forEach(s -> reasons.add(s.name() + ": " + s.message()));
        if (steps.stream().noneMatch(s -> s.name().equals(PREPARE) && s.passed()) && reasons.isEmpty()) {
            reasons.add("prepare: the proposal was never applied");
        }
        EnhancementStore.Commands commands = store.commands(id);
        if (blank(commands.build()) && blank(commands.test())) {
            reasons.add("the repository declares no build or test command: nothing shows the change is safe");
        }
        boolean ok = reasons.isEmpty();
        String reason = ok ? "validated: " + String.join(", ", steps.stream().map(ValidationStep::name).toList())
                + " passed" : "rejected: " + String.join("; ", reasons);
        EnhancementStatus to = ok ? EnhancementStatus.VALIDATED : EnhancementStatus.REJECTED;
        if (!store.move(id, EnhancementStatus.VALIDATING, to, reason, Map.of("VALIDATED_AT", Instant.now()))) {
            return enhancement(id); // another attempt decided meanwhile
        }
        if (!ok && e.branch() != null && !settings.get().keepRejectedBranches()) {
            GitCli.run(Path.of(e.repositoryPath()), null, Map.of(), "update-ref", "-d", "refs/heads/" + e.branch());
            store.clearBranch(id);
        }
        Enhancement now = enhancement(id);
        changes.changed(now, EnhancementStatus.VALIDATING);
        // a validated revert waits on its branch: its original stays applied until the revert is (markApplied)
        return now;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A step's verdict before it is timed and recorded. */
    private record Step(boolean passed, Long checkId, String message) {
    }

    private ValidationStep once(long id, String name, Callable<Step> work) throws Exception {
        Optional<ValidationStep> done = store.step(id, name);
        if (done.isPresent()) {
            return done.get();
        }
        long started = System.nanoTime();
        Step s = work.call();
        return record(id, new ValidationStep(name, s.passed(), s.checkId(), s.message(),
                Duration.ofNanos(System.nanoTime() - started)));
    }

    private ValidationStep record(long id, ValidationStep step) {
        try {
            return store.record(id, step);
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException("recording step " + step.name() + " of enhancement " + id + ": "
                    + ex.getMessage(), ex);
        }
    }
}
