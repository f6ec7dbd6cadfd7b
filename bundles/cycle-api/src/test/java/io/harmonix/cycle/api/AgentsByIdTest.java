package io.harmonix.cycle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which agent answers an id that several services claim: the OSGi rule. */
class AgentsByIdTest {
    @Test
    void amongEqualRankingsTheLowestServiceIdAnswersWhateverTheOrderTheyCameIn() {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("files", "second", 0, 12);
        agents.add("files", "first", 0, 7);
        assertEquals("first", agents.get("files"));
        assertEquals(List.of("first", "second"), agents.claiming("files"));
    }

    @Test
    void theHighestRankingAnswersBeforeAnyServiceId() {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("files", "old", 0, 3);
        agents.add("files", "ranked", 10, 40);
        agents.add("files", "below", -1, 1);
        assertEquals(List.of("ranked", "old", "below"), agents.claiming("files"));
    }

    @Test
    void whenTheOneInUseGoesTheNextStandsIn() {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("files", "a", 0, 1);
        agents.add("files", "b", 0, 2);
        agents.add("quality", "q", 0, 3);
        agents.remove(1);
        assertEquals("b", agents.get("files"));
        agents.remove(2);
        assertNull(agents.get("files"));
        assertEquals(List.of(), agents.claiming("files"));
        assertEquals(Map.of("quality", "q"), agents.inUse());
    }

    @Test
    void serviceRankingAndIdAreReadFromTheServicePropertiesAsOsgiReadsThem() {
        AgentsById<String> agents = new AgentsById<>();
        assertTrue(agents.add("plain", Map.of(Agent.ID, "files", AgentsById.SERVICE_ID, 5L)));
        assertTrue(agents.add("ranked", Map.of(Agent.ID, "files", AgentsById.SERVICE_ID, 9L,
                AgentsById.SERVICE_RANKING, 2)));
        // a ranking that is not an Integer counts as 0
        assertTrue(agents.add("text-ranked", Map.of(Agent.ID, "files", AgentsById.SERVICE_ID, 1L,
                AgentsById.SERVICE_RANKING, "100")));
        assertFalse(agents.add("anonymous", Map.of(AgentsById.SERVICE_ID, 2L)));
        assertEquals(List.of("ranked", "text-ranked", "plain"), agents.claiming("files"));
        agents.remove(Map.of(Agent.ID, "files", AgentsById.SERVICE_ID, 9L));
        assertEquals("text-ranked", agents.get("files"));
        assertThrows(IllegalArgumentException.class, () -> agents.add("x", Map.of(Agent.ID, "files")));
    }

    @Test
    void anAgentWhosePropertiesChangeIsNeverAbsentWhileItsClaimIsReplaced() throws Exception {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("files", "v0", 0, 7);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread updates = new Thread(() -> {
            for (int i = 1; !stop.get(); i++) {
                agents.replace("files", "v" + i, 0, 7); // DS's updated: same service, new properties
            }
        });
        updates.start();
        int absent = 0;
        try {
            for (int i = 0; i < 2_000_000; i++) {
                if (agents.get("files") == null) {
                    absent++;
                }
            }
        } finally {
            stop.set(true);
            updates.join();
        }
        assertEquals(0, absent, "lookups that found no agent while its claim was replaced");
        assertEquals(List.of("files"), List.copyOf(agents.inUse().keySet()));
    }

    @Test
    void aReplacedClaimMovesToTheNewIdAndLeavesTheOldOne() {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("quality", "q", 0, 3);
        agents.replace("quality.harmonix", "q'", 0, 3);
        assertNull(agents.get("quality"));
        assertEquals("q'", agents.get("quality.harmonix"));
    }

    @Test
    void idsInUseAreOrderedById() {
        AgentsById<String> agents = new AgentsById<>();
        agents.add("zeta", "z", 0, 1);
        agents.add("alpha", "a", 0, 2);
        assertEquals(List.of("alpha", "zeta"), List.copyOf(agents.inUse().keySet()));
    }

    @Test
    void anInstanceOfANamedFactoryConfigurationAnswersToTypeDotName() {
        assertEquals("quality.harmonix", AgentsById.idOf(Map.<String, Object>of(Agent.TYPE, "quality",
                AgentsById.SERVICE_PID, "io.harmonix.agent.quality~harmonix")::get));
        assertEquals("given", AgentsById.idOf(Map.<String, Object>of(Agent.ID, "given", Agent.TYPE, "quality",
                AgentsById.SERVICE_PID, "io.harmonix.agent.quality~harmonix")::get), "an explicit id wins");
        assertEquals("quality", AgentsById.idOf(Map.<String, Object>of(Agent.TYPE, "quality",
                AgentsById.SERVICE_PID, "io.harmonix.agent.quality")::get), "the unconfigured instance: its type");
        assertEquals("quality", AgentsById.idOf(Map.<String, Object>of(Agent.TYPE, "quality")::get));
        assertNull(AgentsById.idOf(Map.<String, Object>of(AgentsById.SERVICE_PID, "a~b")::get), "no type");
        AgentsById<String> agents = new AgentsById<>();
        assertTrue(agents.add("q", Map.of(Agent.TYPE, "quality", AgentsById.SERVICE_PID, "p~harmonix",
                AgentsById.SERVICE_ID, 7L)));
        assertEquals("q", agents.get("quality.harmonix"));
    }
}
