package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The deployed workflow definitions, parsed once, by name and version; a name's versions are in deployment order,
 * the last deployed being the latest. Kept in the {@link DefinitionStore} when there is one (and read back from it
 * when the engine starts), in memory only otherwise.
 */
final class DeployedDefinitions {
    /** A deployed definition: the parsed workflow and what is shown of it. */
    record Deployed(Model.Workflow workflow, DefinitionInfo info) {
    }

    /** name -> version -> definition, versions in deployment order; read through {@link #byName()} only */
    private final Map<String, LinkedHashMap<String, Deployed>> byName = new ConcurrentHashMap<>();
    private final DefinitionStore store;
    private final DefinitionReader reader;
    private final Consumer<String> warn;
    /** Held while the stored definitions are read and the first-use steps run; other users wait for them. */
    private final ReentrantLock firstUse = new ReentrantLock();
    /** The stored definitions are read and the first-use steps have run. */
    private volatile boolean ready;
    private boolean loaded;
    /** A first-use step runs on this thread: its own use of the definitions does not wait for itself. */
    private boolean running;
    private final List<Runnable> steps = new ArrayList<>();

    /**
     * @param store where definitions are kept, or null for memory only; they are read back from it at their first
     *     use, not here: a runtime whose commands never use the engine (exec mode) does not boot the database for it
     * @param reader parses the stored definitions
     * @param warn where a stored definition that no longer parses is reported (it stays out)
     */
    DeployedDefinitions(DefinitionStore store, DefinitionReader reader, Consumer<String> warn) {
        this.store = store;
        this.reader = reader;
        this.warn = warn;
    }

    /** See {@link io.harmonix.workflow.api.WorkflowService#atFirstUse}. */
    void atFirstUse(Runnable step) {
        firstUse.lock();
        try {
            if (!ready) {
                steps.add(step);
                return;
            }
        } finally {
            firstUse.unlock();
        }
        run(step);
    }

    /** The definitions, the stored ones read and the first-use steps run before the first use returns. */
    private Map<String, LinkedHashMap<String, Deployed>> byName() {
        if (ready) {
            return byName;
        }
        firstUse.lock();
        try {
            if (ready || running) {
                return byName;
            }
            if (!loaded) {
                load();
                loaded = true;
            }
            running = true;
            try {
                while (!steps.isEmpty()) {
                    run(steps.remove(0));
                }
            } finally {
                running = false;
            }
            ready = true;
            return byName;
        } finally {
            firstUse.unlock();
        }
    }

    private void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            warn.accept("workflow engine: a step at its first use failed: " + e);
        }
    }

    private void load() {
        if (store == null) {
            return;
        }
        List<DefinitionStore.Stored> stored;
        try {
            stored = store.all();
        } catch (SQLException e) {
            throw new IllegalStateException("database: the deployed workflow definitions cannot be read: "
                    + e.getMessage(), e);
        }
        for (DefinitionStore.Stored s : stored) {
            try {
                remember(reader.read(s.source(), s.text()), s.deployedAt());
            } catch (WorkflowValidationException e) {
                // stored when valid; a format change could make it invalid: it stays out, and says why
                warn.accept("workflow " + s.name() + " " + s.version() + " not loaded: " + e.getMessage());
            }
        }
    }

    /** Keeps a validated definition, as the latest version of its name (a version deployed again moves last). */
    DefinitionInfo deploy(Model.Workflow wf) {
        byName();
        Instant now = Instant.now();
        if (store != null) {
            try {
                store.put(new DefinitionStore.Stored(wf.name(), wf.version(), wf.source(), wf.text(), now));
            } catch (SQLException e) {
                throw new IllegalStateException("database: " + e.getMessage(), e);
            }
        }
        return remember(wf, now);
    }

    private DefinitionInfo remember(Model.Workflow wf, Instant at) {
        DefinitionInfo info = new DefinitionInfo(wf.name(), wf.version(), wf.description(),
                new ArrayList<>(wf.tasks().keySet()), wf.source(), at, wf.text());
        LinkedHashMap<String, Deployed> versions = byName.computeIfAbsent(wf.name(), n -> new LinkedHashMap<>());
        synchronized (versions) {
            versions.remove(wf.version()); // re-deployed: it becomes the latest
            versions.put(wf.version(), new Deployed(wf, info));
        }
        return info;
    }

    /** @return whether that version was deployed (it is not any more) */
    boolean withdraw(String name, String version) {
        LinkedHashMap<String, Deployed> versions = byName().get(name);
        boolean had;
        if (versions == null) {
            return false;
        }
        synchronized (versions) {
            had = versions.remove(version) != null;
        }
        if (had && store != null) {
            try {
                store.remove(name, version);
            } catch (SQLException e) {
                throw new IllegalStateException("database: " + e.getMessage(), e);
            }
        }
        return had;
    }

    /** @return every deployed version, by name, each name's versions in deployment order */
    List<DefinitionInfo> all() {
        List<DefinitionInfo> out = new ArrayList<>();
        byName().keySet().stream().sorted().forEach(n -> {
            LinkedHashMap<String, Deployed> versions = byName().get(n);
            synchronized (versions) {
                versions.values().forEach(d -> out.add(d.info()));
            }
        });
        return out;
    }

    /** @return the names with a deployed version, sorted */
    List<String> names() {
        return byName().keySet().stream().sorted().toList();
    }

    /**
     * @param version the version, or null for the latest (as known here)
     * @return the definition; a version this runtime does not know is looked for in the store, where another
     *     runtime of the cluster may have deployed it (a sub-workflow's parent resumed here after a takeover starts
     *     its child by name and version)
     */
    Optional<Deployed> get(String name, String version) {
        Optional<Deployed> known = known(name, version);
        if (known.isPresent() || version == null || store == null) {
            return known;
        }
        try {
            Optional<DefinitionStore.Stored> stored = store.get(name, version);
            if (stored.isPresent()) {
                Model.Workflow wf = reader.read(stored.get().source(), stored.get().text());
                LinkedHashMap<String, Deployed> versions = byName().computeIfAbsent(name, n -> new LinkedHashMap<>());
                synchronized (versions) {
                    // known now, before the versions deployed here (deployment order is this runtime's)
                    LinkedHashMap<String, Deployed> before = new LinkedHashMap<>(versions);
                    versions.clear();
                    versions.put(version, new Deployed(wf, new DefinitionInfo(wf.name(), wf.version(),
                            wf.description(), new ArrayList<>(wf.tasks().keySet()), wf.source(),
                            stored.get().deployedAt(), wf.text())));
                    before.forEach(versions::putIfAbsent);
                }
            }
        } catch (SQLException | WorkflowValidationException e) {
            warn.accept("workflow " + name + " " + version + " not read from the database: " + e.getMessage());
        }
        return known(name, version);
    }

    private Optional<Deployed> known(String name, String version) {
        LinkedHashMap<String, Deployed> versions = byName().get(name);
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

    /** @return the latest version of each name, in no particular order */
    List<Deployed> latest() {
        List<Deployed> out = new ArrayList<>();
        for (Map<String, Deployed> versions : byName().values()) {
            Deployed latest = null;
            synchronized (versions) {
                for (Deployed d : versions.values()) {
                    latest = d;
                }
            }
            if (latest != null) {
                out.add(latest);
            }
        }
        return out;
    }
}
