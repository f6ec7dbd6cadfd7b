package io.harmonix.enhance.internal.command;

import io.harmonix.cycle.api.Agent;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.enhance.internal.EnhancementAgents;
import io.harmonix.enhance.internal.ScanProgressBoard;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.testing.Commands;
import io.harmonix.state.testing.StateFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the commands' tests run on: a journaled runner on a real Derby (so that scans fork their previous one, as
 * in the runtime), the {@link TodoAgent} registered as an enhancement agent, the progress board, the three
 * commands classes over them, and a real git repository to scan.
 */
final class ScanFixture implements AutoCloseable {
    final TodoAgent agent = new TodoAgent();
    final ScanProgressBoard progress = new ScanProgressBoard();
    final EnhancementAgents agents = new EnhancementAgents();
    final StateFixture db;
    final RunEngine engine;
    final ScanCommands scan;
    final FindingCommands findings;
    final ShowCommands show;
    final Path repo;
    private final GitRepo git;

    ScanFixture(Path dir) throws Exception {
        db = StateFixture.open(dir.resolve("db"), id -> id.equals(TodoAgent.TYPE) ? agent : null);
        JournalGate gate = new JournalGate();
        gate.set(db.journal());
        engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(60), 50, false), RunnerLog.console(), gate);
        engine.addRecorder(s -> { }); // the index's place: a journaled runner commits only what a recorder took
        engine.addAgent(new AgentInfo(TodoAgent.TYPE, TodoAgent.TYPE, 1, "test"), agent, 1);
        agents.add(agent, Map.of(Agent.TYPE, TodoAgent.TYPE, "service.id", 1L), "1.2.3");
        agent.progress = progress;
        scan = Commands.over(new ScanCommands(), engine, agents, progress);
        findings = Commands.over(new FindingCommands(), engine, agents);
        show = Commands.over(new ShowCommands(), engine);
        git = GitRepo.init(dir.resolve("repo"));
        repo = git.root();
    }

    /** Writes a file of the repository. */
    ScanFixture write(String file, String text) throws IOException {
        git.write(file, text);
        return this;
    }

    /** Commits everything. */
    ScanFixture commit(String message) throws Exception {
        git.commit(message);
        return this;
    }

    /** Runs git in the repository. */
    String git(String... args) throws Exception {
        return git.git(args);
    }

    String scan(String... args) throws Exception {
        return run(scan, "scan", args);
    }

    String findings(String... args) throws Exception {
        return run(findings, "findings", args);
    }

    String show(String... args) throws Exception {
        return run(show, "show", args);
    }

    private static String run(ShellCommands commands, String name, String... args) throws Exception {
        return CommandLines.output(commands, name, args);
    }

    /** What a command printed, and how it failed (null when it did not). */
    record Outcome(String output, Exception failure) {
        String message() {
            return failure == null ? "(no failure)" : failure.getMessage();
        }
    }

    /** Runs {@code enhance:scan}, keeping what it printed before it failed. */
    Outcome scanOutcome(String... args) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Exception failure = null;
        try (java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            CommandLines.run(scan, "scan", out, args);
        } catch (Exception e) {
            failure = e;
        }
        return new Outcome(bytes.toString(StandardCharsets.UTF_8), failure);
    }

    @Override
    public void close() throws Exception {
        engine.close(Duration.ofSeconds(10));
        db.close();
    }
}
