package io.harmonix.agent.quality.internal;

import java.util.List;

/**
 * A Java file of the target as the agent read it: the one text PMD analyses, snippets are cut from and fixes edit,
 * so that all three agree even when the file changes on disk during the scan.
 *
 * @param path relative to the target's root, '/'-separated
 * @param text its content
 */
record Source(String path, String text) {
    /** @return lines {@code from} to {@code to} (1-based, inclusive, clamped to the file), joined with '\n' */
    String lines(int from, int to) {
        List<String> all = text.lines().toList();
        int first = Math.max(1, from);
        int last = Math.min(all.size(), Math.max(first, to));
        return first > all.size() ? "" : String.join("\n", all.subList(first - 1, last));
    }
}
