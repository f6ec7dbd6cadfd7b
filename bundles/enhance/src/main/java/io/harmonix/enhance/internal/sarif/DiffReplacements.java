package io.harmonix.enhance.internal.sarif;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff read as SARIF reads a fix: per file, replacements of the original file, each deleting a run of
 * whole lines (possibly none: an insertion point) and inserting new ones in their place. Context lines are not
 * part of any replacement, so each one changes only what the diff changes.
 */
public final class DiffReplacements {
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    /**
     * One replacement in the original file.
     *
     * @param line the first line deleted, or for an insertion the line the new lines go before (one past the last
     *     line to append at the end)
     * @param deleted how many whole lines are deleted, 0 for an insertion
     * @param lastDeletedHasNewline false when the last deleted line is the file's last and has no line break
     *     ({@code \ No newline at end of file}): the deletion then ends at the end of that line
     * @param inserted the text inserted, lines with their line breaks
     */
    public record Replacement(int line, int deleted, boolean lastDeletedHasNewline, String inserted) {
    }

    /** The replacements of one file, in the order of the diff (ascending lines). @param path relative to the root */
    public record FileChange(String path, List<Replacement> replacements) {
    }

    private DiffReplacements() {
    }

    /**
     * @throws IllegalArgumentException naming the line of the diff that is not what a unified diff has there
     */
    public static List<FileChange> parse(String diff) {
        List<FileChange> files = new ArrayList<>();
        // split drops the empty text after the last line break, which is not a line of the diff
        String[] lines = diff.split("\n");
        String oldPath = null;
        List<Replacement> current = null;
        int i = 0;
        while (i < lines.length) {
            String l = lines[i];
            if (l.startsWith("--- ")) {
                oldPath = path(l.substring(4));
                i++;
            } else if (l.startsWith("+++ ")) {
                String newPath = path(l.substring(4));
                current = new ArrayList<>();
                files.add(new FileChange(newPath == null ? oldPath : newPath, current));
                i++;
            } else if (l.startsWith("@@")) {
                if (current == null) {
                    throw new IllegalArgumentException("diff line " + (i + 1) + ": a hunk before any '+++ ' file "
                            + "header");
                }
                i = hunk(lines, i, current);
            } else {
                i++; // "diff --git", "index ...", mode lines: not part of the content
            }
        }
        return files;
    }

    /** Reads the hunk at {@code lines[start]} into {@code out}; @return the index of the line after it */
    private static int hunk(String[] lines, int start, List<Replacement> out) {
        Matcher m = HUNK.matcher(lines[start]);
        if (!m.matches()) {
            throw new IllegalArgumentException("diff line " + (start + 1) + ": expected a hunk header "
                    + "'@@ -l,s +l,s @@', was '" + lines[start] + "'");
        }
        int oldLeft = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int newLeft = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        // an empty old side names the line after which the new lines go
        int oldLine = Integer.parseInt(m.group(1)) + (oldLeft == 0 ? 1 : 0);
        Block block = null;
        int i = start + 1;
        while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i].startsWith("\\"))) {
            String l = lines[i];
            char kind = l.isEmpty() ? ' ' : l.charAt(0); // some tools drop the blank of an empty context line
            switch (kind) {
                case ' ' -> {
                    block = close(block, out);
                    oldLine++;
                    oldLeft--;
                    newLeft--;
                }
                case '-' -> {
                    block = block == null ? new Block(oldLine) : block;
                    block.deleted++;
                    block.lastWasDeletion = true;
                    oldLine++;
                    oldLeft--;
                }
                case '+' -> {
                    block = block == null ? new Block(oldLine) : block;
                    block.inserted.append(l, 1, l.length()).append('\n');
                    block.lastWasDeletion = false;
                    newLeft--;
                }
                case '\\' -> {
                    // "\ No newline at end of file": about the line before
                    if (block != null && block.lastWasDeletion) {
                        block.lastDeletedHasNewline = false;
                    } else if (block != null && block.inserted.length() > 0) {
                        block.inserted.setLength(block.inserted.length() - 1);
                    }
                }
                default -> throw new IllegalArgumentException("diff line " + (i + 1) + ": expected ' ', '-', '+' "
                        + "or '\\' at the start of a hunk line, was '" + l + "'");
            }
            if (oldLeft < 0 || newLeft < 0) {
                throw new IllegalArgumentException("diff line " + (i + 1) + ": more lines than the hunk header "
                        + "at line " + (start + 1) + " counts");
            }
            i++;
        }
        if (oldLeft > 0 || newLeft > 0) {
            throw new IllegalArgumentException("diff: the hunk at line " + (start + 1) + " ends before the lines "
                    + "its header counts");
        }
        close(block, out);
        return i;
    }

    private static Block close(Block block, List<Replacement> out) {
        if (block != null) {
            out.add(new Replacement(block.line, block.deleted, block.lastDeletedHasNewline, block.inserted.toString()));
        }
        return null;
    }

    /** "a/src/Main.java" -> "src/Main.java"; "/dev/null" -> null; a tab and a time stamp after the name dropped. */
    private static String path(String header) {
        String p = header.contains("\t") ? header.substring(0, header.indexOf('\t')) : header;
        p = p.strip();
        if (p.equals("/dev/null")) {
            return null;
        }
        return p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
    }

    /** A run of deleted and inserted lines being read. */
    private static final class Block {
        final int line;
        int deleted;
        boolean lastWasDeletion;
        boolean lastDeletedHasNewline = true;
        final StringBuilder inserted = new StringBuilder();

        Block(int line) {
            this.line = line;
        }
    }
}
