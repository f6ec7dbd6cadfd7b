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

    /** name -> version -> definition, versions in deployment order */
    private final Map<String, LinkedHashMap<String, Deployed>> byName = new ConcurrentHashMap<>();
    private final DefinitionStore store;

    /**
     * @param store where definitions are kept, or null for memory only
     * @param reader parses the stored definitions
     * @param warn where a stored definition that no longer parses is reported (it stays out)
     */
    DeployedDefinitions(DefinitionStore store, DefinitionReader reader, Consumer<String> warn) throws SQLException {
        this.store = store;
        if (store != null) {
            for (DefinitionStore.Stored s : store.all()) {
                try {
                    remember(reader.read(s.source(), s.text()), s.deployedAt());
                } catch (WorkflowValidationException e) {
                    // stored when valid; a format change could make it invalid: it stays out, and says why
                    warn.accept("workflow " + s.name() + " " + s.version() + " not loaded: " + e.getMessage());
                }
            }
        }
    }

    /** Keeps a validated definition, as the latest version of its name (a version deployed again moves last). */
    DefinitionInfo deploy(Model.Workflow wf) {
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
        LinkedHashMap<String, Deployed> versions = byName.get(name);
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
        byName.keySet().stream().sorted().forEach(n -> {
            LinkedHashMap<String, Deployed> versions = byName.get(n);
            synchronized (versions) {
                versions.values().forEach(d -> out.add(d.info()));
            }
        });
        return out;
    }

    /** @return the names with a deployed version, sorted */
    List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** @param version the version, or null for the latest */
    Optional<Deployed> get(String name, String version) {
        LinkedHashMap<String, Deployed> versions = byName.get(name);
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
        for (Map<String, Deployed> versions : byName.values()) {
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
