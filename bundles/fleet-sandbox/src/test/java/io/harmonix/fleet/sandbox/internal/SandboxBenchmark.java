package io.harmonix.fleet.sandbox.internal;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sandbox's costs, in one session: a trivial command ({@code true}) run bare, then under each isolation
 * (the launch only), then as a whole check (worktree, record, cleanup); and worktree creation for repositories of
 * about 100, 1 000 and 10 000 files, by {@code clone --shared} (what the sandbox does) against {@code git worktree
 * add} on a persistent bare clone. Medians of {@value #RUNS} runs after one warm-up. Not a test: run it by hand
 * (docs/performance.md, "Fleet sandbox", gives the command).
 */
public final class SandboxBenchmark {
    private static final int RUNS = 11;

    private SandboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sandbox-bench");
        try {
            commands(dir);
            for (int files : new int[] {100, 1_000, 10_000}) {
                worktrees(dir, files);
            }
        } finally {
            Worktrees.delete(dir);
        }
    }

    private static void commands(Path dir) throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        double bare = median(() -> exit(new ProcessBuilder("/bin/sh", "-c", "true")));
        System.out.printf("true, bare:                 %7.1f ms%n", bare);
        for (Isolation isolation : Isolation.values()) {
            List<String> line = Launch.command(isolation, true, "true", scratch, scratch,
                    new Launch.Exposure(List.of(dir.resolve("home")), List.of(scratch)), null);
            double t = median(() -> exit(new ProcessBuilder(line)));
            System.out.printf("true, %-12s (launch): %7.1f ms  (%.1fx)%n", isolation, t, t / bare);
        }
        try (SandboxFixture f = new SandboxFixture(dir.resolve("check"), SandboxFixture.defaults())) {
            for (int i = 0; i < 100; i++) {
                f.repo.write("src/file" + i + ".txt", "line " + i + "\n");
            }
            f.repo.commit("100 files");
            double t = median(() -> {
                CheckRecord r = f.sandbox.execute(new ExecutionRequest("app", f.repo.root().toString(), "HEAD",
                        "build", "true", null, Map.of()));
                if (!r.passed()) {
                    throw new IllegalStateException(r.toString());
                }
                return 0;
            });
            System.out.printf("true, whole check (SANDBOX, 100 files: worktree, Derby record, cleanup): %7.1f ms "
                    + "(%.1fx)%n", t, t / bare);
        }
    }

    private static void worktrees(Path dir, int files) throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("repo-" + files));
        for (int i = 0; i < files; i++) {
            repo.write("d" + (i / 100) + "/f" + i + ".txt", "file " + i + "\n".repeat(1 + i % 20));
        }
        repo.commit("files");
        String sha = repo.head();
        Path bare = dir.resolve("clone-" + files + ".git");
        repo.git("clone", "-q", "--bare", repo.root().toString(), bare.toString());
        int[] n = {0};
        double clone = median(() -> {
            Path target = dir.resolve("wt-clone-" + files + "-" + n[0]++);
            Worktrees.create(repo.root(), sha, target);
            Worktrees.delete(target);
            return 0;
        });
        double worktree = median(() -> {
            Path target = dir.resolve("wt-add-" + files + "-" + n[0]++);
            Worktrees.git(bare, "worktree", "add", "--detach", "--quiet", target.toString(), sha);
            Worktrees.git(bare, "worktree", "remove", "--force", target.toString());
            return 0;
        });
        System.out.printf("worktree of %5d files: clone --shared + checkout %7.1f ms, worktree add + remove %7.1f "
                + "ms%n", files, clone, worktree);
    }

    private static int exit(ProcessBuilder builder) throws Exception {
        int code = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
        if (code != 0) {
            throw new IllegalStateException(builder.command() + " exited with " + code);
        }
        return code;
    }

    private static double median(Callable<?> task) throws Exception {
        task.call();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            task.call();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(times);
        return times.get(RUNS / 2);
    }
}
