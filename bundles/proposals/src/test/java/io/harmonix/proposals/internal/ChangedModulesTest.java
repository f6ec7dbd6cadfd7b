package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.enhance.api.testing.GitRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a proposal changes, as its validation's commands are told: the files, and the Maven modules holding them. */
class ChangedModulesTest {
    @TempDir
    Path dir;

    private static final String DIFF = """
            --- a/bundles/files/src/main/java/F.java
            +++ b/bundles/files/src/main/java/F.java
            @@ -1,2 +1,1 @@
            -import java.util.List;
             class F {}
            --- a/bundles/config/src/q.sql
            +++ b/bundles/config/src/q.sql
            @@ -1,2 +1,1 @@
            --- a comment removed: not a file header
             select 1;
            --- a/bundles/config/src/C.java\t2026-01-01 00:00:00
            +++ /dev/null
            @@ -1 +0,0 @@
            -class C {}
            """;

    @Test
    void theChangedFilesAreTheDiffsPathsWithoutPrefixesOrDevNull() {
        assertEquals(List.of("bundles/files/src/main/java/F.java", "bundles/config/src/q.sql",
                "bundles/config/src/C.java"),
                List.copyOf(ChangedModules.files(DIFF)));
    }

    @Test
    void eachFileGivesTheFolderOfItsNearestPomAndAFileInNoModuleGivesTheWholeRepository() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("repo"))
                .write("pom.xml", "<project/>\n")
                .write("bundles/files/pom.xml", "<project/>\n")
                .write("bundles/files/src/main/java/F.java", "import java.util.List;\nclass F {}\n")
                .write("bundles/config/pom.xml", "<project/>\n")
                .write("bundles/config/src/C.java", "class C {}\n")
                .write("docs/a.md", "a\n")
                .commit("first");
        Map<String, String> env = ChangedModules.environment(repo.root(), repo.head(), DIFF);
        assertEquals("bundles/config,bundles/files", env.get(ChangedModules.MODULES));
        assertEquals("bundles/files/src/main/java/F.java bundles/config/src/q.sql bundles/config/src/C.java",
                env.get(ChangedModules.FILES));

        String docs = "--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1 +1 @@\n-a\n+b\n";
        assertEquals("", ChangedModules.environment(repo.root(), repo.head(), docs).get(ChangedModules.MODULES),
                "docs/ is in no module below the top: the whole repository is built");
        assertEquals(List.of(), ChangedModules.modules(Set.of("pom.xml"), folder -> true), "the top pom itself");
    }
}
