package io.harmonix.fleet.sandbox.internal;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.log.Logger;

/**
 * A runtime's home in a test folder with a real Derby database, the sandbox component made over it as DS makes it,
 * and a real git repository ({@code repos/app}) to run commands on. Its data folder is {@code data/} of the home
 * unless given. Closing it stops the component and checks that no cgroup folder of its data folder is left.
 */
public final class SandboxFixture implements AutoCloseable {
    final Path dir;
    final Path home;
    final Path data;
    final DerbyFixture derby;
    public final GitRepo repo;
    final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    SandboxComponent sandbox;

    public RecordedChecks checks() {
        return sandbox;
    }

    public SandboxFixture(Path dir, SandboxSettings settings) throws Exception {
        this(dir, dir.resolve("home"), null, settings);
    }

    /**
     * A runtime of the installation {@code home} started with the data folder {@code data} (null: the home's
     * {@code data/}), its database and repository under {@code dir}.
     */
    SandboxFixture(Path dir, Path home, Path data, SandboxSettings settings) throws Exception {
        this.dir = dir;
        this.home = Files.createDirectories(home);
        Files.createDirectories(home.resolve("etc"));
        this.data = data == null ? home.resolve("data") : data;
        this.derby = DerbyFixture.open(dir.resolve("db"));
        this.repo = GitRepo.init(dir.resolve("repos/app"));
        this.sandbox = new SandboxComponent(settings, home, this.data, derby.dataSource(), derby.migrator(),
                logger(logged));
    }

    /** @return the cgroup folders (memory, pids) of this fixture's data folder that exist now */
    List<Path> cgroupFolders() {
        return sandbox.cgroups().map(Cgroups::folders).orElse(List.of()).stream().filter(Files::exists).toList();
    }

    /** Settings as the defaults but a short time limit and a small log. */
    static SandboxSettings settings(Duration timeLimit, int processLimit, boolean required, int logLimit) {
        return new SandboxSettings(timeLimit, 512L << 20, processLimit, required, logLimit, List.of());
    }

    public static SandboxSettings defaults() {
        return settings(Duration.ofSeconds(20), 256, true, 64 * 1024);
    }

    public CheckRecord run(String commit, String command) {
        return run(commit, command, null);
    }

    CheckRecord run(String commit, String command, Duration timeout) {
        return sandbox.execute(new ExecutionRequest("app", repo.root().toString(), commit, "build", command, timeout,
                Map.of()));
    }

    /**
     * Starts a check that runs until {@link #release} and returns once its command runs (a process whose command
     * line holds {@code token} exists).
     */
    CompletableFuture<CheckRecord> startWaiting(String token) throws Exception {
        CompletableFuture<CheckRecord> check = CompletableFuture.supplyAsync(() -> run("HEAD", ": " + token
                + "; while [ ! -e released ]; do sleep 0.02; done; echo released " + token));
        while (SandboxExecutorTest.processesWith(token).isEmpty() && !check.isDone()) {
            Thread.sleep(10);
        }
        if (check.isDone()) {
            throw new AssertionError("the check ended before it was released: " + check.get());
        }
        return check;
    }

    /** Lets every check started with {@link #startWaiting} end: a file in its worktree, which it waits for. */
    void release() throws java.io.IOException {
        try (var checks = Files.list(SandboxRunner.worktrees(data))) {
            for (Path check : checks.toList()) {
                Files.writeString(check.resolve("tree/released"), "");
            }
        }
    }

    /** A Logger that adds each message to {@code into}; the component logs only messages with arguments. */
    static Logger logger(List<String> into) {
        return TestSandbox.logger(into::add);
    }

    /**
     * Stops the component and closes the database; then fails when a cgroup folder of the data folder is left
     * (every test that uses a fixture thus checks that the module's tests leave none in /sys/fs/cgroup).
     */
    @Override
    public void close() {
        sandbox.deactivate();
        derby.close();
        List<Path> left = cgroupFolders();
        if (!left.isEmpty()) {
            throw new AssertionError("cgroup folders left after the component stopped: " + left);
        }
    }
}
