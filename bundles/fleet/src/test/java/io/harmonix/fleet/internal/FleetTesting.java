package io.harmonix.fleet.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;

/** For the command tests (another package): a fleet fixture with a root folder {@code repos}. */
public final class FleetTesting implements AutoCloseable {
    private final FleetFixture fixture;

    private FleetTesting(FleetFixture fixture) {
        this.fixture = fixture;
    }

    public static FleetTesting open(Path dir) throws Exception {
        FleetFixture f = new FleetFixture(dir, "repos");
        Files.createDirectories(f.home.resolve("repos"));
        return new FleetTesting(f);
    }

    public Path home() {
        return fixture.home;
    }

    public Path root() {
        return fixture.home.resolve("repos");
    }

    public Path workingTree(Path at, String... files) throws Exception {
        return fixture.git.workingTree(at, files);
    }

    public static List<String> schemaErrors(String schema, JsonNode document) throws java.io.IOException {
        return Schemas.errors(schema, document);
    }

    public Fleet fleet() {
        return fixture.engine;
    }

    @Override
    public void close() {
        fixture.close();
    }
}
