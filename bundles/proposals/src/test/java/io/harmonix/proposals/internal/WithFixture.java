package io.harmonix.proposals.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a {@link Fixture} of its own, made in its own folder before each test and closed after it. */
public abstract class WithFixture {
    @TempDir
    protected Path dir;
    protected Fixture fx;

    @BeforeEach
    void openFixture() throws Exception {
        fx = new Fixture(dir);
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
