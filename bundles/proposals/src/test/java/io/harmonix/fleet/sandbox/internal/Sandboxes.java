package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.store.api.SchemaMigrator;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.osgi.service.log.Logger;

/**
 * The fleet's sandboxed executor as DS makes it, for the proposals' tests (its test constructor is the bundle's own,
 * so this helper sits in its package, on the test class path only): isolation required, 2 minutes per command.
 */
public final class Sandboxes {
    private Sandboxes() {
    }

    /** @return the executor, which is also the {@link CheckHistory} of its records */
    public static <T extends SandboxExecutor & CheckHistory> T create(Path home, DataSource dataSource,
            SchemaMigrator migrator, Consumer<String> log) throws Exception {
        SandboxSettings settings = new SandboxSettings(Duration.ofMinutes(2), 1L << 30, 1024, true, 256 * 1024,
                List.of());
        @SuppressWarnings("unchecked")
        T sandbox = (T) new SandboxComponent(settings, home, dataSource, migrator, logger(log));
        return sandbox;
    }

    private static Logger logger(Consumer<String> into) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String text) {
                        into.accept(method.getName() + " " + text);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }
}
