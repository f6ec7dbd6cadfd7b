package io.harmonix.propagator.internal;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.store.testing.DerbyFixture;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.log.Logger;

/** A real runtime's parts in a folder: Derby, the index, registry.json and pulse.json, and the propagator. */
final class Fixture implements AutoCloseable {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String NEW_SECRET = "whsec_c2VjcmV0LWFmdGVyLXJvdGF0aW9uLTEyMzQ1Njc4";
    static final String TOKEN = "tok-7c1e0d5b9a-never-logged";

    final Path home;
    final DerbyFixture db;
    final IndexFixture indexes;
    final CycleIndex index;
    final CycleRecorder recorder;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    PropagationService service;

    Fixture(Path home) throws Exception {
        this.home = home;
        Files.createDirectories(home.resolve("etc"));
        db = DerbyFixture.open(home.resolve("data"));
        db.migrator().migrate(DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS);
        indexes = IndexFixture.open(home.resolve("data/index"), log::add);
        index = indexes.index();
        recorder = indexes.recorder();
    }

    void registry(String json) throws Exception {
        Files.writeString(home.resolve("etc/registry.json"), json);
    }

    void pulse(String json) throws Exception {
        Path p = home.resolve("etc/pulse.json");
        Files.writeString(p, json);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }

    /** One endpoint "e1" at {@code url}, signed with SECRET and sending TOKEN; {@code extra} adds fields. */
    void endpoint(String url, String extra) throws Exception {
        registry("{\"endpoints\": [{\"id\": \"e1\", \"url\": \"" + url + "\", \"secret\": \"e1\"" + extra + "}]}");
        pulse("{\"secrets\": {\"e1\": {\"signing\": [\"" + SECRET + "\"], \"token\": \"" + TOKEN + "\"}}}");
    }

    PropagationService start(Map<String, String> settings) {
        Map<String, Object> props = new HashMap<>(Map.of("retry.initialDelay", "20ms", "retry.jitter", "0",
                "timeout", "2s"));
        props.putAll(settings);
        service = new PropagationService(index, db.dataSource(), PropagatorSettingsTest.read(props).orElseThrow(), home,
                recording(log));
        PropagationService started = service;
        indexes.onAppended((ns, size) -> started.appended(ns));
        started.start();
        return started;
    }

    /**
     * A Logger that adds "LEVEL message" to {@code into}. The propagator calls only the one-argument
     * {@code info} and {@code warn}: a proxy spares the dozens of other Logger methods it never uses.
     */
    static Logger recording(List<String> into) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args == null || args.length != 1 || !(args[0] instanceof String message)) {
                        throw new UnsupportedOperationException("the fixture records only " + method.getName()
                                + "(String), not " + method);
                    }
                    into.add(method.getName().toUpperCase(Locale.ROOT) + " " + message);
                    return null;
                });
    }

    void stopService() throws InterruptedException {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    static CycleSnapshot snapshot(String run, long cycle, CycleStatus status) {
        Instant t = Instant.parse("2026-11-21T00:00:00Z").plusSeconds(cycle);
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), t, t, status, List.of(),
                Map.of("agents", 0.0));
    }

    void append(String run, long from, long to) throws Exception {
        for (long c = from; c <= to; c++) {
            recorder.recordCycle(snapshot(run, c, CycleStatus.OK));
        }
    }

    @Override
    public void close() throws Exception {
        stopService();
        indexes.close();
        db.close();
    }
}
