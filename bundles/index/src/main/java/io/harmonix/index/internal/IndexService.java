package io.harmonix.index.internal;

import io.harmonix.config.api.KnownKeys;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RepairReport;
import io.harmonix.index.api.RunSummary;
import io.harmonix.index.api.VerifyReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The index over {@code data/index/}: one {@link NamespaceLog} per namespace, opened when first needed. */
public final class IndexService implements CycleIndex, CycleRecorder, Closeable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Path root;
    private final Consumer<String> report;
    private final Map<String, NamespaceLog> logs = new TreeMap<>();
    private volatile IndexSettings settings;
    private volatile BiConsumer<String, Long> appended = (ns, size) -> { };
    private final RunnerRecords runnerRecords = new RunnerRecords();
    private volatile Written written = (ns, records, nanos) -> { };

    /** Told of each append request that wrote records: see {@link io.harmonix.index.api.CycleIndexListener#written}. */
    @FunctionalInterface
    public interface Written {
        void written(String namespace, int records, long nanos);
    }

    /**
     * Opens every namespace found under {@code root} (recovering each).
     *
     * @param report where recovery findings go
     */
    public IndexService(Path root, IndexSettings settings, Consumer<String> report) throws IOException {
        this.root = root;
        this.settings = settings;
        this.report = report;
        Files.createDirectories(root);
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (NAME.matcher(d.getFileName().toString()).matches()) {
                    log(d.getFileName().toString());
                }
            }
        }
        log(settings.namespace());
    }

    /** Who is told of appends (namespace, size after): see {@link io.harmonix.index.api.CycleIndexListener}. */
    public void onAppended(BiConsumer<String, Long> listener) {
        this.appended = listener;
    }

    /** Who is told how many records each append request wrote and how long it took until they were durable. */
    public void onWritten(Written listener) {
        this.written = listener;
    }

    private int notifyAppended(String namespace, NamespaceLog log, int count, long startNanos) {
        if (count > 0) {
            written.written(namespace, count, System.nanoTime() - startNanos);
            appended.accept(namespace, log.size());
        }
        return count;
    }

    public void update(IndexSettings next) {
        this.settings = next;
        synchronized (logs) {
            logs.values().forEach(l -> l.update(next));
        }
    }

    private NamespaceLog log(String namespace) throws IOException {
        if (namespace == null || !NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace
                    + "' must be 1-64 letters, digits, '.', '-' or '_'");
        }
        synchronized (logs) {
            NamespaceLog l = logs.get(namespace);
            if (l == null) {
                l = new NamespaceLog(root, namespace, settings, report);
                logs.put(namespace, l);
            }
            return l;
        }
    }

    private NamespaceLog existing(String namespace) {
        synchronized (logs) {
            return KnownKeys.get(logs, namespace, "namespace", "namespaces");
        }
    }

    /**
     * A namespace whose last write failed (a full disk, a read-only folder) refuses appends until it is read again
     * from its segments; this reopens it, so that once the cause is mended the next append or verification goes on
     * without a restart. A reopen that fails (the disk still full) leaves it broken, to be tried again next time.
     */
    private NamespaceLog writable(String namespace) throws IOException {
        NamespaceLog l = log(namespace);
        String why = l.broken();
        if (why == null) {
            return l;
        }
        synchronized (logs) {
            if (logs.get(namespace) != l) {
                return log(namespace); // reopened by another caller meanwhile
            }
            l.abandon();
            NamespaceLog fresh;
            try {
                fresh = new NamespaceLog(root, namespace, settings, report);
            } catch (IOException e) {
                throw new IOException("index " + namespace + " could not be reopened after a failed write (" + why
                        + "): " + e.getMessage(), e);
            }
            logs.put(namespace, fresh);
            report.accept("index " + namespace + ": reopened from its segments after a failed write (" + why + ")");
            return fresh;
        }
    }

    /**
     * The runner's record of a cycle in the local namespace. Returns once the record is written and the run's
     * previous record is durable; this one is synced with the writer thread's next group ({@link RunnerRecords}),
     * and listeners hear of it then. The run journal holds the cycle already: after a crash, the runner records its
     * last two committed cycles again.
     */
    @Override
    public void recordCycle(CycleSnapshot snapshot) throws IOException {
        String ns = settings.namespace();
        NamespaceLog l = writable(ns);
        long t0 = System.nanoTime(); // to the record being durable: its sync latency
        runnerRecords.record(ns, snapshot, s -> l.appendDeferred(List.of(s)), n -> notifyAppended(ns, l, n, t0));
    }

    @Override
    public String localNamespace() {
        return settings.namespace();
    }

    @Override
    public List<String> namespaces() {
        synchronized (logs) {
            return new ArrayList<>(logs.keySet());
        }
    }

    @Override
    public int appendCycleSnapshots(String namespace, List<CycleSnapshot> snapshots) throws IOException {
        if (snapshots.isEmpty()) {
            return 0;
        }
        NamespaceLog l = writable(namespace);
        long t0 = System.nanoTime();
        return notifyAppended(namespace, l, l.append(snapshots), t0);
    }

    @Override
    public List<RunSummary> runs(String namespace) {
        return existing(namespace).runs();
    }

    @Override
    public List<IndexedCycle> list(String namespace, String runId, long offset, int limit) throws IOException {
        List<IndexedCycle> out = new ArrayList<>();
        AtomicLong skipped = new AtomicLong();
        existing(namespace).read(runId == null ? offset : 0, c -> {
            if (runId != null && !runId.equals(c.snapshot().runId())) {
                return true;
            }
            if (runId != null && skipped.getAndIncrement() < offset) {
                return true;
            }
            out.add(c);
            return out.size() < limit;
        });
        return out;
    }

    @Override
    public Optional<IndexedCycle> find(String cycleId) throws IOException {
        for (NamespaceLog l : searchOrder()) {
            Long seq = l.sequenceOf(cycleId);
            if (seq != null) {
                List<IndexedCycle> found = new ArrayList<>();
                l.read(seq, c -> {
                    found.add(c);
                    return false;
                });
                return found.stream().findFirst();
            }
        }
        return Optional.empty();
    }

    private List<NamespaceLog> searchOrder() {
        List<NamespaceLog> order = new ArrayList<>();
        synchronized (logs) {
            NamespaceLog local = logs.get(settings.namespace());
            if (local != null) {
                order.add(local);
            }
            logs.values().stream().filter(l -> l != local).forEach(order::add);
        }
        return order;
    }

    @Override
    public long replay(String namespace, String runId, long from, long to, Consumer<IndexedCycle> sink)
            throws IOException {
        NamespaceLog l = existing(namespace);
        if (l.run(runId) == null) {
            throw new IllegalArgumentException("namespace '" + namespace + "' has no run '" + runId + "'");
        }
        Long start = l.sequenceOf(runId + ":" + from);
        AtomicLong n = new AtomicLong();
        l.read(start == null ? 0 : start, c -> {
            CycleSnapshot s = c.snapshot();
            if (s.runId().equals(runId) && s.cycle() >= from && s.cycle() <= to) {
                sink.accept(c);
                n.incrementAndGet();
            }
            return !(s.runId().equals(runId) && s.cycle() >= to);
        });
        return n.get();
    }

    @Override
    public IndexStats stats(String namespace) {
        return existing(namespace).stats();
    }

    @Override
    public VerifyReport verify(String namespace) throws IOException {
        existing(namespace); // an unknown one is an error, not a new namespace
        return writable(namespace).verify(); // a broken log's memory is ahead of its segments: read them again
    }

    @Override
    public Proofs.Inclusion prove(String cycleId) {
        for (NamespaceLog l : searchOrder()) {
            Long seq = l.sequenceOf(cycleId);
            if (seq != null) {
                synchronized (l) {
                    long size = l.treeSize();
                    if (seq >= size) { // a damaged namespace's tree ends before its first bad record
                        throw new IllegalStateException("cycle '" + cycleId + "' is record " + seq + " of namespace "
                                + l.namespace + ", after its damage (index:verify): its tree holds " + size
                                + " records until index:repair");
                    }
                    return new Proofs.Inclusion(cycleId, seq, size, NamespaceLog.hex(l.leaf(seq)),
                            l.inclusion(seq, size).stream().map(NamespaceLog::hex).toList(),
                            NamespaceLog.hex(l.root(size)));
                }
            }
        }
        throw new IllegalArgumentException("no indexed cycle '" + cycleId + "' (pruned cycles cannot be proved: "
                + "their records are gone)");
    }

    @Override
    public Proofs.Consistency consistency(String namespace, long oldSize, long newSize) {
        NamespaceLog l = existing(namespace);
        synchronized (l) {
            if (oldSize < 1 || oldSize > newSize || newSize > l.treeSize()) {
                throw new IllegalArgumentException("sizes must satisfy 1 <= old <= new <= " + l.treeSize()
                        + " (the tree's size); were " + oldSize + " and " + newSize);
            }
            return new Proofs.Consistency(oldSize, newSize, NamespaceLog.hex(l.root(oldSize)),
                    NamespaceLog.hex(l.root(newSize)), l.consistency(oldSize, newSize).stream()
                    .map(NamespaceLog::hex).toList());
        }
    }

    @Override
    public PruneReport prune(String namespace, boolean dryRun) throws IOException {
        return existing(namespace).prune(dryRun, Instant.now());
    }

    @Override
    public RepairReport repair(String namespace, Path from, boolean truncate) throws IOException {
        if (from != null && truncate) {
            throw new IllegalArgumentException("repair " + namespace + ": restore from a copy or truncate, not both");
        }
        return existing(namespace).repair(from, truncate);
    }

    @Override
    public void close() throws IOException {
        synchronized (logs) {
            for (NamespaceLog l : logs.values()) {
                l.close();
            }
            logs.clear();
        }
    }
}
