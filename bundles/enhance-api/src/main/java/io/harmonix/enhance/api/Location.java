package io.harmonix.enhance.api;

import java.util.Objects;

/**
 * Where a finding is.
 *
 * @param file the file, relative to the target's root, with '/' separators
 * @param line first line, 1-based
 * @param column first column, 1-based; 0 when unknown
 * @param endLine last line, at least {@code line}
 * @param endColumn last column, 1-based, inclusive; 0 when unknown
 */
public record Location(String file, int line, int column, int endLine, int endColumn) {
    public Location {
        Objects.requireNonNull(file, "file");
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\")) {
            throw new IllegalArgumentException("a location's file must be relative with '/' separators; was '"
                    + file + "'");
        }
        if (line < 1) {
            throw new IllegalArgumentException("a location's line starts at 1; was " + line);
        }
        column = Math.max(0, column);
        endLine = Math.max(line, endLine);
        endColumn = Math.max(0, endColumn);
    }

    /** @return a location of whole lines */
    public static Location lines(String file, int line, int endLine) {
        return new Location(file, line, 0, endLine, 0);
    }

    @Override
    public String toString() {
        return file + ":" + line + (column > 0 ? ":" + column : "");
    }
}
