package io.harmonix.enhance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smallest real agent bundle that docs/agents.md shows ("Writing an agent"), compiled from docs/examples as it is
 * written and run for two cycles on a real git repository: the documentation's example works.
 */
class ExampleAgentTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedTodoAgentCompilesAndReportsNewThenFixed() throws Exception {
        Path source = Path.of(System.getProperty("harmonix.docs", "../../docs"), "examples/agent/TodoAgent.java");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), source.toString());
        assertEquals(0, status, "the docs' example agent does not compile");
        String guide = Files.readString(source.getParent().getParent().getParent().resolve("agents.md"));
        org.junit.jupiter.api.Assertions.assertTrue(guide.contains(Files.readString(source).strip()),
                "docs/agents.md shows the example as it is in docs/examples/agent/TodoAgent.java");

        Path repo = Files.createDirectories(dir.resolve("repo/src"));
        Files.writeString(repo.resolve("A.java"), "class A {\n  // TODO finish\n}\n");
        Path root = repo.getParent();
        Target.git(root, "init", "-q");
        commit(root, "one");

        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> type = loader.loadClass("com.example.todo.TodoAgent");
            Class<?> configType = loader.loadClass("com.example.todo.TodoAgent$Config");
            Object config = Proxy.newProxyInstance(loader, new Class<?>[] {configType},
                    (p, m, a) -> m.getName().equals("target") ? root.toString() : "");
            EnhancementAgent agent = (EnhancementAgent) type.getConstructor(configType).newInstance(config);
            assertEquals(List.of("todo"), agent.rules().stream().map(Rule::id).toList());

            AgentResult first = agent.step(new AgentContext("r", 1, null, null, Instant.MAX));
            CycleFindings one = FindingCycle.read(first.outputs()).orElseThrow();
            assertEquals(1, one.findings().size());
            assertEquals("src/A.java:2", one.findings().get(0).finding().location().toString());
            assertEquals(FindingStatus.NEW, one.findings().get(0).status());

            Files.writeString(repo.resolve("A.java"), "class A {\n}\n");
            commit(root, "done");
            AgentResult second = agent.step(new AgentContext("r", 2, first.state(), null, Instant.MAX));
            CycleFindings two = FindingCycle.read(second.outputs()).orElseThrow();
            assertEquals(List.of(), two.findings());
            assertEquals(one.findings().get(0).finding().fingerprint(), two.fixed().get(0).fingerprint());
        }
    }

    private static void commit(Path root, String message) throws Exception {
        Target.git(root, "add", "-A");
        Target.git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", message);
    }
}
