package io.harmonix.enhance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A target is checked before any agent reads it, and every refusal says which path and what was expected. */
class TargetTest {
    @TempDir
    Path dir;

    private Path repo() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("bundles/a/src"));
        Files.writeString(repo.resolve("bundles/a/src/A.java"), "class A {}\n");
        Files.writeString(repo.resolve("README.md"), "hi\n");
        Files.writeString(repo.resolve(".gitignore"), "target/\n");
        Files.createDirectories(repo.resolve("bundles/a/target"));
        Files.writeString(repo.resolve("bundles/a/target/A.class"), "x");
        Target.git(repo, "init", "-q");
        Target.git(repo, "add", ".");
        Target.git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "one");
        return repo;
    }

    @Test
    void opensAWorkingTreeAndListsItsFilesButNotIgnoredOnes() throws Exception {
        Path repo = repo();
        Files.writeString(repo.resolve("bundles/a/src/New.java"), "class New {}\n");
        Target t = Target.open(dir, "repo", List.of("bundles/a/"));
        assertEquals(40, t.commit().length());
        assertEquals(List.of("bundles/a"), t.components());
        assertEquals(List.of("bundles/a/src/A.java", "bundles/a/src/New.java"), t.files());
        assertEquals("bundles/a", t.componentOf("bundles/a/src/A.java"));
        assertEquals("", t.componentOf("README.md"));
        assertEquals(List.of(".gitignore", "README.md", "bundles/a/src/A.java", "bundles/a/src/New.java"),
                Target.open(dir, repo.toString(), List.of()).files());
    }

    @Test
    void refusesWhatIsNotAGitWorkingTree() throws Exception {
        Path repo = repo();
        Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("plain"));
        assertMessage("does not exist", () -> Target.open(dir, "missing", List.of()));
        assertMessage("is not a directory", () -> Target.open(dir, "file", List.of()));
        assertMessage("is not a git repository", () -> Target.open(dir, "plain", List.of()));
        assertMessage("unknown component 'nope'", () -> Target.open(dir, "repo", List.of("nope")));
        assertMessage("unknown component '../plain'", () -> Target.open(dir, "repo", List.of("../plain")));
        assertMessage("no target", () -> Target.open(dir, " ", List.of()));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Target.git(empty, "init", "-q");
        assertMessage("has no commit", () -> Target.open(dir, "empty", List.of()));
        assertTrue(Files.exists(repo));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        TargetException e = assertThrows(TargetException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aSymbolicLinkIsNoFileOfTheTarget() throws Exception {
        Path repo = repo();
        Path secret = Files.writeString(dir.resolve("credentials"), "aws_secret_access_key=x\n");
        Files.createSymbolicLink(repo.resolve("bundles/a/src/notes.txt"), secret);
        Target.git(repo, "add", "-A");
        Target.git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "link");
        assertEquals(List.of("bundles/a/src/A.java"), Target.open(dir, "repo", List.of("bundles/a")).files(),
                "the link, tracked by git, is not listed: what it points to is outside the target");
    }

    @Test
    void gitRunsNoProgramTheTargetsOwnConfigurationNames() throws Exception {
        Path repo = repo();
        Path ran = dir.resolve("ran");
        Path hook = Files.writeString(dir.resolve("hook.sh"), "#!/bin/sh\ntouch " + ran + "\n");
        assertTrue(hook.toFile().setExecutable(true));
        Target.git(repo, "config", "core.fsmonitor", hook.toString());
        Target.open(dir, "repo", List.of()).files();
        assertFalse(Files.exists(ran), "the target's fsmonitor hook ran");
        // the same call without the hardening does run it: the test can fail
        Process plain = new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "--others").start();
        plain.getInputStream().readAllBytes();
        plain.waitFor();
        assertTrue(Files.exists(ran), "git without the hardening runs the hook");
    }

    @Test
    void relativeTargetsAreTakenFromTheInstallationElseTheWorkingDirectory() {
        assertEquals(Path.of("/opt/harmonix"), Target.home(java.util.Map.of(Target.HOME, "/opt/harmonix")::get));
        assertEquals(Path.of("."), Target.home(java.util.Map.<String, String>of()::get));
        assertEquals(Path.of("."), Target.home(null), "outside a framework");
    }
}
