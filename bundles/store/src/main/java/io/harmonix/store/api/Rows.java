package io.harmonix.store.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the bundles with tables do alike to their rows, said once, in the standard SQL every store of the runtime
 * speaks ({@code OFFSET ... FETCH}).
 */
public final class Rows {
    private Rows() {
    }

    /**
     * Deletes the rows of one group but its newest {@code keep}: finds the sequence of the newest row past them, then
     * deletes it and every older row of the group. Rows added between the two statements are newer, and stay.
     *
     * @param c the connection (its transaction, if any, holds both statements)
     * @param table the table; this and the column names go into the SQL as they are: constants, never input
     * @param sequence the column that grows with each row of the group (a number)
     * @param group the columns that choose the group, each equal to the value of {@code values} at its place
     * @param values the group's values
     * @param keep how many of the newest rows stay
     * @return how many rows were deleted
     */
    public static int keepNewest(Connection c, String table, String sequence, List<String> group, List<?> values,
            int keep) throws SQLException {
        if (group.size() != values.size()) {
            throw new IllegalArgumentException("columns " + group + " and values " + values + " do not pair");
        }
        String where = String.join(" = ? AND ", group) + " = ?";
        long cutoff;
        try (PreparedStatement s = c.prepareStatement("SELECT " + sequence + " FROM " + table + " WHERE " + where
                + " ORDER BY " + sequence + " DESC OFFSET " + keep + " ROWS FETCH NEXT 1 ROWS ONLY")) {
            bind(s, values);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return 0;
                }
                cutoff = r.getLong(1);
            }
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE " + where + " AND "
                + sequence + " <= ?")) {
            bind(d, values);
            d.setLong(values.size() + 1, cutoff);
            return d.executeUpdate();
        }
    }

    /** Reads the current row of a result into a value (it does not move the result). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet r) throws SQLException;
    }

    /**
     * Runs a query on a connection of its own and reads every row of its answer, in the order the query gives.
     *
     * @param dataSource where the connection comes from (closed before this returns)
     * @param sql the query, with a {@code ?} for each of {@code values}
     * @param reader reads one row
     * @param values bound to the {@code ?}s in order
     * @return the rows read
     */
    public static <T> List<T> list(DataSource dataSource, String sql, Reader<T> reader, Object... values)
            throws SQLException {
        List<T> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, Arrays.asList(values));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(reader.read(r));
                }
            }
        }
        return out;
    }

    /**
     * The WHERE clause of a list that filters on columns by equality, a column left out where its filter is null
     * (any value): {@code WHERE STATE = ? AND REPO = ?}, or the empty string when every filter is null.
     *
     * @param columns the columns; these go into the SQL as they are: constants, never input
     * @param filters each column's value at its place, null for any
     * @param values where the filters that are not null are added, in the order of their {@code ?}s
     * @return the clause, with a leading {@code WHERE} unless empty
     */
    public static String whereEqual(List<String> columns, List<?> filters, List<Object> values) {
        if (columns.size() != filters.size()) {
            throw new IllegalArgumentException("columns " + columns + " and filters " + filters + " do not pair");
        }
        List<String> where = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (filters.get(i) != null) {
                where.add(columns.get(i) + " = ?");
                values.add(filters.get(i));
            }
        }
        return where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where);
    }

    private static void bind(PreparedStatement s, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            s.setObject(i + 1, values.get(i));
        }
    }
}
