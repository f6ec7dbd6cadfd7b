package io.harmonix.proposals.internal;

import io.harmonix.agent.quality.testing.TestQualityAgent;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.testing.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the tests validate proposals with: a real git repository ({@code repos/shop}: a Java class, a build script
 * and a test script that names its failing test), a real Derby, the durable workflow engine with this bundle's
 * handlers and its shipped workflow, the fleet's sandboxed executor (isolation required), and the quality agent.
 */
public final class Fixture implements AutoCloseable {
    static final String BASKET = """
            package shop;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;

            public class Basket {
                private final List<String> items = new ArrayList<>();

                public void add(String item) {
                    items.add(item);
                }

                public int size() {
                    return items.size();
                }
            }
            """;
    static final String BASKET_TEST = """
            package shop;

            public class BasketTest {
                public static void main(String[] args) {
                    Basket b = new Basket();
                    b.add("apple");
                    b.add("pear");
                    if (b.size() != 2) {
                        System.out.println("FAIL: BasketTest.sizeCountsItems expected 2 but was " + b.size());
                        System.exit(1);
                    }
                    System.out.println("ok BasketTest.sizeCountsItems");
                }
            }
            """;

    /** The fix of Basket's unused import, by hand: what the quality agent proposes too. */
    public static final String REMOVE_MAP_IMPORT = """
            --- a/src/shop/Basket.java
            +++ b/src/shop/Basket.java
            @@ -3,5 +3,4 @@
             import java.util.ArrayList;
             import java.util.List;
            -import java.util.Map;
             
             public class Basket {
            """;

    final Path dir;
    final DerbyFixture derby;
    final GitRepo repo;
    final Repository repository;
    final SandboxExecutor executor;
    private final CheckHistory history;
    final Map<Agent, Map<String, Object>> agents = new ConcurrentHashMap<>();
    final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    final Proposals proposals;
    /** The engine's service, and the engine itself (stopped and started again by the tests of resumption). */
    WorkflowService engine;
    TestEngine workflows;

    public Fixture(Path dir) throws Exception {
        this.dir = dir;
        derby = DerbyFixture.open(dir.resolve("db"), EnhancementStore.COMPONENT, EnhancementStore.MIGRATIONS);
        repo = GitRepo.init(dir.resolve("repos/shop"))
                .write("src/shop/Basket.java", BASKET)
                .write("test/shop/BasketTest.java", BASKET_TEST)
                .write("build.sh", "set -e\nrm -rf out\nmkdir -p out\njavac -d out src/shop/*.java\n")
                .write("test.sh", "set -e\nsh build.sh\nmkdir -p out-test\n"
                        + "javac -cp out -d out-test test/shop/*.java\njava -cp out:out-test shop.BasketTest\n")
                .write(".gitignore", "out/\nout-test/\n")
                .commit("shop");
        repository = new Repository("shop", repo.root().toString(), "java", "sh build.sh", "sh test.sh", List.of(),
                List.of(), "manifest", null);
        TestSandbox sandbox = TestSandbox.settings().timeLimit(Duration.ofMinutes(2)).memoryBytes(1L << 30)
                .processLimit(1024).logLimit(256 * 1024).log(line -> {
                    if (!line.startsWith("info ")) {
                        System.err.println(line);
                    }
                }).open(dir.resolve("home"), derby.dataSource(), derby.migrator());
        executor = sandbox.executor();
        history = sandbox.history();
        Validation.Settings settings = new Validation.Settings(dir.resolve("scratch"), Duration.ofMinutes(2),
                Duration.ofMinutes(5), 0.1, false);
        proposals = Proposals.over(derby.dataSource(), () -> engine, () -> executor,
                (type, id) -> AgentChoice.choose(agents, type, id), () -> settings,
                (now, previous) -> changes.add(now.id() + ":" + previous.id() + "->" + now.status().id()));
        startEngine();
    }

    /** Starts the engine (again), with this bundle's handlers, and deploys the shipped workflow. */
    void startEngine() throws Exception {
        workflows = TestEngine.durable(derby.dataSource(), derby.migrator(), System.err::println)
                .handler("enhancement", proposals.handlers(), List.of(Handlers.COMPONENT), Handlers.ACTIONS);
        engine = workflows.service();
        ValidationWorkflow.deploy(engine, System.err::println);
    }

