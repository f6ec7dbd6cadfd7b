package io.harmonix.fleet.builds.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.BreakingCommit;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.workflow.api.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The work of one repository's task in a fleet build: its build then its tests, in the sandbox, on the commit the
 * build resolved when it started; a failure retried on the same commit (passing on a retry: flaky, built; failing
 * every time: broken), a broken repository bisected from its last green commit to the commit that broke it.
 *
 * <p>Idempotent over a crash: each step (build or test of an attempt, each bisection probe) that finished is kept
 * with its check record under the task's idempotency key, and the task run again after a crash takes the record
 * instead of running the command again. A step cut by the crash (no record kept) runs again, on the same commit.
 */
final class RepositoryBuilder {
    static final String BUILD = "build";
    static final String TEST = "test";
    static final String BISECT = "bisect";
    /** Given to each command: 1 on the first attempt, 2 on the first retry... (a build may log more on a retry). */
    static final String ATTEMPT_VARIABLE = "HARMONIX_CHECK_ATTEMPT";
    static final String SOURCE = "harmonix.fleet.builds";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where events go: the runtime's EventService when there is one. */
    @FunctionalInterface
    interface Events {
        void publish(String type, String subject, Map<String, Object> data);
    }

    private final SandboxExecutor executor;
    private final CheckHistory history;
    private final BuildStore store;
    private final Supplier<Settings> settings;
    private final Events events;

    RepositoryBuilder(SandboxExecutor executor, CheckHistory history, BuildStore store, Supplier<Settings> settings,
            Events events) {
        this.executor = executor;
        this.history = history;
        this.store = store;
        this.settings = settings;
        this.events = events;
    }

    /**
     * What one repository's task runs, kept in the build's plan (not in the workflow's text, where a command's
     * {@code ${...}} would be taken for an expression).
     *
     * @param build the build's key
     * @param commit the full SHA, resolved when the build started
     * @param testCommand null when it has none
     */
    record Job(String build, String repository, String path, String commit, String buildCommand,
            String testCommand) {
    }

    /** @return the repository's outcome as the task's output; throws when it failed (the task fails with why) */
    Map<String, Object> execute(TaskContext context) throws Exception {
        String key = (String) context.required("build");
        Plan plan = store.plan(key).orElseThrow(() -> new IllegalStateException("no fleet build " + key));
        // the task of the build this repository's child stands for; a build started before repositories were
        // children (its tasks were fleet/build themselves) has none: its own task then
        Object task = context.input().get("task");
        Job job = plan.jobs().get(plan.repositoryOf(task == null ? context.taskId() : task.toString()));
        RepositoryOutcome outcome = build(job, context.idempotencyKey());
        store.saveOutcome(job.build(), outcome);
        checkHealth(job.repository());
        if (outcome.outcome() == Outcome.FAILED) {
            throw new IllegalStateException(outcome.reason());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> output = MAPPER.convertValue(Codec.outcome(outcome), Map.class);
        return output;
    }

    private RepositoryOutcome build(Job job, String taskKey) throws Exception {
        Settings s = settings.get();
        List<Long> ids = new ArrayList<>();
        Duration took = Duration.ZERO;
        CheckRecord failure = null;
        for (int attempt = 1; attempt <= s.attempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(s.retryBackoff().multipliedBy(1L << Math.min(attempt - 2, 16)).toMillis());
            }
            CheckRecord b = step(job, taskKey, BUILD + "#" + attempt, BUILD, job.buildCommand(), attempt);
            ids.add(b.id());
            took = took.plus(b.duration());
            CheckRecord t = null;
            if (b.passed() && job.testCommand() != null) {
                t = step(job, taskKey, TEST + "#" + attempt, TEST, job.testCommand(), attempt);
                ids.add(t.id());
                took = took.plus(t.duration());
            }
            failure = !b.passed() ? b : t != null && !t.passed() ? t : null;
            if (failure == null) {
                store.toldBroken(job.repository(), null);
                return new RepositoryOutcome(job.repository(), Outcome.BUILT, job.commit(), null, ids, took,
                        attempt > 1, null);
            }
        }
        BreakingCommit breaking = locate(job, taskKey);
        String reason = failure.kind() + " failed on each of " + s.attempts() + " attempt(s): " + why(failure)
                + " (check " + failure.id() + ")" + (breaking == null ? ""
                        : "; broken by " + breaking.commit().substring(0, 12) + " (" + breaking.author() + ": "
                                + breaking.subject() + ")");
        RepositoryOutcome outcome = new RepositoryOutcome(job.repository(), Outcome.FAILED, job.commit(), reason,
                ids, took, false, breaking);
        // told once per breaking commit, not at each build of a repository still broken by it, nor again when the
        // task runs again after a crash (unless the crash fell between the event and keeping that it was told)
        if (breaking != null && store.newlyBroken(job.repository(), breaking.commit())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("repository", job.repository());
            data.put("commit", breaking.commit());
            data.put("author", breaking.author());
            data.put("subject", breaking.subject());
            data.put("lastGreen", breaking.lastGreen());
            data.put("head", job.commit());
            data.put("checks", ids);
            data.put("bisectChecks", breaking.checks());
            data.put("build", job.build());
            events.publish(FleetBuilds.BROKEN_EVENT, job.repository(), data);
            store.toldBroken(job.repository(), breaking.commit());
        }
        return outcome;
    }

