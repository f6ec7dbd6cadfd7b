package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.workflow.api.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.harmonix.workflow.api.WorkflowValidationException;
import org.junit.jupiter.api.Test;

/** Every kind of validation problem, all reported at once, each with its line and column. */
class ValidationTest {
    private WorkflowEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = new WorkflowEngine(null);
        engine.handlers().add("t", ctx -> ctx.input(), List.of("test"), List.of("echo"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private List<String> problems(String yaml) {
        return engine.validate("wf.yaml", yaml).stream().map(Problem::toString).toList();
    }

    /**
     * @return the problems of the workflow in {@code file} of the resource folder {@code validation} beside this
     *     class, read as wf.yaml: the lines and columns asserted are those an editor shows in that file
     */
    private List<String> problemsOf(String file) throws IOException {
        try (InputStream in = ValidationTest.class.getResourceAsStream("validation/" + file)) {
            return problems(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void has(List<String> all, String expected) {
        assertTrue(all.contains(expected), "expected\n  " + expected + "\nin\n  " + String.join("\n  ", all));
    }

    @Test
    void syntaxErrorsSayWhere() {
        List<String> p = problems("name: x\nversion: 1\ntasks:\n  a: {component: test, action: echo\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("wf.yaml:4:36: /: not valid YAML or JSON: while parsing a flow mapping"), p.get(0));
    }

    @Test
    void aKeyGivenTwiceIsAnErrorWhereItIsGivenAgain() {
        List<String> task = problems("name: x\nversion: 1\ntasks:\n  a: {component: test, action: echo}\n"
                + "  a: {component: test, action: fail}\n");
        assertEquals(1, task.size(), task.toString());
        assertTrue(task.get(0).startsWith("wf.yaml:5:4: /: not valid YAML or JSON: Duplicate field 'a'"),
                task.get(0));
        List<String> field = problems("name: x\nversion: 1\ntasks:\n  a:\n    component: test\n    action: echo\n"
                + "    component: other\n");
        assertTrue(field.get(0).startsWith("wf.yaml:7:14: /: not valid YAML or JSON: Duplicate field 'component'"),
                field.get(0));
    }

    @Test
    void storedTextWithAKeyTwiceStillLoadsAsItDidWhenItWasAccepted() throws Exception {
        String text = "name: x\nversion: 1\ntasks:\n  a: {component: test, action: echo}\n"
                + "  a: {component: test, action: fail}\n";
        // deployed before the check: definitions and instances read back at start must not vanish
        assertEquals("fail", new DefinitionReader(null).read("stored", text).tasks().get("a").action());
        assertThrows(WorkflowValidationException.class, () -> new DefinitionReader((c, a) -> true).read("new", text));
    }

    @Test
    void schemaProblemsNameLineColumnAndField() throws IOException {
        List<String> p = problemsOf("schema-problems.yaml");
        has(p, "wf.yaml:1:1: /name: does not match the regex pattern ^[A-Za-z0-9._-]{1,64}$");
        has(p, "wf.yaml:4:3: /tasks/a/action: required property 'action' not found");
        has(p, "wf.yaml:6:13: /tasks/a/retry/attempts: must have a minimum value of 1");
        has(p, "wf.yaml:7:5: /tasks/a/timeout: does not match the regex pattern ^([0-9]+(ms|s|m|h|d))+$");
        assertTrue(p.stream().noneMatch(x -> x.contains("no task handler")), "no handler check without an action");
        has(p, "wf.yaml:8:5: /tasks/a/colour: property 'colour' is not defined in the schema and the schema does "
                + "not allow additional properties");
    }

    @Test
    void unknownDependenciesAndCyclesByTheirPath() throws IOException {
        List<String> p = problemsOf("dependencies.yaml");
        has(p, "wf.yaml:5:54: /tasks/b/depends_on/1: unknown task 'ghost'; tasks: a, b, c, d");
        has(p, "wf.yaml:4:38: /tasks/a/depends_on: dependency cycle: a -> b -> c -> a");
        has(p, "wf.yaml:7:51: /tasks/d/depends_on/0: a task cannot depend on itself");
    }

    @Test
    void expressionsMustParseAndReadKnownThings() throws IOException {
        List<String> p = problemsOf("expressions.yaml");
        has(p, "wf.yaml:6:46: /tasks/a/input/x: 'input.pth': unknown input 'pth'; inputs: path");
        has(p, "wf.yaml:7:46: /tasks/b/input/y: 'tasks.a.output.x': reads task 'a', which this task does not "
                + "depend on (add it to depends_on)");
        has(p, "wf.yaml:8:46: /tasks/c/input/z: 'tasks.nope.output': unknown task 'nope'; tasks: a, b, c, d");
        assertTrue(p.stream().anyMatch(s -> s.startsWith("wf.yaml:8:73: /tasks/c/input/w: expression does not "
                + "parse: ")), String.join("\n", p));
        has(p, "wf.yaml:9:46: /tasks/d/input/v: 'item': 'item' exists only in a for_each");
        has(p, "wf.yaml:9:60: /tasks/d/input/u: 'java.lang.System': unknown name 'java'; expected input.NAME, "
                + "tasks.ID");
    }

    @Test
    void typesHandlersJoinsAndCompensations() throws IOException {
        List<String> p = problemsOf("types-handlers-joins-compensations.yaml");
        has(p, "wf.yaml:4:22: /input/n/default: is a string; the input is of type integer");
        has(p, "wf.yaml:6:7: /tasks/a/component: no task handler serves component 'nobody', action 'none'");
        has(p, "wf.yaml:7:38: /tasks/b/join: a join needs two or more dependencies; this task has 1");
        has(p, "wf.yaml:8:38: /tasks/c/on_failure: task 'b' is not marked compensation: true");
        has(p, "wf.yaml:9:38: /tasks/d/on_failure: 'undo': expected fail, continue or the id of a compensation task");
        has(p, "wf.yaml:10:49: /tasks/e/for_each/items: '[1]': expected a list or a ${...} expression giving one");
        has(p, "wf.yaml:10:3: /tasks/e: has both for_each and repeat; a task loops one way");
    }

    @Test
    void aCompensationReadsAnyTaskWithoutDependingOnItAsTheDocsSayButOtherTasksDoNot() throws IOException {
        List<String> p = problemsOf("saga.yaml");
        assertEquals(List.of(
                "wf.yaml:6:49: /tasks/ship/input/why: 'tasks.charge.error': reads task 'charge', which this task does "
                        + "not depend on (add it to depends_on)",
                "wf.yaml:10:81: /tasks/release/input/x: 'tasks.nope.error': unknown task 'nope'; tasks: charge, release, "
                        + "reserve, ship"), p);
    }

    @Test
    void aValidDefinitionHasNoProblemsAndJsonIsReadToo() {
        assertEquals(List.of(), problems("""
                {"name": "j", "version": "2.1", "tasks": {"a": {"component": "test", "action": "echo"}}}
                """));
    }
}
