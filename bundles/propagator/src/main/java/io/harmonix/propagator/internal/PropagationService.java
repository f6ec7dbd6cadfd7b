package io.harmonix.propagator.internal;

import io.harmonix.config.api.KnownKeys;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.Propagator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * The propagator: one {@link EndpointWorker} per enabled endpoint of the registry, restarted when its entry (or
 * the configuration) changes; the registry and pulse files are re-read when they change on disk. Plain Java: the
 * DS component only wires it.
 */
public final class PropagationService implements Propagator, AutoCloseable {
    /** The parts of the propagator that an {@link EndpointWorker} and the {@link IngestService} work with. */
    record Parts(CycleIndex index, DeliveryStore store, WebhookSender sender, Logger log, PropagatorSettings settings) {
    }

    private final CycleIndex index;
    private final DeliveryStore store;
    private final PropagatorSettings settings;
    private final Path registryFile;
    private final Path pulseFile;
    /** Where the propagator's messages go: never a secret in them; each a plain message, not a format. */
    private final Logger log;
    private final WebhookSender sender;
    /** What the workers and the ingest side use of the propagator, handed to them when they are made. */
    private final Parts parts;
    private final Map<String, EndpointWorker> workers = new LinkedHashMap<>();
    private final ScheduledExecutorService housekeeping;
    private final Object changes = new Object();
    private volatile MeshConfig config = MeshConfig.EMPTY;
    private volatile List<String> problems = List.of();
    private volatile BiConsumer<Endpoint, DeliveryAttempt> onDelivered = (e, a) -> { };
    private String stamp = "";
    private boolean closed;

