package io.harmonix.shell.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with a header row, columns padded to their widest cell; numbers right-aligned. */
public final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private String ifEmpty;

    public Table(String... headers) {
        this.headers = headers.clone();
    }

    /** Adds a row; {@code null} cells print as "-". */
    public Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
                    + " columns " + Arrays.toString(headers));
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** What the table prints instead, as one line, when it has no rows ("no runs"); without it, its header. */
    public Table ifEmpty(String text) {
        ifEmpty = text;
        return this;
    }

    public int size() {
        return rows.size();
    }

    @Override
    public String toString() {
        if (rows.isEmpty() && ifEmpty != null) {
            return ifEmpty + "\n";
        }
        int[] width = new int[headers.length];
        boolean[] numeric = new boolean[headers.length];
        for (int c = 0; c < headers.length; c++) {
            width[c] = headers[c].length();
            numeric[c] = !rows.isEmpty();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
                numeric[c] &= row[c].matches("-|[-+]?[0-9][0-9.,%]*[a-z]*");
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width, new boolean[headers.length]);
        for (String[] row : rows) {
            line(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            line.append(right[c] ? pad + cells[c] : cells[c] + (c == cells.length - 1 ? "" : pad));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
