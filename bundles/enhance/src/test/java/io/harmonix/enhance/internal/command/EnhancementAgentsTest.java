package io.harmonix.enhance.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.Agent;
import io.harmonix.enhance.internal.EnhancementAgents;
import io.harmonix.enhance.internal.ScanProgressBoard;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which instance of a type a scan uses, and what the progress board keeps. */
class EnhancementAgentsTest {
    private final EnhancementAgents agents = new EnhancementAgents();

    private void add(String pid, long serviceId) {
        agents.add(new TodoAgent(), pid == null ? Map.of(Agent.TYPE, "todo", "service.id", serviceId)
                : Map.of(Agent.TYPE, "todo", "service.id", serviceId, "service.pid", pid), "1.0.0");
    }

    @Test
    void aTypeIsScannedByTheInstanceNamedAfterItElseByTheLowestId() {
        add("io.harmonix.agent.todo~web", 1);
        add("io.harmonix.agent.todo~api", 2);
        assertEquals("todo.api", agents.forType("todo").orElseThrow().id());
        add(null, 3);
        assertEquals("todo", agents.forType("todo").orElseThrow().id());
        assertEquals("todo.web", agents.byIdOrType("todo.web").orElseThrow().id());
        assertFalse(agents.forType("quality").isPresent());
        assertEquals(List.of("todo"), agents.types());
        assertEquals("todo (todo, todo.api, todo.web)", agents.describe());
        agents.remove(Map.of("service.id", 3L));
        assertEquals("todo.api", agents.forType("todo").orElseThrow().id());
    }

    @Test
    void theProgressBoardKeepsTheLatestCountOfRecentRuns() {
        ScanProgressBoard board = new ScanProgressBoard();
        board.update("r1", "todo", 1, 4);
        board.update("r1", "todo", 3, 4);
        assertEquals("3/4 files", board.of("r1").get("todo").toString());
        for (int i = 0; i < ScanProgressBoard.MAX_RUNS; i++) {
            board.update("other" + i, "todo", 1, 1);
        }
        assertTrue(board.of("r1").isEmpty(), "the oldest run goes when there are more than MAX_RUNS");
        board.forget("other5");
        assertTrue(board.of("other5").isEmpty());
        assertEquals(1, board.of("other6").size());
    }
}
