package io.harmonix.index.internal;

import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.CycleIndexListener;
import io.harmonix.index.api.PruneReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens the index under {@code <data>/index} and registers it as {@link CycleIndex} and as the runner's
 * {@link CycleRecorder}; applies retention every minute. A configuration change restarts it (the logs are closed
 * and reopened). A wrong configuration is refused with every wrong property named, and the defaults are used.
 */
@Component(immediate = true, service = {}, configurationPid = IndexSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IndexComponent.Config.class)
public class IndexComponent {
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

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final List<CycleIndexListener> listeners = new CopyOnWriteArrayList<>();
    private IndexService index;
    private ServiceRegistration<?> registration;
    private ScheduledExecutorService retention;

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

    @Activate
    void activate(Map<String, Object> props, BundleContext context) throws IOException {
        IndexSettings settings;
        try {
            settings = IndexSettings.parse(props);
        } catch (IllegalArgumentException e) {
            log.error("configuration refused, using the defaults: {}", e.getMessage());
            settings = IndexSettings.DEFAULTS;
        }
        String data = context.getProperty("harmonix.data");
        Path root = Path.of(data == null ? "data" : data).resolve("index");
        long t0 = System.nanoTime();
        index = new IndexService(root, settings, message -> log.warn(message));
        index.onAppended(this::tellListeners);
        log.info("index {} open in {} ms: namespaces {}, sync {}", root, (System.nanoTime() - t0) / 1_000_000,
                index.namespaces(), settings.sync());
        registration = context.registerService(new String[] {CycleIndex.class.getName(),
            CycleRecorder.class.getName()}, index, null);
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-index-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(this::applyRetention, 1, 1, TimeUnit.MINUTES);
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
        registration.unregister();
        index.close();
    }
}
