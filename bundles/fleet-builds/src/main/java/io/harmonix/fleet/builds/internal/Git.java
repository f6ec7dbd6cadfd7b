package io.harmonix.fleet.builds.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The few read-only questions a fleet build asks a repository, through the git CLI (a working tree or a bare
 * repository alike): which commit HEAD is, what a ref resolves to, whether two commits differ, the first-parent
 * commits between two, and who wrote a commit. Nothing here changes the repository.
 */
final class Git {
    private static final long TIMEOUT_SECONDS = 60;

    private Git() {
    }

    /** @return the full SHA of the repository's HEAD */
    static String head(String repository) throws IOException {
        return resolve(repository, "HEAD").orElseThrow(() -> new IOException(repository + ": HEAD names no commit"));
    }

    /** @return the full SHA {@code ref} names in the repository, or empty when it names no commit there */
    static Optional<String> resolve(String repository, String ref) throws IOException {
        Result r = git(repository, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}");
        return r.exit == 0 ? Optional.of(r.out.trim()) : Optional.empty();
    }

    /** @return true when the trees of the two commits differ (what "changed since" means) */
    static boolean differ(String repository, String from, String to) throws IOException {
        Result r = git(repository, "diff", "--quiet", from, to, "--");
        if (r.exit > 1) {
            throw new IOException(repository + ": git diff " + from + " " + to + ": " + r.err.trim());
        }
        return r.exit == 1;
    }

    /** @return true when {@code ancestor} is an ancestor of (or equal to) {@code commit} */
    static boolean isAncestor(String repository, String ancestor, String commit) throws IOException {
        return git(repository, "merge-base", "--is-ancestor", ancestor, commit).exit == 0;
    }

    /** @return the commits after {@code from} up to {@code to}, following first parents, oldest first */
    static List<String> firstParents(String repository, String from, String to) throws IOException {
        Result r = git(repository, "rev-list", "--first-parent", "--reverse", from + ".." + to);
        if (r.exit != 0) {
            throw new IOException(repository + ": git rev-list " + from + ".." + to + ": " + r.err.trim());
        }
        return r.out.isBlank() ? List.of() : Arrays.asList(r.out.trim().split("\n"));
    }

    /** @return the commit's author name and subject line */
    static String[] authorAndSubject(String repository, String commit) throws IOException {
        Result r = git(repository, "log", "-1", "--format=%an%x00%s", commit);
        if (r.exit != 0) {
            throw new IOException(repository + ": git log " + commit + ": " + r.err.trim());
        }
        String[] parts = r.out.strip().split("\u0000", 2);
        return parts.length == 2 ? parts : new String[] {parts[0], ""};
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result git(String repository, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        // the user's and the system's git configuration have no say in what a build reads
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = builder.start();
        try {
            p.getOutputStream().close();
            // the answers here are short (SHAs, one log line): reading one stream then the other cannot block
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("git " + String.join(" ", arguments) + " in " + repository + " did not end");
            }
            return new Result(p.exitValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: git " + String.join(" ", arguments), e);
        } finally {
            p.destroyForcibly();
        }
    }
}
