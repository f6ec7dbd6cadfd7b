package io.harmonix.fleet.sandbox.testing;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.fleet.sandbox.internal.SandboxComponent;
import io.harmonix.fleet.sandbox.internal.SandboxSettings;
import io.harmonix.store.api.SchemaMigrator;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.osgi.service.log.Logger;

/**
 * The fleet's real sandboxed executor for the tests of other bundles: the sandbox component as DS makes it, over a
 * runtime home in the test's folder and the Derby database the test holds (the store test jar's
 * {@code DerbyFixture}, so that the test's own tables share it), isolation required. Settings not given are the
 * ones below; the component probes the isolation and clears its leftovers in its data folder ({@code home/data}
 * unless {@link #data} names another) as it does at a runtime's start. Close it at the end of the test: closing
 * stops the component as a stopping runtime does (its checks in flight killed, their cgroups removed). Shipped in
 * this module's test jar ({@code <type>test-jar</type>}, test scope), so that those tests never reach into the
 * sandbox's private package.
 */
public final class TestSandbox implements AutoCloseable {
    private Duration timeLimit = Duration.ofSeconds(60);
    private long memoryBytes = 512L << 20;
    private int processLimit = 256;
    private int logLimit = 64 * 1024;
    private Consumer<String> log = line -> { };
    private Path data;
    private io.harmonix.cluster.api.ClusterNode node;
    private SandboxComponent component;

    private TestSandbox() {
    }

    /** @return settings for a sandbox: 60 s per command, 512 MiB, 256 processes, 64 KiB of log, nothing logged */
    public static TestSandbox settings() {
        return new TestSandbox();
    }

    /** Wall-clock limit of a command whose request names none. */
    public TestSandbox timeLimit(Duration limit) {
        this.timeLimit = limit;
        return this;
    }

    /** Memory of everything a command starts, where cgroup v1 memory is writable. */
    public TestSandbox memoryBytes(long bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** Processes and threads of everything a command starts, where cgroup v1 pids is writable. */
    public TestSandbox processLimit(int processes) {
        this.processLimit = processes;
        return this;
    }

    /** Bytes of output kept per check. */
    public TestSandbox logLimit(int bytes) {
        this.logLimit = bytes;
        return this;
    }

    /** The data folder of the runtime ({@code bin/harmonix --data DIR}); {@code home/data} when not given. */
    public TestSandbox data(Path folder) {
        this.data = folder;
        return this;
    }

    /** The cluster the runtime is a node of (its checks carry its id; the open ones of dead nodes are closed). */
    public TestSandbox node(io.harmonix.cluster.api.ClusterNode node) {
        this.node = node;
        return this;
    }

    /** Where the component's log lines go, each as {@code level message} ({@code info fleet sandbox: ...}). */
    public TestSandbox log(Consumer<String> lines) {
        this.log = lines;
        return this;
    }

    /**
     * Makes the component (its table migrated in {@code dataSource}, {@code home/etc} created).
     *
     * @return this, its executor and history ready
     */
    public TestSandbox open(Path home, DataSource dataSource, SchemaMigrator migrator) throws Exception {
        Files.createDirectories(home.resolve("etc"));
        component = new SandboxComponent(new SandboxSettings(timeLimit, memoryBytes, processLimit, true, logLimit,
                List.of()), home, data == null ? home.resolve("data") : data, dataSource, migrator, node, logger(log));
        return this;
    }

    public SandboxExecutor executor() {
        return opened();
    }

    /** @return the records of the checks its executor ran */
    public CheckHistory history() {
        return opened();
    }

    /** Stops the component as a stopping runtime does; nothing when it was never opened or is stopped already. */
    @Override
    public void close() {
        if (component != null) {
            component.deactivate();
        }
    }

    private SandboxComponent opened() {
        if (component == null) {
            throw new IllegalStateException("the test sandbox is not open: call open(home, dataSource, migrator)");
        }
        return component;
    }

    /**
     * A Logger that hands each message with arguments (the only ones the component writes) to {@code into} as
     * {@code level message}, the arguments left as {@code {}}.
     */
    public static Logger logger(Consumer<String> into) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String text) {
                        into.accept(method.getName() + " " + text);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }
}
