package io.harmonix.store.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowsTest {
    @TempDir
    Path dir;

    @Test
    void keepNewestDeletesOnlyTheOlderRowsOfTheGroup() throws Exception {
        List<Migration> log = List.of(Migration.of(1, "log",
                "CREATE TABLE LOG (SEQ BIGINT PRIMARY KEY, OWNER VARCHAR(10), KIND VARCHAR(10))"));
        try (DerbyFixture db = DerbyFixture.open(dir, "log", log);
                Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (int i = 1; i <= 6; i++) {
                s.executeUpdate("INSERT INTO LOG VALUES (" + i + ", 'a', 'x')");
            }
            s.executeUpdate("INSERT INTO LOG VALUES (7, 'a', 'y')");
            s.executeUpdate("INSERT INTO LOG VALUES (8, 'b', 'x')");

            assertEquals(4, Rows.keepNewest(c, "LOG", "SEQ", List.of("OWNER", "KIND"), List.of("a", "x"), 2));
            assertEquals(0, Rows.keepNewest(c, "LOG", "SEQ", List.of("OWNER", "KIND"), List.of("a", "x"), 2),
                    "nothing past the newest two any more");
            List<Long> left = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT SEQ FROM LOG ORDER BY SEQ")) {
                while (r.next()) {
                    left.add(r.getLong(1));
                }
            }
            assertEquals(List.of(5L, 6L, 7L, 8L), left, "the other groups untouched");
        }
    }

    @Test
    void whereEqualFiltersOnTheColumnsWhoseFilterIsGivenAndListsTheRestOfTheTable() throws Exception {
        List<Migration> log = List.of(Migration.of(1, "log",
                "CREATE TABLE LOG (SEQ BIGINT PRIMARY KEY, OWNER VARCHAR(10), KIND VARCHAR(10))"));
        try (DerbyFixture db = DerbyFixture.open(dir, "log", log);
                Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO LOG VALUES (1, 'a', 'x'), (2, 'a', 'y'), (3, 'b', 'x')");
            List<String> columns = List.of("OWNER", "KIND");
            assertEquals(List.of(1L, 2L, 3L), seqs(db, columns, java.util.Arrays.asList(null, null)), "no filter");
            assertEquals(List.of(1L, 3L), seqs(db, columns, java.util.Arrays.asList(null, "x")));
            assertEquals(List.of(2L), seqs(db, columns, List.of("a", "y")));
            List<Object> values = new ArrayList<>();
            assertEquals("WHERE OWNER = ? AND KIND = ?", Rows.whereEqual(columns, List.of("a", "y"), values));
            assertEquals(List.of("a", "y"), values);
            assertEquals("columns [OWNER, KIND] and filters [a] do not pair", org.junit.jupiter.api.Assertions
                    .assertThrows(IllegalArgumentException.class, () -> Rows.whereEqual(columns, List.of("a"),
                            new ArrayList<>())).getMessage());
        }
    }

    private static List<Long> seqs(DerbyFixture db, List<String> columns, List<?> filters) throws Exception {
        List<Object> values = new ArrayList<>();
        String where = Rows.whereEqual(columns, filters, values);
        return Rows.list(db.dataSource(), "SELECT SEQ FROM LOG " + where + " ORDER BY SEQ", r -> r.getLong(1),
                values.toArray());
    }
}
