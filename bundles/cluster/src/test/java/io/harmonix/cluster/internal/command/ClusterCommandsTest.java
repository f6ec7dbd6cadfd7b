package io.harmonix.cluster.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster:nodes and cluster:leases over two real nodes on one Derby, as text and as JSON. */
class ClusterCommandsTest {
    @TempDir
    Path dir;

    @Test
    void nodesAndLeasesShowWhoHoldsWhat() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir);
                ClusterFixture a = ClusterFixture.join(db.dataSource(), db.migrator(), "node-a", Duration.ofSeconds(30),
                        Duration.ofSeconds(10));
                ClusterFixture b = ClusterFixture.join(db.dataSource(), db.migrator(), "node-b", Duration.ofSeconds(30),
                        Duration.ofSeconds(10))) {
            a.leases().claim("wf:one");
            b.leases().claim("wf:two");
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                b.leases().offer(c, "wf:three");
                c.commit();
            }
            ClusterCommands commands = Commands.over(new ClusterCommands(), a);
            String nodes = CommandLines.output(commands, "nodes");
            assertTrue(nodes.lines().anyMatch(l -> l.startsWith("* node-a") && l.contains("yes")), nodes);
            assertTrue(nodes.lines().anyMatch(l -> l.startsWith("node-b") && l.endsWith("1")), nodes);
            JsonNode json = new ObjectMapper().readTree(CommandLines.output(commands, "nodes", "--json"));
            assertEquals("node-a", json.get("self").asText());
            assertEquals(2, json.get("nodes").size());
            assertEquals(1, json.get("nodes").get(0).get("leases").asInt());
            assertTrue(json.get("nodes").get(1).get("alive").asBoolean());

            String leases = CommandLines.output(commands, "leases");
            assertTrue(leases.lines().anyMatch(l -> l.startsWith("wf:one") && l.contains("node-a")
                    && l.endsWith("held")), leases);
            assertTrue(leases.lines().anyMatch(l -> l.startsWith("wf:three") && l.endsWith("offered")), leases);
            JsonNode held = new ObjectMapper().readTree(CommandLines.output(commands, "leases", "--node", "node-b",
                    "--json"));
            assertEquals(1, held.size());
            assertEquals("wf:two", held.get(0).get("key").asText());
            assertEquals("held", held.get(0).get("state").asText());
            assertEquals("no leases held by node-c", CommandLines.output(commands, "leases", "--node", "node-c")
                    .strip());
        }
    }
}
