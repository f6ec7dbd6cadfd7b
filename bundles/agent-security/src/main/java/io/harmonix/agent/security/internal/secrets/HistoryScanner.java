package io.harmonix.agent.security.internal.secrets;

import io.harmonix.enhance.api.Target;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in a repository's history: the lines every commit of every ref added ({@code git log -p --all -U0}, read
 * as it streams), each hunk scanned as one text so that a key block added in one commit is one match. A secret
 * removed since is still exposed to whoever has a clone, so it is still found.
 */
public final class HistoryScanner {
    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@");
    private static final String COMMIT_MARK = "\u0001commit ";

    /**
     * A secret a commit added.
     *
     * @param commit the commit, 40 hex digits
     * @param file the file it was added to, in that commit
     * @param match the secret, its line in that commit's version of the file
     */
    public record HistoryMatch(String commit, String file, SecretMatch match) {
    }

    /**
     * What the history yielded, and whether the deadline stopped the walk early.
     *
     * @param timedOut the hunks whose scan the regex time budget cut short (the rest of each is not analysed)
     */
    public record Result(List<HistoryMatch> matches, int commits, boolean partial, int timedOut) {
    }

    private final SecretScanner scanner;

    public HistoryScanner(SecretScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * @param root the working tree
     * @param components sub-paths to limit the history to; empty for all
     * @param stop true when the walk must stop (the cycle's deadline)
     */
    public Result scan(Path root, List<String> components, BooleanSupplier stop) throws IOException {
        List<String> command = Target.gitCommand(root, "log", "-p", "--all", "--no-color", "--no-ext-diff",
                "--no-textconv", "-U0", "--format=" + COMMIT_MARK + "%H", "--");
        command.addAll(components);
        Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        git.getOutputStream().close();
        List<HistoryMatch> found = new ArrayList<>();
        int commits = 0;
        boolean partial = false;
        boolean readAll = false;
        Hunk hunk = new Hunk();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(git.getInputStream(),
                StandardCharsets.UTF_8))) {
            String commit = null;
            String file = null;
            String line;
            boolean header = false; // between "diff --git" and the first "@@": "+++ b/..." names the file
            while ((line = in.readLine()) != null) {
                if (line.startsWith(COMMIT_MARK)) {
                    hunk.flush(commit, file, found);
                    if (stop.getAsBoolean()) {
                        partial = true;
                        break;
                    }
                    commit = line.substring(COMMIT_MARK.length()).strip();
                    commits++;
                    file = null;
                } else if (line.startsWith("diff --git ")) {
                    hunk.flush(commit, file, found);
                    file = null;
                    header = true;
                } else if (header && line.startsWith("+++ ")) {
                    file = newName(line.substring(4)); // null for "+++ /dev/null": a deletion
                } else if (line.startsWith("@@")) {
                    header = false;
                    hunk.flush(commit, file, found);
                    Matcher m = HUNK.matcher(line);
                    hunk.start(m.find() ? Integer.parseInt(m.group(1)) : 1);
                } else if (!header && line.startsWith("+") && file != null) {
                    hunk.add(line.substring(1));
                }
            }
            hunk.flush(commit, file, found);
            readAll = !partial;
        } finally {
            if (!readAll) {
                git.destroy(); // stopped early or failed: git need not write the rest
            }
        }
        int exit;
        try {
            exit = git.waitFor(10, TimeUnit.SECONDS) ? git.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = -1;
        }
        if (!partial && exit != 0) {
            throw new IOException("git log failed in " + root + " (exit " + exit + ")");
        }
        return new Result(found, commits, partial, hunk.timedOut);
    }

    /**
     * The file a "+++ " header names, without its "b/" prefix: git ends the header with a TAB when the name holds a
     * space, and C-quotes a name holding a control character, a quote or a backslash ({@code "b/a\tb.txt"}: octal
     * escapes are the bytes of its UTF-8 form).
     *
     * @return the name, or null when the header names no file ("/dev/null")
     */
    static String newName(String header) {
        String name = header.endsWith("\t") ? header.substring(0, header.length() - 1) : header;
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = unquote(name.substring(1, name.length() - 1));
        }
        return name.startsWith("b/") ? name.substring(2) : null;
    }

    /** The inside of a C-quoted name, as git writes it (quote.c: quote_c_style), unquoted. */
    static String unquote(String quoted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c != '\\' || i + 1 == quoted.length()) {
                int end = Character.isHighSurrogate(c) && i + 1 < quoted.length() ? i + 2 : i + 1;
                bytes.writeBytes(quoted.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            char e = quoted.charAt(++i);
            if (e >= '0' && e <= '3' && i + 2 < quoted.length() && isOctal(quoted.charAt(i + 1))
                    && isOctal(quoted.charAt(i + 2))) {
                bytes.write(Integer.parseInt(quoted.substring(i, i + 3), 8));
                i += 2;
                continue;
            }
            bytes.write(switch (e) {
                case 'a' -> 7;
                case 'b' -> '\b';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'v' -> 11;
                case 'f' -> '\f';
                case 'r' -> '\r';
                default -> e; // \\ and \"
            });
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /** The added lines of one hunk, scanned together when the hunk ends. */
    private final class Hunk {
        private final StringBuilder text = new StringBuilder();
        private int firstLine = 1;
        private boolean any;
        /** Hunks whose scan the regex time budget cut short. */
        int timedOut;

        void start(int line) {
            firstLine = Math.max(1, line);
        }

        void add(String line) {
            if (any) {
                text.append('\n');
            }
            text.append(line);
            any = true;
        }

        void flush(String commit, String file, List<HistoryMatch> out) {
            if (any && commit != null && file != null) {
                SecretScanner.Result r = scanner.scan(file, text.toString(), firstLine);
                for (SecretMatch m : r.matches()) {
                    out.add(new HistoryMatch(commit, file, m));
                }
                if (r.timedOut()) {
                    timedOut++;
                }
            }
            text.setLength(0);
            any = false;
        }
    }
}
