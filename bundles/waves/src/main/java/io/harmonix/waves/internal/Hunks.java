package io.harmonix.waves.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hunks of a unified diff: for each, the file and the lines of the old file it covers (its context included,
 * since {@code git apply} needs the context to be as it was), and the number of lines it changes.
 */
record Hunks(List<Hunk> hunks, int changedLines) {
    /** Lines {@code from} to {@code to} (1-based, inclusive) of {@code file} in the commit the diff applies to. */
    record Hunk(String file, int from, int to) {
        boolean overlaps(Hunk other) {
            return file.equals(other.file) && from <= other.to && other.from <= to;
        }
    }

    private static final Pattern HEADER = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@.*");

    /** @throws IllegalArgumentException naming the line that is not what a unified diff has there */
    static Hunks of(String diff) {
        List<Hunk> hunks = new ArrayList<>();
        String oldFile = null;
        String file = null;
        int changed = 0;
        int oldLeft = 0;
        int newLeft = 0;
        String[] lines = diff.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (oldLeft > 0 || newLeft > 0) {
                // inside a hunk the counts decide: a removed line "-- x" is not a file header
                char kind = line.isEmpty() ? ' ' : line.charAt(0);
                if (kind == '\\') {
                    continue; // "\ No newline at end of file"
                }
                oldLeft -= kind == '+' ? 0 : 1;
                newLeft -= kind == '-' ? 0 : 1;
                changed += kind == '+' || kind == '-' ? 1 : 0;
            } else if (line.startsWith("--- ")) {
                oldFile = path(line.substring(4));
            } else if (line.startsWith("+++ ")) {
                String newFile = path(line.substring(4));
                file = newFile != null ? newFile : oldFile;
            } else if (line.startsWith("@@")) {
                Matcher m = HEADER.matcher(line);
                if (!m.matches() || file == null) {
                    throw new IllegalArgumentException("diff line " + (i + 1) + ": expected a hunk header "
                            + "'@@ -start,count +start,count @@' after the file names, found '" + line + "'");
                }
                int start = Integer.parseInt(m.group(1));
                int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                oldLeft = count;
                newLeft = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
                // a hunk of no old lines inserts after line start: it touches that line's neighbourhood
                hunks.add(new Hunk(oldFile != null ? oldFile : file, Math.max(1, start),
                        Math.max(1, start + Math.max(count, 1) - 1)));
            }
        }
        return new Hunks(hunks, changed);
    }

    /** @return the files the diff touches, old and new names */
    Set<String> files() {
        Set<String> out = new LinkedHashSet<>();
        hunks.forEach(h -> out.add(h.file()));
        return out;
    }

    /** @return the first hunk of this diff that overlaps one of {@code other}'s, or null */
    Hunk overlap(Hunks other) {
        for (Hunk h : hunks) {
            for (Hunk o : other.hunks) {
                if (h.overlaps(o)) {
                    return h;
                }
            }
        }
        return null;
    }

    /** The path of a {@code ---}/{@code +++} line: without {@code a/} or {@code b/}; null for /dev/null. */
    private static String path(String text) {
        String p = text;
        int tab = p.indexOf('\t');
        if (tab >= 0) {
            p = p.substring(0, tab);
        }
        p = p.strip();
        if (p.equals("/dev/null")) {
            return null;
        }
        return p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
    }
}
