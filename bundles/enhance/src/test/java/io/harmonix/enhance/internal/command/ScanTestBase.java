package io.harmonix.enhance.internal.command;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' tests start from one repository: a.txt with a TODO (line 1) and a FIXME (line 3), and a Java file
 * with a TODO on line 2 in {@link #javaFile()}, and notes.md, which the agent does not analyse; {@link #fx} holds the runner, the agent and the commands.
 */
abstract class ScanTestBase {
    @TempDir
    Path dir;
    ScanFixture fx;

    /** @return where the Java file goes (a test of URIs wants a space in it) */
    String javaFile() {
        return "src/B.java";
    }

    @BeforeEach
    void open() throws Exception {
        fx = new ScanFixture(dir);
        fx.write("a.txt", "TODO write the intro\nall good\nFIXME the sum is wrong\n")
                .write(javaFile(), "class B {\n    // TODO name it\n}\n")
                .write("notes.md", "TODO not analysed: markdown\n").commit("first");
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    /** Fixes the FIXME of a.txt and commits. */
    void fixTheSum() throws Exception {
        fx.write("a.txt", "TODO write the intro\nall good\nthe sum is right\n").commit("fix the sum");
    }
}
