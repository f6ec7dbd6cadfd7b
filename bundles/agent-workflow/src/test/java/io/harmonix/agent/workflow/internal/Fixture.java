package io.harmonix.agent.workflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the agent's tests share: a git repository of workflow files, a real in-memory workflow engine whose
 * handlers ({@code test/ok}, {@code test/flaky}, {@code test/sleep}) do real work, and cycles of the agent over both,
 * each one fed the state of the one before, as the runner does.
 */
final class Fixture implements AutoCloseable {
    final Path repo;
    private final GitRepo git;
    final WorkflowEngine engine;
    /** The database of a durable engine, or null. */
    private final DerbyFixture derby;
    private JsonNode state = JsonNodeFactory.instance.nullNode();
    private long cycle;

    /** A fixture whose engine keeps everything in memory (no history entries: instances only). */
    Fixture(Path repo) throws Exception {
        this(repo, null);
    }

    /**
     * A fixture whose engine keeps definitions, instances and their history in a Derby database in {@code db}, as
     * the runtime's does; null for an in-memory engine.
     */
    Fixture(Path repo, Path db) throws Exception {
        this.repo = repo;
        this.derby = db == null ? null : DerbyFixture.open(db);
        this.engine = derby == null ? WorkflowEngine.inMemory()
                : WorkflowEngine.durable(derby.dataSource(), derby.migrator(), System.err::println);
        TaskHandler ok = c -> Map.of("x", 1);
        // fails its first `fails` attempts of every task run: the history of a flaky call
        TaskHandler flaky = c -> {
            if (c.attempt() <= ((Number) c.input().getOrDefault("fails", 0)).intValue()) {
                throw new IllegalStateException("attempt " + c.attempt() + " failed on purpose");
            }
            return Map.of("x", c.attempt());
        };
        TaskHandler sleep = c -> {
            Thread.sleep(((Number) c.input().get("ms")).longValue());
            return Map.of("x", 1);
        };
        engine.addHandler("ok", ok, List.of("test"), List.of("ok"));
        engine.addHandler("flaky", flaky, List.of("test"), List.of("flaky"));
        engine.addHandler("sleep", sleep, List.of("test"), List.of("sleep"));
        this.git = GitRepo.init(repo);
    }

    /** Writes a file of the repository, commits it and deploys it on the engine from there. */
    Fixture workflow(String file, String yaml) throws Exception {
        write(file, yaml);
        commit("add " + file);
        engine.deploy(repo.resolve(file).toString(), yaml);
        return this;
    }

    void write(String file, String text) throws Exception {
        git.write(file, text);
    }

    void commit(String message) throws Exception {
        git.commit(message);
    }

    /** Runs {@code n} instances of a deployed workflow to their end, one after the other. */
    List<InstanceInfo> run(String workflow, int n) throws Exception {
        List<InstanceInfo> done = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            done.add(engine.await(engine.start(workflow, null, Map.of(), null).id(), Duration.ofSeconds(30)));
        }
        return done;
    }

    /** One cycle of the agent over the repository; the next cycle sees this one's state. */
    CycleFindings cycle(Settings settings) throws Exception {
        return cycle(settings, Instant.now().plusSeconds(60));
    }

    /** One cycle that must answer by {@code deadline}. */
    CycleFindings cycle(Settings settings, Instant deadline) throws Exception {
        WorkflowAgent agent = new WorkflowAgent(engine, repo, new WorkflowAgent.Scope("", List.of(), settings));
        AgentResult r = agent.step(new AgentContext("run", ++cycle, state, JsonNodeFactory.instance.objectNode()
                .put("target", repo.toString()), deadline));
        state = r.state();
        return FindingCycle.read(r.outputs()).orElseThrow();
    }

    /** Applies a proposal's diff to the working tree the way a person would ({@code git apply}), and commits it. */
    void apply(String diff) throws Exception {
        Path patch = Files.createTempFile("proposal", ".diff");
        try {
            Files.writeString(patch, diff);
            git("apply", "--check", patch.toString());
            git("apply", patch.toString());
            commit("apply a proposal");
        } finally {
            Files.delete(patch);
        }
    }

    String read(String file) throws Exception {
        return git.read(file);
    }

    String git(String... args) throws Exception {
        return git.git(args);
    }

    @Override
    public void close() {
        engine.close();
        if (derby != null) {
            derby.close();
        }
    }
}
