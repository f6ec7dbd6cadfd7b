package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.DiscoveryReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of manifest error, each named with file, line, column and what was expected. */
class ManifestProblemsTest {
    @TempDir
    Path dir;
    private FleetFixture fleet;

    @BeforeEach
    void open() throws Exception {
        fleet = new FleetFixture(dir);
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    private List<String> problems(String manifest) throws Exception {
        fleet.manifest(manifest);
        DiscoveryReport r = fleet.engine.discover();
        return r.problems();
    }

    /** "LINE:COLUMN" of the first {@code token} on line {@code line} (1-based) of {@code text}. */
    private static String at(String text, int line, String token) {
        return line + ":" + (text.split("\n")[line - 1].indexOf(token) + 1);
    }

    @Test
    void aSyntaxErrorIsNamedAtItsLineAndColumn() throws Exception {
        List<String> p = problems("{\"repositories\": [\n  {\"name\": \"a\" \"path\": \"x\"}\n]}");
        assertTrue(p.get(0).startsWith("etc/repositories.json:2:16: not valid JSON: Unexpected character"), p.get(0));
        assertTrue(p.get(0).endsWith("(expected {\"repositories\": [...]})"), p.get(0));
    }

    @Test
    void schemaViolationsNameTheFieldAtItsPosition() throws Exception {
        List<String> p = problems("""
                {"repositories": [
                  {"name": "a", "path": "x", "colour": "red"},
                  {"name": "b"},
                  {"name": "c", "path": "y", "dependencies": "a"}
                ]}""");
        assertEquals(3, p.size() - 1, p.toString()); // and the line saying the catalogue is kept
        assertTrue(p.contains("etc/repositories.json:2:30: /repositories/0/colour: property 'colour' is not "
                + "defined in the schema and the schema does not allow additional properties"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("etc/repositories.json:3:3: /repositories/1/path: ")
                && s.contains("required property 'path' not found")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("etc/repositories.json:4:30: /repositories/2/dependencies:")
                && s.contains("string found, array expected")), p.toString());
    }

    @Test
    void semanticProblemsAreNamedAtTheirEntryAndTheRestIsKept() throws Exception {
        Path mvn = fleet.git.workingTree(dir.resolve("mvn-less"), "README", "no pom here");
        Path make = fleet.git.workingTree(dir.resolve("make"), "Makefile", "all:\n\techo\ncheck: all\n\techo\n");
        Path npm = fleet.git.workingTree(dir.resolve("npm"), "package.json", "{\"scripts\": {\"test\": \"x\"}}");
        Path plain = Files.createDirectories(dir.resolve("plain"));
        String text = """
                {"repositories": [
                  {"name": "one", "path": "%s", "build_command": "mvn -B package"},
                  {"name": "two", "path": "%s", "build_command": "make build", "test_command": "make check"},
                  {"name": "three", "path": "%s", "build_command": "npm run build", "dependencies": ["one", "nine"]},
                  {"name": "four", "path": "%s"},
                  {"name": "two", "path": "%s"}
                ]}""".formatted(mvn, make, npm, plain, npm);
        List<String> p = problems(text);
        assertEquals(List.of(
                "etc/repositories.json:" + at(text, 6, "\"name\"") + ": duplicate name 'two' (first at line 3, column "
                        + at(text, 3, "\"name\"").split(":")[1] + "): expected each name once; this entry is left out",
                "etc/repositories.json:" + at(text, 2, "\"build_command\"") + ": one: build_command 'mvn' needs a "
                        + "pom.xml at the top of the repository; there is none",
                "etc/repositories.json:" + at(text, 3, "\"build_command\"") + ": two: build_command 'make build': "
                        + "the Makefile has no rule for 'build' (it has: all, check)",
                "etc/repositories.json:" + at(text, 4, "\"build_command\"") + ": three: build_command 'npm run "
                        + "build': package.json has no script 'build' (it has: test)",
                "etc/repositories.json:" + at(text, 5, "\"path\"") + ": four: " + plain + ": not a git repository "
                        + "(expected a working tree or a bare repository)",
                "etc/repositories.json:" + at(text, 4, "\"nine\"") + ": three: depends on 'nine', which is no "
                        + "repository of the fleet (expected one of: four, one, three, two)"), p);
        assertEquals(List.of("four", "one", "three", "two"),
                fleet.engine.repositories().stream().map(r -> r.name()).toList());
        assertTrue(fleet.engine.repository("four").orElseThrow().problem().contains("not a git repository"));
        assertTrue(fleet.engine.repository("one").orElseThrow().healthy(), "a command problem is reported, the "
                + "repository itself opens");
    }
}
