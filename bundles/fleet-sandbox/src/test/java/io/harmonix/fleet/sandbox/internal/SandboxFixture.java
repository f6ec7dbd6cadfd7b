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
import org.osgi.service.log.Logger;

/**
 * A runtime's home in a test folder with a real Derby database, the sandbox component made over it as DS makes it,
 * and a real git repository ({@code repos/app}) to run commands on.
 */
public final class SandboxFixture implements AutoCloseable {
    final Path dir;
    final Path home;
    final DerbyFixture derby;
    public final GitRepo repo;
    final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    SandboxComponent sandbox;

    public RecordedChecks checks() {
        return sandbox;
    }

    public SandboxFixture(Path dir, SandboxSettings settings) throws Exception {
        this.dir = dir;
        this.home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("etc"));
        this.derby = DerbyFixture.open(dir.resolve("db"));
        this.repo = GitRepo.init(dir.resolve("repos/app"));
        this.sandbox = new SandboxComponent(settings, home, derby.dataSource(), derby.migrator(), logger(logged));
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

    /** A Logger that adds each message to {@code into}; the component logs only messages with arguments. */
    static Logger logger(List<String> into) {
        return TestSandbox.logger(into::add);
    }

    @Override
    public void close() {
        sandbox.deactivate();
        derby.close();
    }
}
