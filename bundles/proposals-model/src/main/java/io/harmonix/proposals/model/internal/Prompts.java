package io.harmonix.proposals.model.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The question about one finding: the agent type's template ({@code etc/prompts/TYPE.md}) with its placeholders
 * filled, and the code around the finding read from the target's git history at the finding's commit ({@code git
 * show COMMIT:PATH}), never from its working tree: what the diff will be applied to is that commit, and the working
 * tree may hold edits that are nobody's proposal (or files that must not leave the machine).
 */
final class Prompts {
    /** What the model is told every time: the form of the answer that {@link Answers} takes. */
    static final String SYSTEM = "You fix one finding of a code analysis in one file. Answer with a unified diff "
            + "of that file only (--- a/PATH, +++ b/PATH, @@ hunks with their context lines exactly as shown, without "
            + "the line numbers), in one ```diff block. Change nothing "
            + "else. If you cannot fix it safely, answer without a diff.";
    static final List<String> PLACEHOLDERS = List.of("agentType", "rule", "severity", "message", "file", "line",
            "endLine", "commit", "context");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*");

    private Prompts() {
    }

    /**
     * @param folder the templates' folder
     * @param root the target's working tree (its git history is read, not its files)
     * @param commit the commit the finding was made on
     * @param contextLines lines shown before and after the finding's lines
     */
    static String question(Path folder, Finding finding, Path root, String commit, int contextLines)
            throws Refused {
        if (!TYPE.matcher(finding.agentType()).matches()) {
            throw new Refused("agent type '" + finding.agentType() + "' cannot name a prompt template");
        }
        Path file = folder.resolve(finding.agentType() + ".md");
        String template;
        try {
            template = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Refused("no prompt template for agent type " + finding.agentType() + ": " + file
                    + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Location at = finding.location();
        Map<String, String> values = Map.of("agentType", finding.agentType(), "rule", finding.ruleId(),
                "severity", finding.severity().id(), "message", finding.message(), "file", at.file(),
                "line", Integer.toString(at.line()), "endLine", Integer.toString(at.endLine()), "commit", commit,
                "context", context(root, commit, at, contextLines));
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new Refused(file + ":" + position(template, m.start()) + ": unknown placeholder " + m.group()
                        + "; known: {{" + String.join("}}, {{", PLACEHOLDERS) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** @return the finding's lines and {@code around} lines each side at {@code commit}, each with its number */
    static String context(Path root, String commit, Location at, int around) throws Refused {
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new Refused("the finding's commit is not 40 hex digits: '" + commit + "'");
        }
        String text;
        try {
            // the hardened git of the agents; the path after ':' is taken from the root of the commit's tree
            text = Target.git(root, "show", commit + ":" + at.file());
        } catch (IOException e) {
            throw new Refused("cannot read " + at.file() + " at " + commit + ": " + e.getMessage());
        }
        List<String> lines = text.lines().toList();
        if (at.line() > lines.size()) {
            throw new Refused(at.file() + " has " + lines.size() + " lines at " + commit + "; the finding is at line "
                    + at.line());
        }
        int from = Math.max(1, at.line() - around);
        int to = Math.min(lines.size(), at.endLine() + around);
        int width = Integer.toString(to).length();
        StringBuilder out = new StringBuilder();
        for (int n = from; n <= to; n++) {
            out.append(String.format("%" + width + "d| ", n)).append(lines.get(n - 1)).append('\n');
        }
        return out.toString();
    }

    private static String position(String text, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }
}
