package io.harmonix.agent.architecture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.architecture.internal.graph.GraphBuilder;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture compiled by javac into each module's target/classes (ignored by git, as in a real build): the graph
 * then comes from the class files, with the line of each dependency's first use from the LineNumberTable, and the
 * import line for a dependency only a declaration makes.
 */
class BytecodeModeTest {
    @TempDir
    Path dir;
    private ModularFixture fixture;

    @BeforeEach
    void compile() throws Exception {
        fixture = new ModularFixture(dir);
        fixture.write(".gitignore", "target/\n").commit("ignore build output");
        Path out = Files.createDirectories(dir.resolve("alpha/target/classes"));
        List<String> args = new ArrayList<>(List.of("-g", "-d", out.toString(), "-classpath",
                System.getProperty("java.class.path")));
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the fixture compiles");
        // javac wrote every module's classes into alpha's folder: beta's go to beta's
        Path beta = dir.resolve("beta/target/classes/com/example");
        Files.createDirectories(beta);
        Files.move(out.resolve("com/example/beta"), beta.resolve("beta"));
    }

    @Test
    void modulesWithClassesAreReadFromThem() throws Exception {
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);
        assertEquals("classes", result.outputs().path("architecture").path("read").path("alpha").asText());
        assertEquals("classes", result.outputs().path("architecture").path("read").path("beta").asText());
        assertTrue(result.outputs().path("files").path("total").asInt() >= 8, result.outputs().toString());
    }

    @Test
    void cyclesAndViolationsPointAtTheLineOfTheFirstUseInTheSource() throws Exception {
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        List<String> cycles = Agents.ofRule(result, "cycle").stream().map(TrackedFinding::finding)
                .map(f -> f.location() + " " + f.message().substring(0, f.message().indexOf(';'))).sorted().toList();
        assertEquals(List.of(ModularFixture.HOOK + ":7 module cycle of 2 (alpha, beta)", ModularFixture.STRINGS
                + ":11 package cycle of 2 (com.example.alpha.internal, com.example.alpha.util)"), cycles,
                "return Names.defaultName(); and return new GreeterImpl();");
        Finding layering = ArchitectureAgentTest.only(Agents.ofRule(result, "layering")).finding();
        assertEquals(ModularFixture.MAIN + ":8", layering.location().toString(), "Greeter g = new GreeterImpl();");
    }

    @Test
    void aDependencyOnlyADeclarationMakesPointsAtItsImport() throws Exception {
        Target target = Target.open(dir, ".", List.of());
        GraphBuilder.Result built = GraphBuilder.build(target.root(), target.files(), () -> false, (d, t) -> {
        });
        Reference implementsGreeter = built.graph().references().stream()
                .filter(r -> r.fromType().equals("com.example.alpha.internal.GreeterImpl")
                        && r.toType().equals("com.example.alpha.api.Greeter")).findFirst().orElseThrow();
        assertEquals("alpha/src/main/java/com/example/alpha/internal/GreeterImpl.java:3",
                implementsGreeter.file() + ":" + implementsGreeter.line());
    }
}
