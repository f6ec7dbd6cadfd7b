package io.harmonix.fleet.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What discovery tests start from: a fleet on a real Derby whose one root, {@code repos/}, is empty. */
abstract class FleetUnderOneRoot {
    @TempDir
    Path dir;
    FleetFixture fleet;
    /** The root: repositories a test makes here are discovered. */
    Path root;

    @BeforeEach
    void openFleet() throws Exception {
        fleet = new FleetFixture(dir, "repos");
        root = Files.createDirectories(fleet.home.resolve("repos"));
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
