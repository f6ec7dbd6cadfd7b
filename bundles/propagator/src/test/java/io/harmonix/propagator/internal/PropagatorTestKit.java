package io.harmonix.propagator.internal;

import io.harmonix.propagator.api.Propagator;
import java.nio.file.Path;
import java.util.Map;

/** For tests of other packages (the commands): a started propagator with one endpoint at a loopback receiver. */
public final class PropagatorTestKit implements AutoCloseable {
    private final Fixture fixture;
    private final LoopbackReceiver receiver;
    private long next = 1;

    public PropagatorTestKit(Path dir) throws Exception {
        fixture = new Fixture(dir);
        receiver = new LoopbackReceiver();
        fixture.endpoint(receiver.url(), "");
        fixture.start(Map.of());
    }

    public Propagator propagator() {
        return fixture.service;
    }

    public String url() {
        return receiver.url();
    }

    public static String secretValue() {
        return Fixture.SECRET;
    }

    /** Indexes {@code n} more cycles of run "r". */
    public void append(int n) throws Exception {
        fixture.append("r", next, next + n - 1);
        next += n;
    }

    @Override
    public void close() throws Exception {
        fixture.close();
        receiver.close();
    }
}
