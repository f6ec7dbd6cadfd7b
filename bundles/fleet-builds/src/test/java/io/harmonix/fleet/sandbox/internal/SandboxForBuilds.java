package io.harmonix.fleet.sandbox.internal;

import io.harmonix.store.testing.DerbyFixture;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.service.log.Logger;

/**
 * The real sandboxed executor for the tests of fleet builds, made as the sandbox's own tests make it (its
 * {@code SandboxFixture}): its component over a runtime home and a Derby database, with settings read already. In
 * the sandbox's package because that constructor is the one its tests use; test code only.
 */
public final class SandboxForBuilds {
    private SandboxForBuilds() {
    }

    /** @return the component, which is both the executor and the check history */
    public static SandboxComponent open(Path home, DerbyFixture derby) throws Exception {
        Files.createDirectories(home.resolve("etc"));
        SandboxSettings settings = new SandboxSettings(Duration.ofSeconds(60), 512L << 20, 256, true, 64 * 1024,
                List.of());
        return new SandboxComponent(settings, home, derby.dataSource(), derby.migrator(), quiet());
    }

    // The component logs its isolation at start and what it closed; the tests of builds need none of it.
    private static Logger quiet() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? Boolean.FALSE : null);
    }
}
