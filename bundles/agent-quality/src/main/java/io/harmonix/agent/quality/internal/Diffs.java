package io.harmonix.agent.quality.internal;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Unified diffs of a file's edit, in the form {@code git apply} takes. */
final class Diffs {
    private Diffs() {
    }

    /**
     * @param file the path relative to the target's root ({@code a/} and {@code b/} are put in front)
     * @return the diff, or null when {@code before} does not end with a line break (the diff would need git's
     *     "no newline at end of file" marker, which java-diff-utils does not write) or nothing changed
     */
    static String unified(String file, String before, String after) {
        if (!before.endsWith("\n") || !after.endsWith("\n") || before.equals(after)) {
            return null;
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        Patch<String> patch = DiffUtils.diff(a, b);
        List<String> out = UnifiedDiffUtils.generateUnifiedDiff("a/" + file, "b/" + file, a, patch, 3);
        return String.join("\n", out) + "\n";
    }

    /** Lines without their '\n' (a '\r' stays, so CRLF files diff and apply as they are). */
    private static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
    }
}
