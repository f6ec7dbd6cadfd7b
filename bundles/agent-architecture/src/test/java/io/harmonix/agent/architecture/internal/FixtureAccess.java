package io.harmonix.agent.architecture.internal;

import java.nio.file.Path;

/** The modular fixture for tests of other packages. */
public final class FixtureAccess {
    private FixtureAccess() {
    }

    /** @return the root of the fixture with its planted cycles */
    public static Path modular(Path dir) throws Exception {
        return new ModularFixture(dir).root;
    }

    /** @return the root of the fixture without them */
    public static Path fixed(Path dir) throws Exception {
        return new ModularFixture(dir).fix().root;
    }
}
