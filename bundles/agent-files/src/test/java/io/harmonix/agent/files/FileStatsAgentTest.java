package io.harmonix.agent.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatsAgentTest {
    @TempDir
    Path dir;

    private AgentResult step(FileStatsAgent agent, long cycle, AgentResult previous) throws Exception {
        return agent.step(new AgentContext("r", cycle, previous == null ? null : previous.state(), null,
                Instant.now().plusSeconds(30)));
    }

    @Test
    void countsFilesLinesAndMarkersAndReportsTheChange() throws Exception {
        Files.writeString(dir.resolve("a.java"), "class A {\n// TODO one\n}\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.md"), "# B\nFIXME two\nnot a TODOs marker\n");
        Files.writeString(dir.resolve("image.png"), "not counted");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/c.txt"), "TODO hidden\n");
        FileStatsAgent agent = new FileStatsAgent(dir, Set.of("java", "md", "txt"), 1000);

        AgentResult first = step(agent, 1, null);
        assertEquals(2.0, first.metrics().get("files"));
        assertEquals(6.0, first.metrics().get("lines"));
        assertEquals(2.0, first.metrics().get("todos"));
        assertTrue(first.outputs().get("firstCycle").asBoolean());
        assertFalse(first.outputs().get("changed").asBoolean());

        Files.writeString(dir.resolve("c.txt"), "TODO three\nline\n");
        AgentResult second = step(agent, 2, first);
        assertEquals(1, second.outputs().at("/change/files").asLong());
        assertEquals(2, second.outputs().at("/change/lines").asLong());
        assertEquals(1, second.outputs().at("/change/todos").asLong());
        assertTrue(second.outputs().get("changed").asBoolean());
        assertEquals(3, second.state().get("todos").asLong());
    }

    @Test
    void theFingerprintChainsEveryCycleInOrder() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a\n");
        FileStatsAgent agent = new FileStatsAgent(dir, Set.of("txt"), 1000);
        AgentResult one = step(agent, 1, null);
        AgentResult two = step(agent, 2, one);
        assertEquals(2, two.state().get("cycles").asLong());
        // the same cycles again give the same fingerprint; a cycle counted twice does not
        assertEquals(two.state().get("fingerprint"), step(agent, 2, step(agent, 1, null)).state().get("fingerprint"));
        AgentResult repeated = step(agent, 2, step(agent, 2, one));
        assertFalse(two.state().get("fingerprint").equals(repeated.state().get("fingerprint")));
    }

    @Test
    void migratesAVersion1StateAndRefusesUnknownVersions() throws Exception {
        FileStatsAgent agent = new FileStatsAgent(dir, Set.of("txt"), 1000);
        var v1 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"stateVersion\":1,\"directory\":\"/x\",\"files\":3,\"lines\":10,\"todos\":1}");
        var v2 = agent.migrateState(1, v1);
        assertEquals(2, v2.get("stateVersion").asInt());
        assertEquals(3, v2.get("files").asLong());
        assertEquals(0, v2.get("cycles").asLong());
        assertEquals(64, v2.get("fingerprint").asText().length());
        assertThrows(io.harmonix.cycle.api.StateMigrationException.class, () -> agent.migrateState(0, v1));
    }

    @Test
    void skipsLargeAndNonUtf8Files() throws Exception {
        Files.writeString(dir.resolve("big.txt"), "x".repeat(2000));
        Files.write(dir.resolve("latin.txt"), new byte[] {(byte) 0xE9, (byte) 0xFF, '\n'});
        Files.writeString(dir.resolve("ok.txt"), "fine\n");
        AgentResult r = step(new FileStatsAgent(dir, Set.of("txt"), 1000), 1, null);
        assertEquals(1.0, r.metrics().get("files"));
        assertEquals(2.0, r.metrics().get("skipped"));
    }

    @Test
    void aMissingDirectoryFailsTheStepWithItsName() {
        Path missing = dir.resolve("nope");
        IOException e = assertThrows(IOException.class,
                () -> step(new FileStatsAgent(missing, Set.of("txt"), 1000), 1, null));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void stopsWhenTheDeadlineHasPassed() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a\n");
        FileStatsAgent agent = new FileStatsAgent(dir, Set.of("txt"), 1000);
        IOException e = assertThrows(IOException.class, () -> agent.step(
                new AgentContext("r", 1, null, null, Instant.now().minusSeconds(1))));
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }
}
