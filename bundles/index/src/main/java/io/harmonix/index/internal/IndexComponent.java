package io.harmonix.index.internal;

import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.CycleIndexListener;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RepairReport;
import io.harmonix.index.api.RunSummary;
import io.harmonix.index.api.VerifyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The federated cycle index of the runtime: opens it under {@code <data>/index} and publishes it through DS as
 * {@link CycleIndex} and as the runner's {@link CycleRecorder}, delegating to the {@link IndexService} built when
 * the component activates; applies retention every minute. A new configuration (PID {@value IndexSettings#PID})
 * applies in place (the namespace of the runtime's own cycles, sync policy, segment size, retention) when it is
 * right as a whole; a wrong one is logged with every wrong property and changes nothing. At activation there are no
 * settings to keep: a wrong configuration keeps the index from starting (the runner then waits for a recorder)
 * rather than open it with defaults, which could send this runtime's cycles to another namespace.
 */
@Component(service = {CycleIndex.class, CycleRecorder.class}, immediate = true, configurationPid = IndexSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IndexComponent.Config.class)
public class IndexComponent implements CycleIndex, CycleRecorder {
    @ObjectClassDefinition(name = "Harmonix federated cycle index")
    @interface Config {
        @AttributeDefinition(description = "This runtime's namespace: the log of its own cycles.")
        String namespace() default "local";

        @AttributeDefinition(description = "A segment file is closed past this many bytes.", min = "4096")
        long segmentBytes() default 8L << 20;

        @AttributeDefinition(description = "always: every append is forced to disk before it returns; group: "
                + "appends arriving together share one force (bounded by groupDelay); none: never forced.",
                options = {@org.osgi.service.metatype.annotations.Option(value = "always"),
                    @org.osgi.service.metatype.annotations.Option(value = "group"),
                    @org.osgi.service.metatype.annotations.Option(value = "none")})
        String sync() default "group";

        @AttributeDefinition(description = "With sync=group, how long to gather appends into one force.")
        String groupDelay() default "0ms";

        @AttributeDefinition(description = "Retention of every namespace: drop closed segments older than this "
                + "(empty: no limit). Per namespace: retention.<namespace>.maxAge.")
        String retention_maxAge() default "";

        @AttributeDefinition(description = "Retention: keep at most this many bytes per namespace (0: no limit).")
        long retention_maxBytes() default 0;

        @AttributeDefinition(description = "Retention: keep the last this many cycles of each run (0: no limit).")
        long retention_maxPerRun() default 0;
    }

    private final Logger log;
    private final List<CycleIndexListener> listeners = new CopyOnWriteArrayList<>();
    private final IndexService index;
    private final ScheduledExecutorService retention;

    @Activate
    public IndexComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws IOException {
        this.log = log;
        IndexSettings settings = IndexSettings.read(config, properties).orElseThrow(log::error, log::warn);
        String data = context.getProperty("harmonix.data");
        Path root = Path.of(data == null ? "data" : data).resolve("index");
        long t0 = System.nanoTime();
        index = new IndexService(root, settings, message -> log.warn(message));
        index.onAppended(this::tellListeners);
        index.onWritten(this::tellWritten);
        log.info("index {} open in {} ms: namespaces {}, sync {}", root, (System.nanoTime() - t0) / 1_000_000,
                index.namespaces(), settings.sync());
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-index-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(this::applyRetention, 1, 1, TimeUnit.MINUTES);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        IndexSettings.read(config, properties).applyOrReport(next -> {
            index.update(next);
            log.info("index settings applied: namespace {}, sync {}", next.namespace(), next.sync());
        }, log::error, log::warn);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(CycleIndexListener listener) {
        listeners.add(listener);
    }

    void removeListener(CycleIndexListener listener) {
        listeners.remove(listener);
    }

    private void tellListeners(String namespace, long size) {
        for (CycleIndexListener l : listeners) {
            try {
                l.appended(namespace, size);
            } catch (RuntimeException e) {
                log.warn("index listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }

    private void tellWritten(String namespace, int records, long nanos) {
        java.time.Duration took = java.time.Duration.ofNanos(nanos);
        for (CycleIndexListener l : listeners) {
            try {
                l.written(namespace, records, took);
            } catch (RuntimeException e) {
                log.warn("index listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }

    private void applyRetention() {
        for (String ns : index.namespaces()) {
            try {
                PruneReport r = index.prune(ns, false);
                if (!r.segments().isEmpty()) {
                    log.info("index {}: retention pruned {} records in {}: {}", ns, r.records(), r.segments(),
                            r.reasons());
                }
            } catch (IOException | RuntimeException e) {
                log.error("index {}: retention failed: {}", ns, e.getMessage(), e);
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        retention.shutdownNow();
        index.close();
    }

    // ---- CycleRecorder and CycleIndex, delegated ------------------------------------------------------------

    @Override
    public void recordCycle(CycleSnapshot snapshot) throws IOException {
        index.recordCycle(snapshot);
    }

    @Override
    public String localNamespace() {
        return index.localNamespace();
    }

    @Override
    public List<String> namespaces() {
        return index.namespaces();
    }

    @Override
    public int appendCycleSnapshots(String namespace, List<CycleSnapshot> snapshots) throws IOException {
        return index.appendCycleSnapshots(namespace, snapshots);
    }

    @Override
    public List<RunSummary> runs(String namespace) throws IOException {
        return index.runs(namespace);
    }

    @Override
    public List<IndexedCycle> list(String namespace, String runId, long offset, int limit) throws IOException {
        return index.list(namespace, runId, offset, limit);
    }

    @Override
    public Optional<IndexedCycle> find(String cycleId) throws IOException {
        return index.find(cycleId);
    }

    @Override
    public long replay(String namespace, String runId, long from, long to, Consumer<IndexedCycle> sink)
            throws IOException {
        return index.replay(namespace, runId, from, to, sink);
    }

    @Override
    public IndexStats stats(String namespace) throws IOException {
        return index.stats(namespace);
    }

    @Override
    public VerifyReport verify(String namespace) throws IOException {
        return index.verify(namespace);
    }

    @Override
    public Proofs.Inclusion prove(String cycleId) throws IOException {
        return index.prove(cycleId);
    }

    @Override
    public Proofs.Consistency consistency(String namespace, long oldSize, long newSize) throws IOException {
        return index.consistency(namespace, oldSize, newSize);
    }

    @Override
    public PruneReport prune(String namespace, boolean dryRun) throws IOException {
        return index.prune(namespace, dryRun);
    }

    @Override
    public RepairReport repair(String namespace, Path from, boolean truncate) throws IOException {
        return index.repair(namespace, from, truncate);
    }
}
