package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * A runtime in a JVM of its own for {@link KilledRuntimeTest}: the sandbox component of the installation
 * {@code args[0]} on the data folder {@code args[1]}, its database in {@code args[2]}, runs {@code sleep 1000.TOKEN}
 * ({@code args[4]}) on the repository {@code args[3]} until the test kills this JVM with SIGKILL.
 */
public final class KilledRuntime {
    private KilledRuntime() {
    }

    public static void main(String[] args) throws Exception {
        DerbyFixture derby = DerbyFixture.open(Path.of(args[2]));
        SandboxComponent sandbox = new SandboxComponent(SandboxFixture.defaults(), Path.of(args[0]), Path.of(args[1]),
                derby.dataSource(), derby.migrator(), SandboxFixture.logger(new ArrayList<>()));
        System.out.println("isolation " + sandbox.isolation());
        System.out.println(sandbox.execute(new ExecutionRequest("app", args[3], "HEAD", "build", "sleep 1000."
                + args[4], null, Map.of())));
    }
}
