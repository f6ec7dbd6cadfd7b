package io.harmonix.proposals.model.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unified diff in a model's answer: the first {@code ```diff} (or {@code ```patch}) fenced block, else the
 * answer from its first {@code ---} header on (a bare diff, a closing fence dropped). It must change the finding's
 * file and nothing else: no other file, no creation, deletion, rename or mode change (a finding in one file is fixed
 * in that file; anything wider is beyond what the prompt asked and what the finding's owner may change).
 */
final class Answers {
    private static final Pattern FENCED = Pattern.compile("```(?:diff|patch)[^\\n]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern BARE = Pattern.compile("(?m)^(?:diff --git |--- )");
    private static final Pattern HUNK = Pattern.compile("(?m)^@@ -\\d+(?:,\\d+)? \\+\\d+(?:,\\d+)? @@");
    private static final Pattern HEADER = Pattern.compile("(?m)^(---|\\+\\+\\+) (\\S+)");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(?m)^(new file mode|deleted file mode|rename from|rename to|copy from|copy to|old mode|new mode|"
                    + "GIT binary patch|Binary files)");

    private Answers() {
    }

    /**
     * @param answer the model's answer
     * @param file the finding's file, relative with '/'
     * @return the diff, ending with a newline
     * @throws Refused saying why the answer is not taken
     */
    static String diffOf(String answer, String file) throws Refused {
        String diff;
        Matcher fenced = FENCED.matcher(answer);
        if (fenced.find()) {
            diff = fenced.group(1);
        } else {
            Matcher bare = BARE.matcher(answer);
            if (!bare.find()) {
                throw new Refused("the answer holds no unified diff (neither a ```diff block nor a '--- a/FILE' "
                        + "header); it began: " + firstLine(answer));
            }
            diff = answer.substring(bare.start()).replaceAll("(?m)^```\\s*$[\\s\\S]*", "");
        }
        if (!HUNK.matcher(diff).find()) {
            throw new Refused("the answer's diff has no hunk ('@@ -L,N +L,N @@')");
        }
        Matcher forbidden = FORBIDDEN.matcher(diff);
        if (forbidden.find()) {
            throw new Refused("the answer's diff does more than change " + file + ": '" + forbidden.group(1)
                    + "' (only changes of the finding's file are taken)");
        }
        Set<String> touched = new LinkedHashSet<>();
        Matcher header = HEADER.matcher(diff);
        while (header.find()) {
            String path = header.group(2);
            if (path.equals("/dev/null")) {
                throw new Refused("the answer's diff creates or deletes a file (only changes of " + file
                        + " are taken)");
            }
            touched.add(path.replaceFirst("^[ab]/", ""));
        }
        if (touched.isEmpty()) {
            throw new Refused("the answer's diff has no '--- a/" + file + "' and '+++ b/" + file + "' headers");
        }
        if (!touched.equals(Set.of(file))) {
            touched.remove(file);
            throw new Refused("the answer's diff touches " + String.join(", ", touched) + ", not only the "
                    + "finding's file " + file);
        }
        return diff.endsWith("\n") ? diff : diff + "\n";
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("(empty)");
        return "'" + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'";
    }
}
