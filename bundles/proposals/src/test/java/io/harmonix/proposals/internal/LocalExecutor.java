package io.harmonix.proposals.internal;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import io.harmonix.fleet.api.SandboxExecutor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Until the fleet's sandbox bundle is in this build: the executor's contract (a private worktree of the exact commit,
 * {@code /bin/sh -c}, a time limit, a record with the full SHA) without its isolation ({@link Isolation#NONE}). Each
 * record is kept, for the tests to see what ran on which commit.
 */
final class LocalExecutor implements SandboxExecutor {
    private final Path scratch;
    private final AtomicLong ids = new AtomicLong();
    final List<CheckRecord> records = new CopyOnWriteArrayList<>();

    LocalExecutor(Path scratch) {
        this.scratch = scratch;
    }

    @Override
    public CheckRecord execute(ExecutionRequest r) {
        long id = ids.incrementAndGet();
        Instant started = Instant.now();
        Path repo = Path.of(r.source());
        String sha;
        try {
            sha = GitCli.git(repo, "rev-parse", "--verify", r.commit() + "^{commit}").strip();
        } catch (Exception e) {
            return keep(new CheckRecord(id, r.repository(), r.commit(), r.kind(), r.command(), started,
                    Duration.ZERO, null, false, Isolation.NONE, "", false, "no commit " + r.commit()));
        }
        Process p = null;
        try (Worktree wt = Worktree.add(repo, scratch.resolve("check-" + id), sha)) {
            Path log = Files.createTempFile(scratch, "log", ".txt");
            p = new ProcessBuilder("/bin/sh", "-c", r.command()).directory(wt.path().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(new File("/dev/null")).start();
            Duration limit = r.timeout() == null ? Duration.ofMinutes(2) : r.timeout();
            boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return keep(new CheckRecord(id, r.repository(), sha, r.kind(), r.command(), started,
                    Duration.between(started, Instant.now()), ended ? p.exitValue() : null, !ended, Isolation.NONE,
                    out, false, null));
        } catch (InterruptedException e) {
            p.destroyForcibly(); // the caller's interrupt kills the command, as the executor's contract says
            Thread.currentThread().interrupt();
            return keep(new CheckRecord(id, r.repository(), sha, r.kind(), r.command(), started,
                    Duration.between(started, Instant.now()), null, false, Isolation.NONE, "", false, "interrupted"));
        } catch (Exception e) {
            return keep(new CheckRecord(id, r.repository(), sha, r.kind(), r.command(), started, Duration.ZERO,
                    null, false, Isolation.NONE, "", false, e.toString()));
        }
    }

    private CheckRecord keep(CheckRecord r) {
        records.add(r);
        return r;
    }

    @Override
    public Isolation isolation() {
        return Isolation.NONE;
    }
}
