package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.store.postgresql.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runtime on PostgreSQL, chosen by {@code etc/io.harmonix.store.cfg} alone (with the feature booted):
 * cycles and a workflow run, the runtime starts again and finds them, and they are in the PostgreSQL database (read
 * here directly), nothing in a Derby folder, and the password nowhere in what the runtime printed or logged.
 */
class PostgresStoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theRuntimeKeepsItsRunsAndWorkflowsInPostgresqlAcrossRestarts() throws Exception {
        try (PostgresServer server = PostgresServer.start(dir)) {
            String database = server.createDatabase();
            PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
            Path props = runtime.home.resolve("etc/harmonix.properties");
            Files.writeString(props, Files.readString(props).replaceFirst("(?m)^(harmonix.features = .*)$",
                    "$1,harmonix-store-postgresql"));
            Path secret = runtime.home.resolve("etc/store.password");
            Files.copy(server.passwordFile(), secret, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(secret).strip();
            Files.writeString(runtime.home.resolve("etc/io.harmonix.store.cfg"), "provider = postgresql\n"
                    + "url = " + server.url(database) + "\nuser = " + PostgresServer.USER + "\n");
            List<PackagedRuntime.Result> said = new ArrayList<>();

            PackagedRuntime.Result info = runtime.exec("store:info");
            said.add(info);
            assertEquals(0, info.exit(), info.toString());
            assertTrue(info.out().startsWith("store postgresql: PostgreSQL 1"), info.out());
            assertTrue(info.out().contains("at " + server.url(database) + " as " + PostgresServer.USER), info.out());

            PackagedRuntime.Result cycles = runtime.exec("cycle:run --id pg --agents files --cycles 3 "
                    + "--interval 100ms --follow --input target=examples");
            said.add(cycles);
            assertEquals(0, cycles.exit(), cycles.toString());

            Path example = HarmonixContainer.distribution().resolve("../../../docs/examples/files-report.yaml")
                    .normalize();
            PackagedRuntime.Result flow = runtime.exec("wf:deploy " + example + "; wf:run files_report dir=etc "
                    + "--json");
            said.add(flow);
            assertEquals(0, flow.exit(), flow.toString());
            JsonNode instance = JSON.readTree(flow.out().substring(flow.out().indexOf('{')));
            assertEquals("succeeded", instance.get("state").asText(), flow.out());

            // a new start of the runtime finds both in the database
            PackagedRuntime.Result again = runtime.exec("cycle:runs; wf:list; store:info");
            said.add(again);
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.out().matches("(?s).*\\bpg\\s+completed\\s+3\\b.*"), again.out());
            assertTrue(again.out().matches("(?s).*files_report\\s+1.0\\s+3.*"), again.out());
            assertTrue(again.out().matches("(?s).*\\bstate\\s+1\\s+1\\s.*"), again.out());
            assertTrue(again.out().matches("(?s).*\\bworkflow\\s+\\d+\\s+\\d+\\s.*"), again.out());

            try (Connection c = server.connect(database)) {
                assertEquals(3, count(c, "SELECT COUNT(*) FROM RUN_CYCLE WHERE RUN_ID = 'pg'"));
                assertEquals(3, count(c, "SELECT LAST_CYCLE FROM RUN_JOURNAL WHERE RUN_ID = 'pg' AND STATE = "
                        + "'completed'"));
                assertEquals(1, count(c, "SELECT COUNT(*) FROM WF_INSTANCE WHERE ID = '"
                        + instance.get("id").asText() + "'"));
                assertTrue(count(c, "SELECT COUNT(*) FROM WF_HISTORY WHERE INSTANCE_ID = '"
                        + instance.get("id").asText() + "'") > 3);
                assertTrue(count(c, "SELECT COUNT(DISTINCT COMPONENT) FROM HARMONIX_SCHEMA_HISTORY") >= 3);
            }
            assertFalse(Files.exists(runtime.home.resolve("data/derby")), "nothing went to a Derby database");

            List<Path> logs;
            try (Stream<Path> files = Files.list(runtime.home.resolve("log"))) {
                logs = files.toList();
            }
            for (Path log : logs) {
                assertFalse(Files.readString(log).contains(password), log + " holds the password");
            }
            for (PackagedRuntime.Result r : said) {
                assertFalse(r.out().contains(password) || r.err().contains(password), r.toString());
            }
            String log = Files.readString(runtime.home.resolve("log/harmonix.log"));
            assertTrue(log.contains("PostgreSQL database " + server.url(database)), "the log says which store");
            assertFalse(log.contains("WARN  [io.harmonix.store]"), "no warning of the store (its PostgreSQL bundle "
                    + "starts after it: not a missing bundle): " + log.lines().filter(l -> l.contains("WARN"))
                    .toList());
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }
}
