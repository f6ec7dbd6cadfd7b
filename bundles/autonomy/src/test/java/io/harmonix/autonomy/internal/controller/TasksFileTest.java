package io.harmonix.autonomy.internal.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repository's .harmonix/tasks.json: its tasks, or every problem with its line, column and JSON Pointer. */
class TasksFileTest {
    @Test
    void aValidFileGivesItsTasksWithDefaultsForWhatItLeavesOut() {
        TasksFile.Parsed p = TasksFile.parse("shop/.harmonix/tasks.json", """
                {"tasks": [
                  {"title": "Fix BasketTest", "type": "bug", "priority": 2, "risk": "low",
                   "patch": ".harmonix/fixes/basket.diff"},
                  {"title": "Document the API", "type": "chore"}
                ]}
                """);
        assertEquals(List.of(), p.problems());
        assertEquals(List.of(
                new TasksFile.Task(0, "Fix BasketTest", ItemType.BUG, 2, Risk.LOW, ".harmonix/fixes/basket.diff", ""),
                new TasksFile.Task(1, "Document the API", ItemType.CHORE, 0, Risk.MEDIUM, null, "")), p.tasks());
    }

    @Test
    void eachProblemNamesTheFileLineColumnAndPointerAndNoTaskIsTaken() {
        TasksFile.Parsed p = TasksFile.parse("shop/.harmonix/tasks.json", """
                {"tasks": [
                  {"title": "ok", "type": "bug"},
                  {"title": "x", "type": "epic", "priority": 9},
                  {"type": "chore", "owner": "me", "patch": "../../etc/passwd"}
                ]}
                """);
        assertEquals(List.of(), p.tasks(), "half a list would look like the whole");
        assertEquals(List.of(
                "shop/.harmonix/tasks.json:3:18: /tasks/1/type: expected bug, security, chore or feature; was 'epic'",
                "shop/.harmonix/tasks.json:3:34: /tasks/1/priority: expected an integer from 1 to 5; was 9",
                "shop/.harmonix/tasks.json:4:21: /tasks/2/owner: unknown field; expected one of [details, patch, "
                        + "priority, risk, title, type]",
                "shop/.harmonix/tasks.json:4:3: /tasks/2: missing \"title\"",
                "shop/.harmonix/tasks.json:4:36: /tasks/2/patch: expected a path inside the repository; was "
                        + "'../../etc/passwd'"), p.problems());
    }

    @Test
    void textThatIsNotJsonIsReportedWhereItBreaks() {
        TasksFile.Parsed p = TasksFile.parse("t.json", "{\"tasks\": [\n  {\"title\": \"a\",, }\n]}");
        assertEquals(1, p.problems().size());
        assertTrue(p.problems().get(0).startsWith("t.json:2:17: not JSON: "), p.problems().get(0));
    }

    @Test
    void theDocumentMustBeAnObjectWithATasksArray() {
        assertEquals(List.of("t.json:1:1: (document): expected an object {\"tasks\": [...]}"),
                TasksFile.parse("t.json", "[1]").problems());
        assertEquals(List.of("t.json:1:15: /task: unknown field; expected only \"tasks\"",
                        "t.json:1:2: /tasks: expected \"tasks\": an array of tasks"),
                TasksFile.parse("t.json", "{\"tasks\": {}, \"task\": 1}").problems());
    }

    @Test
    void aSecondDocumentAfterTheFirstIsRefusedNotIgnored() {
        TasksFile.Parsed p = TasksFile.parse("t.json", "{\"tasks\": []}\n{\"tasks\": [{\"title\": \"a\", "
                + "\"type\": \"bug\"}]}\n");
        assertEquals(List.of(), p.tasks());
        assertEquals(List.of("t.json:2:1: not JSON: a second document starts here, after the first; a file holds one "
                + "(was it concatenated, or half-merged?)"), p.problems());
        assertTrue(TasksFile.parse("t.json", "{\"tasks\": []}\n>>>>>>> theirs\n").problems().get(0)
                .startsWith("t.json:2:1: not JSON: Unexpected character ('>'"), "a merge conflict's tail");
    }
}