    /** @return the checks the executor ran for the repository, newest first */
    List<CheckRecord> checks() {
        return history.checks("shop", 1000);
    }

    public io.harmonix.proposals.api.EnhancementLedger api() {
        return proposals.ledger();
    }

    Ledger ledger() {
        return proposals.ledger();
    }

    /** Adds a quality agent instance {@code quality.test}, as DS would register it. */
    public Agent qualityAgent() {
        Agent agent = TestQualityAgent.create(dir, "test", Map.of());
        agents.put(agent, Map.of(Agent.TYPE, "quality", Agent.ID, "quality.test"));
        return agent;
    }

    /** @return the quality agent's finding of {@code rule} on the repository and its proposal */
    static Map.Entry<Finding, Proposal> proposalOf(Agent agent, Path root, String rule) throws Exception {
        var inputs = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        inputs.put("target", root.toString());
        CycleFindings found = FindingCycle.read(agent.step(new AgentContext("propose", 1, null, inputs,
                Instant.now().plusSeconds(300))).outputs()).orElseThrow();
        Finding f = found.findings().stream().map(TrackedFinding::finding).filter(x -> x.ruleId().equals(rule))
                .findFirst().orElseThrow(() -> new AssertionError("no " + rule + " among " + found.findings()));
        Proposal p = found.proposals().stream().filter(x -> x.fingerprint().equals(f.fingerprint())).findFirst()
                .orElseThrow(() -> new AssertionError("no proposal for " + f));
        return Map.entry(f, p);
    }

    /** A finding of the quality agent's type on Basket.java with a hand-written diff as its proposal. */
    public Map.Entry<Finding, Proposal> handMade(String fingerprintSeed, String diff) throws Exception {
        Finding f = Finding.of("quality", "UnnecessaryImport", Severity.LOW, Risk.LOW, "",
                Location.lines("src/shop/Basket.java", 5, 5), "Unused import 'java.util.Map'", "", fingerprintSeed);
        return Map.entry(f, new Proposal(f.fingerprint(), repo.head(), "hand-made change", diff, "a test"));
    }

    /**
     * The quality agent's own finding of Basket's unused import (its real fingerprint, so the agent step can confirm
     * it is gone) with {@code diff} as its fix, on the head.
     */
    public Map.Entry<Finding, Proposal> unusedImportFix(Agent agent, String diff) throws Exception {
        Finding f = proposalOf(agent, repo.root(), "UnnecessaryImport").getKey();
        return Map.entry(f, new Proposal(f.fingerprint(), repo.head(), "remove the unused import", diff, "a test"));
    }

    /** The autonomy controller's part, by hand: main fast-forwarded to the enhancement's branch, the merge recorded. */
    public Enhancement merge(long id) throws Exception {
        repo.git("merge", "--ff-only", "-q", ledger().enhancement(id).orElseThrow().branch());
        return ledger().markApplied(id, repo.head());
    }

    public Enhancement submit(Map.Entry<Finding, Proposal> fix) {
        return ledger().submit("wave-1", "quality.test", repository, fix.getKey(), fix.getValue());
    }

    /** Validates and waits for the workflow's end. @return the enhancement then */
    public Enhancement validate(long id) throws Exception {
        String instance = ledger().validate(id);
        InstanceInfo done = engine.await(instance, Duration.ofMinutes(5));
        if (!done.state().finished()) {
            throw new AssertionError("validation of " + id + " did not end: " + done);
        }
        return ledger().enhancement(id).orElseThrow();
    }

    Enhancement status(long id, EnhancementStatus expected) {
        Enhancement e = ledger().enhancement(id).orElseThrow();
        if (e.status() != expected) {
            throw new AssertionError("enhancement " + id + " is " + e.status() + ", not " + expected + ": "
                    + e.reason() + " " + e.validation());
        }
        return e;
    }

    @Override
    public void close() {
        workflows.close();
        derby.close();
    }
}
