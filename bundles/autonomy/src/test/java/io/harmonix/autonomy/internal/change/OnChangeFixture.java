package io.harmonix.autonomy.internal.change;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests of change requests that each start from a fresh {@link ChangeFixture} (a real repository, a real Derby,
 * the fleet's real sandbox) in a folder of their own, and close it after.
 */
abstract class OnChangeFixture {
    @TempDir
    Path root;
    ChangeFixture f;

    @BeforeEach
    void openFixture() throws Exception {
        f = new ChangeFixture(root);
    }

    @AfterEach
    void closeFixture() throws Exception {
        f.close();
    }
}
