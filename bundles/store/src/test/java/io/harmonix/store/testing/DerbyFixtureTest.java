package io.harmonix.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.api.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerbyFixtureTest {
    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsFoundAgainAfterTheDatabaseIsClosedAndOpened() throws Exception {
        List<Migration> notes = List.of(Migration.of(1, "notes", "CREATE TABLE NOTES (ID INT PRIMARY KEY)"));
        try (DerbyFixture db = DerbyFixture.open(dir, "notes", notes);
                Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO NOTES VALUES (7)");
        }
        try (DerbyFixture db = DerbyFixture.open(dir, "notes", notes);
                Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ID FROM NOTES")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
            assertEquals(List.of(), db.migrator().migrate("notes", notes), "applied once, on the first open");
        }
    }
}
