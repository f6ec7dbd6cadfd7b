package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.internal.policy.IndexDecisionLog;
import io.harmonix.autonomy.internal.policy.PolicyStore;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.store.testing.DerbyFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository made in the test's folder with the git CLI, a real Derby database, the fleet's real
 * sandboxed executor (TestSandbox), the real decision log over a real index (the policies' defaults in force), and
 * the change requests over them. The repository's test passes when
 * {@code app.txt} says {@code fixed}; its build always passes.
 */
final class ChangeFixture implements AutoCloseable {
    /** A secret the test's masker knows, planted in titles and diffs. */
    static final String SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

    final Path root;
    final Path repo;
    final Map<String, Repository> repositories = new HashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile DecisionLog decisions;
    volatile Parts.Settings settings = new Parts.Settings(RequiredChecks.parse(new String[] {"*=build,test"}, null),
            Duration.ofSeconds(60));
    /** The test's SecretMasker: it knows the planted secret. */
    static final SecretMasker MASKER = text -> text.replace(SECRET, "ghp_****");
    private DerbyFixture db;
    private IndexFixture index;
    private TestSandbox sandbox;
    Changes changes;

    ChangeFixture(Path root) throws Exception {
        this(root, true);
    }

    /** @param create false: over the repository, database and index an earlier fixture made in {@code root} */
    ChangeFixture(Path root, boolean create) throws Exception {
        this.root = root;
        this.repo = root.resolve("app");
        if (create) {
            Files.createDirectories(repo);
            git(repo, "init", "-q", "-b", "main");
            write("app.txt", "line 1\nbroken\nline 3\nline 4\nline 5\nline 6\nline 7\n");
            write("other.txt", "a\nb\nc\n");
            git(repo, "add", ".");
            git(repo, "commit", "-q", "-m", "initial");
            // main is not checked out (the controller never moves a checked-out branch): HEAD detached on it
            git(repo, "checkout", "-q", "--detach");
        }
        repositories.put("app", new Repository("app", repo.toString(), "make", "test -f app.txt",
                "grep -q fixed app.txt", List.of(), List.of(), "manifest", null));
        start();
    }

    /** Opens the database and the sandbox, and makes the change requests over them: what a runtime's start does. */
    void start() throws Exception {
        db = DerbyFixture.open(root.resolve("db"), ChangeStore.COMPONENT, ChangeStore.MIGRATIONS);
        sandbox = TestSandbox.settings().timeLimit(Duration.ofSeconds(60)).open(root.resolve("home"),
                db.dataSource(), db.migrator());
        index = IndexFixture.open(root.resolve("data/index"), m -> { });
        IndexDecisionLog decisionLog = new IndexDecisionLog(index.index(), new PolicyStore(
                root.resolve("etc/autonomy-policies.yaml"), m -> { }), Clock.systemUTC());
        decisionLog.addMasker(MASKER);
        decisions = decisionLog;
        changes = new Changes(new Parts(new ChangeStore(db.dataSource()),
                name -> Optional.ofNullable(repositories.get(name)), sandbox::executor, sandbox::history,
                () -> null, () -> decisions, MASKER::mask, () -> settings, log::add));
    }

    /** Drops the change requests and closes the database: the next {@link #start} is a restarted runtime. */
    void stop() throws Exception {
        changes = null;
        index.close();
        db.close();
    }

    /** Stops and starts again over the same database, repository and decision index: a restarted runtime. */
    void restart() throws Exception {
        stop();
        start();
    }

    javax.sql.DataSource dataSource() {
        return db.dataSource();
    }

    TestSandbox sandbox() {
        return sandbox;
    }

    void write(String file, String text) throws IOException {
        Files.writeString(repo.resolve(file), text, StandardCharsets.UTF_8);
    }

    /** Commits a change of {@code file} on main, as a person would (in the working tree, HEAD detached on main). */
    String commitOnMain(String file, String text, String message) throws Exception {
        String old = main();
        git(repo, "checkout", "-q", "--detach", old);
        write(file, text);
        git(repo, "add", file);
        git(repo, "commit", "-q", "-m", message);
        git(repo, "update-ref", "refs/heads/main", "HEAD", old);
        return main();
    }

    String main() throws Exception {
        return git(repo, "rev-parse", "refs/heads/main");
    }

    /** @return a unified diff that makes app.txt say {@code fixed} (with the text added), made by git itself */
    String fixDiff(String extra) throws Exception {
        Path scratch = root.resolve("scratch-" + System.nanoTime());
        git(root, "clone", "-q", repo.toString(), scratch.toString());
        String text = Files.readString(scratch.resolve("app.txt")).replace("broken", "fixed" + extra);
        Files.writeString(scratch.resolve("app.txt"), text);
        return git(scratch, "diff") + "\n";
    }

    /** @return a unified diff that adds a line to other.txt (which no check reads), made by git itself */
    String otherDiff() throws Exception {
        Path scratch = root.resolve("other-" + System.nanoTime());
        git(root, "clone", "-q", repo.toString(), scratch.toString());
        Files.writeString(scratch.resolve("other.txt"), "a\nb\nc\nd\n");
        return git(scratch, "diff") + "\n";
    }

    /** Makes the ship stop at {@code point} as a crash would: it throws there. */
    void crashAt(String point) {
        changes.shipper().crashPoint(p -> {
            if (p.equals(point)) {
                throw new IllegalStateException("simulated crash at " + p);
            }
        });
    }

    PlannedChange fix(String id, String title, Risk risk, String group, String diff) {
        return new PlannedChange(id, "app", "fix", title, risk, group, 0, null, diff);
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test Person", "-c",
                "user.email=person@example.org", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("fixture-git", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.getRoot().resolve("tmp").toString());
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("git " + args[0] + " failed: " + Files.readString(out));
        }
        String text = Files.readString(out).strip();
        Files.delete(out);
        return text;
    }

    @Override
    public void close() throws Exception {
        if (changes != null) {
            stop();
        }
    }
}
