package io.harmonix.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which node a runtime is: the property, else the id kept in its data folder, generated once. */
class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theConfiguredIdWinsAndNothingIsWritten() throws Exception {
        assertEquals("eu-1.node_2", NodeIdentity.resolve(" eu-1.node_2 ", dir.resolve("data")));
        assertTrue(Files.notExists(dir.resolve("data/node-id")));
    }

    @Test
    void aWrongConfiguredIdIsRefusedNamingThePropertyAndWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeIdentity.resolve("node a", dir));
        assertEquals("harmonix.node.id = 'node a' (etc/harmonix.properties or a system property): expected 1 to 64 "
                + "letters, digits, '.', '_' or '-', the first a letter or digit", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.resolve("-x", dir));
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.resolve("x".repeat(65), dir));
    }

    @Test
    void withoutOneAnIdIsGeneratedOnceAndKeptInTheDataFolder() throws Exception {
        Path data = dir.resolve("data");
        String id = NodeIdentity.resolve(null, data);
        assertTrue(NodeIdentity.ID.matcher(id).matches(), id);
        assertEquals(id + "\n", Files.readString(data.resolve("node-id")));
        assertEquals(id, NodeIdentity.resolve(null, data), "the same at the next start");
        assertNotEquals(id, NodeIdentity.resolve(null, dir.resolve("other-data")), "another data folder, another node");
    }

    @Test
    void aDamagedIdFileIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("node-id"), "not an id!\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeIdentity.resolve(null,
                dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("node-id") + ": 'not an id!' is not a node id"),
                e.getMessage());
    }
}
