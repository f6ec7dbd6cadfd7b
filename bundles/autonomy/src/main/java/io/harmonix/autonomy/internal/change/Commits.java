package io.harmonix.autonomy.internal.change;

import io.harmonix.enhance.api.GitCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How change requests become commits, with git's plumbing only: a diff is applied three-way to a commit's tree in a
 * private index ({@code GIT_INDEX_FILE}), the tree written, a commit made with {@code commit-tree}, a ref moved with
 * {@code update-ref} and the value it must have. Nothing is checked out: the repository's working tree, its index and
 * its worktrees are never touched, and no filter program of its configuration runs (as the proposals bundle makes
 * its {@code harmonix/enhance/<id>} commits). The objects land in the repository itself.
 */
final class Commits {
    private Commits() {
    }

    /** The bot's identity (policy P-003): author and committer of every commit made here. */
    record Identity(String name, String email) {
        Map<String, String> env() {
            return Map.of("GIT_AUTHOR_NAME", name, "GIT_AUTHOR_EMAIL", email, "GIT_COMMITTER_NAME", name,
                    "GIT_COMMITTER_EMAIL", email);
        }
    }

    /** One diff to apply, and whose it is (for the message when it does not apply). */
    record Patch(String itemId, String diff) {
    }

    /** A diff that did not apply: which item's, on which commit, and git's words. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;
        private final String itemId;

        Conflict(String itemId, String message) {
            super(message);
            this.itemId = itemId;
        }

        String itemId() {
            return itemId;
        }
    }

    /** @return the diff that makes {@code to} from {@code from}, binary files included */
    static String diff(Git git, String from, String to) throws IOException {
        // the repository's diff drivers and text conversions are not ours to run
        return git.answerOrThrow("diff", "--binary", "--no-ext-diff", "--no-textconv", "--full-index", from, to);
    }

    /**
     * Applies the patches in order to {@code onto}'s tree and commits the result on it, as the bot.
     *
     * @return the new commit, whose only parent is {@code onto}
     * @throws Conflict when a patch does not apply three-way, or when together they change nothing
     */
    static String commit(Git git, String onto, List<Patch> patches, String message, Identity bot)
            throws IOException, Conflict {
        return commitTree(git, tree(git, onto, patches), onto, message, bot);
    }

    /**
     * Applies the patches in order to {@code onto}'s tree in a private index.
     *
     * @return the resulting tree
     * @throws Conflict when a patch does not apply three-way, or when together they change nothing
     */
    static String tree(Git git, String onto, List<Patch> patches) throws IOException, Conflict {
        Path index = Git.privateIndex();
        try {
            Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
            git.call(env, null, "read-tree", onto + "^{tree}");
            for (Patch p : patches) {
                if (p.diff().isBlank()) {
                    throw new Conflict(p.itemId(), "its change is empty");
                }
                GitCommand.Answer a = git.answer(env, p.diff().endsWith("\n") ? p.diff() : p.diff() + "\n", "apply",
                        "--cached", "--3way", "--whitespace=nowarn", "-");
                if (!a.ok()) {
                    throw new Conflict(p.itemId(), "it does not apply on " + onto.substring(0, 12) + ": "
                            + a.message());
                }
            }
            String tree = git.call(env, null, "write-tree");
            if (tree.equals(git.call("rev-parse", onto + "^{tree}"))) {
                throw new Conflict(patches.isEmpty() ? "" : patches.get(0).itemId(),
                        "it changes nothing on " + onto.substring(0, 12) + " (already there?)");
            }
            return tree;
        } finally {
            Git.dropIndex(index);
        }
    }

    /** @return a commit of {@code tree} whose only parent is {@code parent}, as the bot */
    static String commitTree(Git git, String tree, String parent, String message, Identity bot) throws IOException {
        return git.call(bot.env(), message, "commit-tree", tree, "-p", parent, "-F", "-");
    }

    /** @return the commit's full message */
    static String message(Git git, String commit) throws IOException {
        return git.call("log", "-1", "--format=%B", commit);
    }

    /**
     * Points a ref at {@code commit} if and only if it still is {@code expected} ({@link Git#ZERO}: it must not
     * exist): git's own compare-and-swap, under the ref's lock.
     *
     * @return null when moved, else why not (git's words)
     */
    static String compareAndSwap(Git git, String ref, String commit, String expected, String reason)
            throws IOException {
        GitCommand.Answer a = git.answer(Map.of(), null, "update-ref", "-m", reason, ref, commit, expected);
        return a.ok() ? null : a.message();
    }

    /**
     * Moves a main branch: fast-forward only, and only from {@code expected}. Refused, the branch untouched, when
     * {@code commit} does not have {@code expected} in its parent chain (that would be a force-move) or when the
     * branch is no longer at {@code expected}.
     *
     * @return null when moved, else why not
     */
    static String fastForward(Git git, String mainRef, String commit, String expected, String reason)
            throws IOException {
        if (expected == null || !expected.matches("[0-9a-f]{40}")) {
            return "refused: no expected value of " + mainRef + " to compare with (never update-ref without one)";
        }
        if (!git.isAncestor(expected, commit)) {
            return "refused: " + commit.substring(0, 12) + " does not descend from " + expected.substring(0, 12)
                    + ", so moving " + mainRef + " there would not be a fast-forward";
        }
        String cas = compareAndSwap(git, mainRef, commit, expected, reason);
        return cas == null ? null : "refused by compare-and-swap: " + cas;
    }
}