    // Broken on every attempt: where its last green commit is known, bisect to the first failing one.
    private BreakingCommit locate(Job job, String taskKey) throws Exception {
        Optional<String> green = Bisection.lastGreen(history, job.repository(), job.path(),
                job.testCommand() != null, job.commit());
        if (green.isEmpty()) {
            return null;
        }
        // the same green commit and HEAD (a build again, nothing committed): the same answer, without its probes
        Optional<BreakingCommit> known = store.bisection(job.repository(), green.get(), job.commit());
        if (known.isPresent()) {
            return known.get();
        }
        String both = job.testCommand() == null ? job.buildCommand()
                : "(" + job.buildCommand() + ") && (" + job.testCommand() + ")";
        BreakingCommit found = Bisection.locate(job.path(), green.get(), job.commit(), commit -> step(
                new Job(job.build(), job.repository(), job.path(), commit, both, null), taskKey,
                BISECT + ":" + commit, BISECT, both, 1));
        if (found != null) {
            store.saveBisection(job.repository(), green.get(), job.commit(), found);
        }
        return found;
    }

    private CheckRecord step(Job job, String taskKey, String step, String kind, String command, int attempt)
            throws Exception {
        OptionalLong done = store.step(taskKey, step);
        if (done.isPresent()) {
            Optional<CheckRecord> kept = history.check(done.getAsLong());
            if (kept.isPresent()) {
                return kept.get();
            }
        }
        // the executor throws only when it could not run or record a check (a failing command is a record): the
        // task fails with it, as with any fault of the runtime, rather than asking again on a hunch
        CheckRecord record = executor.execute(new ExecutionRequest(job.repository(), job.path(), job.commit(), kind,
                command, null, Map.of(ATTEMPT_VARIABLE, Integer.toString(attempt))));
        if (Thread.interrupted()) {
            // cancelled or stopping: the record says the command was killed, which is no verdict on the commit
            throw new InterruptedException(job.repository() + ": " + kind + " interrupted (check " + record.id()
                    + ")");
        }
        store.saveStep(taskKey, step, record.id());
        return record;
    }

    // A repository whose builds failed failureThreshold times in a row (a build task failing on all its attempts
    // is one failure) is reported once per streak.
    private void checkHealth(String repository) throws Exception {
        List<CheckRecord> streak = Health.streak(history.checks(repository, Bisection.HISTORY));
        int failures = Health.failures(streak, store.runs(streak.stream().map(CheckRecord::id).toList()));
        int threshold = settings.get().failureThreshold();
        if (failures >= threshold && store.recordAlert(repository, streak.get(0).id())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("repository", repository);
            data.put("consecutiveFailures", failures);
            data.put("threshold", threshold);
            data.put("since", streak.get(0).startedAt().toString());
            data.put("checks", streak.stream().map(CheckRecord::id).toList());
            events.publish(FleetBuilds.UNHEALTHY_EVENT, repository, data);
        }
    }

    static String why(CheckRecord r) {
        if (r.error() != null) {
            return r.error();
        }
        return r.timedOut() ? "timed out after " + r.duration().toMillis() + " ms" : "exit " + r.exitCode();
    }
}
