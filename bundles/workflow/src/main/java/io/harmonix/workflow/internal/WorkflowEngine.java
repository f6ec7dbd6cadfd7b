package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The workflow service: definitions validated, parsed once and stored (Derby when a store is given); instances run
 * in memory on one pool (the running ones and the last {@value #KEPT} finished are kept). Plain Java: the DS
 * component wires it.
 */
public final class WorkflowEngine implements WorkflowService, AutoCloseable {
    static final int KEPT = 200;

    private final HandlerRegistry handlers;
    private final ExecutorService pool;
    private final DefinitionStore store;
    private final DefinitionReader reader;
    /** name -> version -> definition, versions in deployment order */
    private final Map<String, LinkedHashMap<String, Deployed>> definitions = new ConcurrentHashMap<>();
    private final Map<String, InstanceRun> instances = new ConcurrentHashMap<>();
    private final Deque<String> finishedOrder = new ArrayDeque<>();

    private record Deployed(Model.Workflow workflow, DefinitionInfo info) {
    }

    /** An engine with definitions in memory only (tests, benchmarks). */
    public static WorkflowEngine inMemory() {
        try {
            return new WorkflowEngine(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e); // no database, no SQL
        }
    }

    /** Routes tasks of these components and actions to {@code handler} (what the whiteboard does in OSGi). */
    public void addHandler(Object key, io.harmonix.workflow.api.TaskHandler handler, List<String> components,
            List<String> actions) {
        handlers.add(key, handler, components, actions);
    }

    /** @param store where definitions are kept, or null for memory only */
    WorkflowEngine(DefinitionStore store) throws SQLException {
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "harmonix-workflow");
            t.setDaemon(true);
            return t;
        });
        this.handlers = new HandlerRegistry(pool);
        this.store = store;
        this.reader = new DefinitionReader(null);
        if (store != null) {
            for (DefinitionStore.Stored s : store.all()) {
                try {
                    remember(reader.read(s.source(), s.text()), s.deployedAt());
                } catch (WorkflowValidationException e) {
                    // stored when valid; a format change could make it invalid: it stays out, and says why
                    System.err.println("workflow " + s.name() + " " + s.version() + " not loaded: " + e.getMessage());
                }
            }
        }
    }

    HandlerRegistry handlers() {
        return handlers;
    }

    private DefinitionReader checkingReader() {
        return new DefinitionReader(handlers::serves);
    }

    @Override
    public List<Problem> validate(String source, String text) {
        try {
            checkingReader().read(source, text);
            return List.of();
        } catch (WorkflowValidationException e) {
            return e.problems();
        }
    }

    @Override
    public DefinitionInfo deploy(String source, String text) throws WorkflowValidationException {
        Model.Workflow wf = checkingReader().read(source, text);
        Instant now = Instant.now();
        if (store != null) {
            try {
                store.put(new DefinitionStore.Stored(wf.name(), wf.version(), source, text, now));
            } catch (SQLException e) {
                throw new IllegalStateException("database: " + e.getMessage(), e);
            }
        }
        return remember(wf, now);
    }

    private DefinitionInfo remember(Model.Workflow wf, Instant at) {
        DefinitionInfo info = new DefinitionInfo(wf.name(), wf.version(), wf.description(),
                new ArrayList<>(wf.tasks().keySet()), wf.source(), at, wf.text());
        LinkedHashMap<String, Deployed> versions = definitions.computeIfAbsent(wf.name(), n -> new LinkedHashMap<>());
        synchronized (versions) {
            versions.remove(wf.version()); // re-deployed: it becomes the latest
            versions.put(wf.version(), new Deployed(wf, info));
        }
        return info;
    }

    @Override
    public List<DefinitionInfo> definitions() {
        List<DefinitionInfo> out = new ArrayList<>();
        definitions.keySet().stream().sorted().forEach(n -> {
            LinkedHashMap<String, Deployed> versions = definitions.get(n);
            synchronized (versions) {
                versions.values().forEach(d -> out.add(d.info()));
            }
        });
        return out;
    }

    private Optional<Deployed> deployed(String name, String version) {
        LinkedHashMap<String, Deployed> versions = definitions.get(name);
        if (versions == null) {
            return Optional.empty();
        }
        synchronized (versions) {
            if (version != null) {
                return Optional.ofNullable(versions.get(version));
            }
            Deployed last = null;
            for (Deployed d : versions.values()) {
                last = d;
            }
            return Optional.ofNullable(last);
        }
    }

    @Override
    public Optional<DefinitionInfo> definition(String name, String version) {
        return deployed(name, version).map(Deployed::info);
    }

    @Override
    public InstanceInfo start(String name, String version, Map<String, Object> given, Consumer<TaskInfo> progress) {
        Deployed d = deployed(name, version).orElseThrow(() -> new IllegalArgumentException(version == null
                ? "unknown workflow '" + name + "'; deployed: " + String.join(", ", definitions.keySet().stream()
                        .sorted().toList())
                : "workflow '" + name + "' has no version '" + version + "'"));
        Map<String, Object> input = Inputs.bind(d.workflow(), given == null ? Map.of() : given);
        String id = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        InstanceRun run = new InstanceRun(id, d.workflow(), input, handlers, pool, progress, this::finished);
        instances.put(id, run);
        run.start();
        return run.info();
    }

    private void finished(InstanceRun run) {
        synchronized (finishedOrder) {
            finishedOrder.addLast(run.id);
            while (finishedOrder.size() > KEPT) {
                instances.remove(finishedOrder.removeFirst());
            }
        }
    }

    @Override
    public InstanceInfo await(String instanceId, Duration timeout) throws InterruptedException {
        InstanceRun run = instances.get(instanceId);
        if (run == null) {
            throw new IllegalArgumentException("unknown instance '" + instanceId + "'");
        }
        run.await(timeout);
        return run.info();
    }

    @Override
    public List<InstanceInfo> instances() {
        return instances.values().stream().sorted(Comparator.comparing((InstanceRun r) -> r.startedAt).reversed())
                .map(InstanceRun::info).toList();
    }

    @Override
    public Optional<InstanceInfo> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId)).map(InstanceRun::info);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