    /**
     * @param home the runtime's home: relative registry and pulse paths start there
     */
    PropagationService(CycleIndex index, javax.sql.DataSource dataSource, PropagatorSettings settings, Path home,
            Logger log) {
        this.index = index;
        this.store = new DeliveryStore(dataSource);
        this.settings = settings;
        this.registryFile = home.resolve(settings.registry()).normalize();
        this.pulseFile = home.resolve(settings.pulse()).normalize();
        this.log = log;
        this.sender = new WebhookSender(settings.timeout());
        this.parts = new Parts(index, store, sender, log, settings);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-propagate-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the files, starts the workers, and from then on re-reads the files each second when they changed. */
    void start() {
        reload();
        housekeeping.scheduleWithFixedDelay(this::reloadQuietly, 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::prune, 1, 10, TimeUnit.MINUTES);
    }

    /** For benchmarks and tests: told of every delivered cycle. */
    void onDelivered(BiConsumer<Endpoint, DeliveryAttempt> listener) {
        this.onDelivered = listener;
    }

    /** @return the ingest side of this propagator: its peers are those of the registry in force at each request */
    IngestService ingest(Supplier<Instant> clock) {
        return new IngestService(parts, () -> config, clock);
    }

    void delivered(String endpointId, IndexedCycle cycle, DeliveryAttempt attempt) {
        EndpointWorker w;
        synchronized (workers) {
            w = workers.get(endpointId);
        }
        if (w != null) {
            onDelivered.accept(w.endpoint, attempt);
        }
        changed();
    }

    void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** The index appended to a namespace: wake the endpoints that read it. */
    void appended(String namespace) {
        synchronized (workers) {
            for (EndpointWorker w : workers.values()) {
                if (w.endpoint.namespaces().contains(namespace)) {
                    w.wakeData();
                }
            }
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("propagator: reading " + registryFile + " failed: " + e);
        }
    }

    /** Re-reads registry.json and pulse.json when either changed (or at the first call). */
    synchronized void reload() {
        String now = stampOf(registryFile) + "|" + stampOf(pulseFile);
        if (now.equals(stamp)) {
            return;
        }
        stamp = now;
        MeshConfig next;
        try {
            next = MeshConfig.load(registryFile, pulseFile, index.localNamespace(), settings::scheduleOf);
            problems = List.of();
        } catch (MeshConfig.Invalid e) {
            problems = e.problems;
            e.problems.forEach(p -> log.warn("propagator configuration refused: " + p));
            log.warn("propagator: keeping the previous endpoints and peers until " + registryFile.getFileName()
                    + " and " + pulseFile.getFileName() + " are fixed");
            return;
        }
        MeshConfig previous = config;
        config = next;
        apply(previous, next);
        log.info("propagator: " + next.endpoints.size() + " endpoint(s) " + next.endpoints.stream()
                .map(Endpoint::id).toList() + ", " + next.peers.size() + " peer(s) " + next.peers.keySet());
    }

    private static String stampOf(Path file) {
        try {
            // the permissions too: a pulse.json refused for being readable by others is taken once chmod 600 is
            // done, which changes neither its time nor its text
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file) + ":"
                    + Files.readString(file, StandardCharsets.UTF_8).hashCode() + ":" + permissions(file) : "-";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String permissions(Path file) throws IOException {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException e) {
            return ""; // not a POSIX file system: permissions are not checked either
        }
    }

    private void apply(MeshConfig previous, MeshConfig next) {
        List<EndpointWorker> stop = new ArrayList<>();
        List<EndpointWorker> start = new ArrayList<>();
        synchronized (workers) {
            if (closed) {
                return;
            }
            for (var it = workers.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Endpoint now = next.endpoint(e.getKey());
                if (now == null || !now.equals(e.getValue().endpoint)
                        || !sameSecret(previous, next, now.secret())) {
                    stop.add(e.getValue());
                    it.remove();
                }
            }
            for (Endpoint e : next.endpoints) {
                if (!workers.containsKey(e.id())) {
                    EndpointWorker w = new EndpointWorker(e, next.secrets.get(e.secret()), this, parts);
                    workers.put(e.id(), w);
                    start.add(w);
                }
            }
        }
        for (EndpointWorker w : stop) {
            try {
                w.stop(); // before its successor starts: one sender per endpoint keeps the order
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        start.forEach(EndpointWorker::start);
    }

    private static boolean sameSecret(MeshConfig a, MeshConfig b, String name) {
        MeshConfig.Secret x = a.secrets.get(name);
        MeshConfig.Secret y = b.secrets.get(name);
        if (x == null || y == null || x.keys().size() != y.keys().size() || !Objects.equals(x.token(), y.token())) {
            return false;
        }
        for (int i = 0; i < x.keys().size(); i++) {
            if (!java.util.Arrays.equals(x.keys().get(i), y.keys().get(i))) {
                return false;
            }
        }
        return true;
    }

    private void prune() {
        try {
            for (Endpoint e : config.endpoints) {
                store.pruneAttempts(e.id(), settings.attemptsKept());
            }
            // a repeat of an older id is also caught by the index, which skips cycles it holds
            store.forgetSeen(Instant.now().minus(Duration.ofDays(1)));
        } catch (SQLException | RuntimeException e) {
            log.warn("propagator housekeeping failed: " + e);
        }
    }

    private EndpointWorker worker(String endpointId) {
        synchronized (workers) {
            return KnownKeys.get(workers, endpointId, "endpoint", "endpoints");
        }
    }

    @Override
    public List<Endpoint> endpoints() {
        return config.endpoints;
    }

    @Override
    public List<String> configurationProblems() {
        return problems;
    }

    @Override
    public List<EndpointStatus> status() {
        Map<String, Long> sizes = new HashMap<>();
        try {
            for (String ns : index.namespaces()) {
                sizes.put(ns, index.stats(ns).treeSize());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index: " + e.getMessage(), e);
        }
        Map<String, Long> dead = new HashMap<>();
        try {
            for (DeadLetter d : store.deadLetters(null)) {
                dead.merge(d.endpoint(), 1L, Long::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
        List<EndpointStatus> out = new ArrayList<>();
        synchronized (workers) {
            for (EndpointWorker w : workers.values()) {
                out.add(w.status(sizes, dead.getOrDefault(w.endpoint.id(), 0L)));
            }
        }
        return out;
    }

    @Override
    public List<DeliveryAttempt> attempts(String endpointId, int limit) {
        worker(endpointId);
        try {
            return store.attempts(endpointId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public List<DeadLetter> deadLetters(String endpointId) {
        if (endpointId != null) {
            worker(endpointId);
        }
        try {
            return store.deadLetters(endpointId);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public void redeliver(String endpointId, String cycleId) throws IOException {
        EndpointWorker w = worker(endpointId);
        IndexedCycle c = index.find(cycleId).orElseThrow(() -> new IllegalArgumentException("cycle '" + cycleId
                + "' is not in the index"));
        if (!w.endpoint.namespaces().contains(c.namespace())) {
            throw new IllegalArgumentException("cycle '" + cycleId + "' is in namespace " + c.namespace()
                    + ", which endpoint " + endpointId + " does not receive (" + w.endpoint.namespaces() + ")");
        }
        try {
            store.requestRedelivery(endpointId, new DeliveryStore.Redelivery(c.namespace(), c.sequence()));
        } catch (SQLException e) {
            throw new IOException("database: " + e.getMessage(), e);
        }
        w.wakeControl();
    }

    @Override
    public int redeliverDead(String endpointId) {
        EndpointWorker w = worker(endpointId);
        try {
            List<DeadLetter> dead = store.deadLetters(endpointId);
            for (DeadLetter d : dead) {
                store.requestRedelivery(endpointId, new DeliveryStore.Redelivery(d.namespace(), d.sequence()));
            }
            w.wakeControl();
            return dead.size();
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public void pause(String endpointId) {
        setPaused(endpointId, true, null);
    }

    @Override
    public void resume(String endpointId) {
        setPaused(endpointId, false, null);
    }

    private void setPaused(String endpointId, boolean paused, String disabled) {
        EndpointWorker w = worker(endpointId);
        DeliveryStore.Flags f = new DeliveryStore.Flags(paused, disabled);
        try {
            store.setFlags(endpointId, f);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
        if (!paused) {
            w.breaker.success(); // an operator's resume also closes the breaker: try now
        }
        w.setFlags(f);
        log.info("endpoint " + endpointId + (paused ? " paused" : " resumed"));
        changed();
    }

    @Override
    public DeliveryAttempt test(String endpointId) throws IOException, InterruptedException {
        EndpointWorker w = worker(endpointId);
        MeshConfig.Secret secret = config.secrets.get(w.endpoint.secret());
        String id = "msg_ping_" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = ("{\"type\":\"harmonix.ping\",\"endpoint\":\"" + endpointId + "\",\"sentAt\":\""
                + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
        WebhookSender.Sent s = sender.send(w.endpoint.url(), secret, id, "ping", body, settings.timeout());
        DeliveryAttempt a = new DeliveryAttempt(endpointId, null, -1, null, id, 1, s.at(), s.status(),
                s.latencyMillis(), DeliveryAttempt.Outcome.TEST, s.error());
        try {
            store.recordAttempt(a);
        } catch (SQLException e) {
            throw new IOException("database: " + e.getMessage(), e);
        }
        return a;
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean idle = status().stream().allMatch(s -> s.state() == EndpointStatus.State.PAUSED
                    || s.state() == EndpointStatus.State.DISABLED
                    || (s.state() == EndpointStatus.State.IDLE && s.lag() == 0 && loaded(s.endpoint().id())))
                    && noRedeliveries();
            if (idle) {
                return true;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (changes) {
                changes.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
    }

    private boolean loaded(String endpointId) {
        synchronized (workers) {
            EndpointWorker w = workers.get(endpointId);
            return w == null || w.loaded();
        }
    }

    private boolean noRedeliveries() {
        try {
            for (Endpoint e : config.endpoints) {
                if (!store.redeliveries(e.id()).isEmpty()) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() throws InterruptedException {
        housekeeping.shutdownNow();
        List<EndpointWorker> all;
        synchronized (workers) {
            closed = true;
            all = new ArrayList<>(workers.values());
            workers.clear();
        }
        for (EndpointWorker w : all) {
            w.stop();
        }
    }
}
