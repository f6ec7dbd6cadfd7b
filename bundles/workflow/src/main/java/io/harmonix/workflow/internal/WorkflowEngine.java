package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import io.harmonix.workflow.internal.DeployedDefinitions.Deployed;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The workflow service: definitions validated, parsed once and stored (Derby when a store is given, see
 * {@link DeployedDefinitions}); instances run in memory on one pool (the running ones and the last {@value #KEPT}
 * finished are kept), their history written to the database when there is one ({@link InstanceJournal}) and read
 * back to resume, retry, look at or replay them. Plain Java: the DS component
 * ({@link WorkflowComponent}) is a subclass that adds only the wiring.
 *
 * <p>Why about 700 lines: definitions ({@link DeployedDefinitions}), history ({@link InstanceJournal}), replay
 * ({@link InstanceRecovery}), the event waits ({@code EventWaits}), the leases ({@link InstanceLeases}) and the
 * parents waiting for sub-workflows ({@link WaitingParents}) are
 * already out; what is left is the {@link WorkflowService} contract itself, one method each, and the few steps of
 * sharing instances with other engines (adopt, abandon, await one that runs elsewhere), all over the one map of
 * live instances and the lock under which one goes live.
 */
public class WorkflowEngine implements WorkflowService, AutoCloseable {
    static final int KEPT = 200;

    private final HandlerRegistry handlers;
    private final ExecutorService pool;
    private final InstanceStore instanceStore;
    private final InstanceRun.Journal journal;
    private final java.util.function.Consumer<String> warn;
    private volatile boolean closed;
    private final DefinitionReader reader;
    private final DeployedDefinitions definitions;
    private final Map<String, InstanceRun> instances = new ConcurrentHashMap<>();
    private final Deque<String> finishedOrder = new ArrayDeque<>();
    /** Held while an instance goes live by a known id (resume, startOnce, trigger): one run per id, never two. */
    private final Object launching = new Object();
    /** The instances this runtime holds by lease (shared with other runtimes on the database), or null: all. */
    private final InstanceLeases claims;
    /** The instances here whose tasks wait for their sub-workflows: they take no room (with leases only). */
    private final WaitingParents waiting = new WaitingParents();

    /** An engine with definitions in memory only (tests, benchmarks). */
    public static WorkflowEngine inMemory() {
        try {
            return new WorkflowEngine(null, null, System.err::println);
        } catch (SQLException e) {
            throw new IllegalStateException(e); // no database, no SQL
        }
    }

    /**
     * An engine keeping definitions, instances and their history in {@code dataSource} (tests of other bundles,
     * on a real database; the runtime's is the {@link WorkflowComponent}).
     */
    public static WorkflowEngine durable(javax.sql.DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator,
            Consumer<String> warn) throws SQLException {
        migrator.migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        return new WorkflowEngine(new DefinitionStore(dataSource), new InstanceStore(dataSource), warn);
    }

    /**
     * As {@link #durable(javax.sql.DataSource, io.harmonix.store.api.SchemaMigrator, Consumer)}, sharing the
     * instances with the other engines on the database by {@code leases} (see {@link InstanceLeases}).
     *
     * @param capacity the most instances this engine holds at once (0: no limit)
     * @param claimInterval how often it looks for instances no live engine holds
     */
    public static WorkflowEngine durable(javax.sql.DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator,
            io.harmonix.cluster.api.Leases leases, int capacity, Duration claimInterval, Consumer<String> warn)
            throws SQLException {
        migrator.migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        WorkflowEngine engine = new WorkflowEngine(new DefinitionStore(dataSource), new InstanceStore(dataSource),
                new InstanceLeases(leases, capacity, claimInterval, warn), warn);
        engine.claim();
        return engine;
    }

    /**
     * As {@link #durable(javax.sql.DataSource, io.harmonix.store.api.SchemaMigrator, io.harmonix.cluster.api.Leases,
     * int, Duration, Consumer)}, on {@code node}'s leases, knowing from it whether it is a cluster of one (see
     * {@link InstanceLeases#renew}).
     */
    public static WorkflowEngine durable(javax.sql.DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator,
            io.harmonix.cluster.api.ClusterNode node, int capacity, Duration claimInterval, Consumer<String> warn)
            throws SQLException {
        migrator.migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        WorkflowEngine engine = new WorkflowEngine(new DefinitionStore(dataSource), new InstanceStore(dataSource),
                new InstanceLeases(node.leases(), InstanceLeases.alone(node), capacity, claimInterval, warn), warn);
        engine.claim();
        return engine;
    }

    /** Routes tasks of these components and actions to {@code handler} (what the whiteboard does in OSGi). */
    public void addHandler(Object key, io.harmonix.workflow.api.TaskHandler handler, List<String> components,
            List<String> actions) {
        handlers.add(key, handler, components, actions);
    }

    /** @param store where definitions are kept, or null for memory only */
    WorkflowEngine(DefinitionStore store) throws SQLException {
        this(store, null, System.err::println);
    }

    /**
     * @param store where definitions are kept, or null for memory only
     * @param instanceStore where instances and their history are kept, or null for memory only
     * @param warn where problems of the database go
     */
    WorkflowEngine(DefinitionStore store, InstanceStore instanceStore, java.util.function.Consumer<String> warn)
            throws SQLException {
        this(store, instanceStore, null, warn);
    }

    /**
     * @param claims the instances this engine holds by lease, or null when it is the only engine on its database:
     *     it then holds every instance (given, {@link #claim()} starts the renewals and claims)
     */
    WorkflowEngine(DefinitionStore store, InstanceStore instanceStore, InstanceLeases claims,
            java.util.function.Consumer<String> warn) throws SQLException {
        this.instanceStore = instanceStore;
        this.claims = instanceStore == null ? null : claims;
        if (this.claims != null) {
            instanceStore.fence(this.claims);
            this.claims.idle(waiting::count);
        }
        this.warn = warn;
        this.journal = instanceStore == null ? InstanceRun.Journal.NONE
                : new InstanceJournal(instanceStore, warn, () -> closed, this::unrecorded);
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "harmonix-workflow");
            t.setDaemon(true);
            return t;
        });
        this.handlers = new HandlerRegistry(pool);
        this.reader = new DefinitionReader(null);
        this.definitions = new DeployedDefinitions(store, reader, warn);
    }

    /** Events: the event tasks' handlers are registered, and triggers start instances. */
    void useEvents(EventHub events) {
        handlers.remove("event/wait"); // a hub given again replaces the one before
        handlers.remove("event/emit");
        handlers.add("event/wait", EventHandlers.waitFor(events, id -> {
            InstanceRun run = instances.get(id);
            return run == null ? null : run.startedAt;
        }), List.of("event"), List.of("wait"));
        handlers.add("event/emit", EventHandlers.emit(events), List.of("event"), List.of("emit"));
    }

    /**
     * @return true when an {@code event/wait} task of a running instance, not ended yet, could match the event (its
     *     type pattern does; one given by an expression could match anything): the event hub keeps such events
     */
    boolean awaitable(io.harmonix.workflow.api.Event e) {
        return EventWaits.awaitable(instances.values(), e);
    }

    /** @return true when a trigger of a latest definition matches the event */
    boolean hasTrigger(io.harmonix.workflow.api.Event e) {
        for (Deployed latest : definitions.latest()) {
            for (Model.Trigger t : latest.workflow().on()) {
                if (EventHub.matches(e, EventHub.glob(t.type()), t.filter())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Starts an instance of every latest definition with a matching trigger. The instance id comes from the event
     * and the workflow: an event dispatched again (after a crash) starts nothing twice.
     */
    void triggered(io.harmonix.workflow.api.Event e) {
        for (DefinitionInfo d : definitions()) {
            Deployed dep = definitions.get(d.name(), null).orElse(null);
            if (dep == null || !dep.info().version().equals(d.version())) {
                continue; // triggers of the latest version only
            }
            for (Model.Trigger t : dep.workflow().on()) {
                if (!EventHub.matches(e, EventHub.glob(t.type()), t.filter())) {
                    continue;
                }
                String id = "wf-" + java.util.HexFormat.of().formatHex(sha256(e.id() + "\n" + d.name()), 0, 6);
                try {
                    synchronized (launching) {
                        if (instances.containsKey(id) || (instanceStore != null && instanceStore.row(id) != null)) {
                            continue;
                        }
                        @SuppressWarnings("unchecked")
                        Map<String, Object> in = (Map<String, Object>) Expressions.resolve(t.input(),
                                Map.of("event", EventHub.asMap(e)));
                        start(id, dep, in, null);
                    }
                } catch (SQLException | RuntimeException x) {
                    warn.accept("event " + e.type() + " " + e.id() + ": workflow " + d.name() + " not started: "
                            + x.getMessage());
                }
                break; // one instance per workflow and event
            }
        }
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
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
        return definitions.deploy(checkingReader().read(source, text));
    }

    @Override
    public boolean withdraw(String name, String version) {
        return definitions.withdraw(name, version);
    }

    @Override
    public void atFirstUse(Runnable step) {
        definitions.atFirstUse(step);
    }

    @Override
    public List<DefinitionInfo> definitions() {
        return definitions.all();
    }

    @Override
    public Optional<DefinitionInfo> definition(String name, String version) {
        return definitions.get(name, version).map(Deployed::info);
    }

    @Override
    public InstanceInfo start(String name, String version, Map<String, Object> given, Consumer<TaskInfo> progress) {
        Deployed d = definitions.get(name, version).orElseThrow(() -> new IllegalArgumentException(version == null
                ? "unknown workflow '" + name + "'; deployed: " + String.join(", ", definitions.names())
                : "workflow '" + name + "' has no version '" + version + "'"));
        return start("wf-" + UUID.randomUUID().toString().substring(0, 8), d, given, progress);
    }

    @Override
    public InstanceInfo startOnce(String key, String name, String version, Map<String, Object> given,
            Consumer<TaskInfo> progress) {
        String id = "wf-" + java.util.HexFormat.of().formatHex(sha256("key\n" + key), 0, 6);
        // a sub-workflow of an instance here: its parent waits for it from now on and takes no room, and the child
        // runs here when there is room, else it is offered to the engines with room (as a start is)
        String parent = claims == null ? null : WaitingParents.parentOf(key, p -> {
            InstanceRun r = instances.get(p);
            return r != null && !r.abandoned();
        });
        if (parent != null) {
            waiting.waits(parent, id);
        }
        try {
            return startOnce(id, key, name, version, given, progress, parent != null);
        } catch (RuntimeException e) {
            waiting.done(id);
            throw e;
        }
    }

    private InstanceInfo startOnce(String id, String key, String name, String version, Map<String, Object> given,
            Consumer<TaskInfo> progress, boolean child) {
        synchronized (launching) {
            InstanceRun live = instances.get(id);
            InstanceInfo found = live != null ? live.info() : null;
            try {
                InstanceStore.Row row = found != null || instanceStore == null ? null : instanceStore.row(id);
                if (row != null) {
                    // started before this runtime: as it ended, or going on again now (its parent waits for it),
                    // here unless another engine holds it (then there)
                    found = row.state().finished() || !claimed(id) ? instance(id).orElseThrow()
                            : launch(rebuild(row, true)).info();
                }
            } catch (SQLException | WorkflowValidationException e) {
                throw new IllegalStateException("instance " + id + " (" + key + "): " + e.getMessage(), e);
            }
            if (found == null) {
                Deployed d = definitions.get(name, version).orElseThrow(() -> new IllegalArgumentException(
                        version == null ? "unknown workflow '" + name + "'; deployed: "
                                + String.join(", ", definitions.names())
                                : "workflow '" + name + "' has no version '" + version + "'"));
                return start(id, d, given, progress, !child);
            }
            if (!found.workflow().equals(name)) {
                throw new IllegalArgumentException("instance " + id + " of " + key + " runs workflow '"
                        + found.workflow() + "', not '" + name + "'");
            }
            return found;
        }
    }

    private InstanceInfo start(String id, Deployed d, Map<String, Object> given, Consumer<TaskInfo> progress) {
        return start(id, d, given, progress, false);
    }

    /**
     * @param alwaysHere true to run it in this engine whatever it holds (a {@code startOnce} that is no sub-workflow
     *     of an instance here: its caller waits for it here); a sub-workflow follows the room, as its waiting
     *     parent takes none ({@link WaitingParents})
     */
    private InstanceInfo start(String id, Deployed d, Map<String, Object> given, Consumer<TaskInfo> progress,
            boolean alwaysHere) {
        Map<String, Object> input = Inputs.bind(d.workflow(), given == null ? Map.of() : given);
        Instant now = Instant.now();
        InstanceRun run = new InstanceRun(id, d.workflow(), input, now, handlers, pool, progress, this::finished,
                journal);
        // with leases: this engine claims it in the transaction that creates it, or offers it to the first engine
        // with room when it has none (it then runs wherever it is claimed, from its history)
        boolean here = claims == null || alwaysHere || claims.room();
        if (instanceStore != null) {
            run.sequence.set(1);
            try {
                instanceStore.create(new InstanceStore.Row(id, d.workflow().source(), d.workflow().text(), input,
                        InstanceState.RUNNING, now, null, null, null), new io.harmonix.workflow.api.HistoryEvent(1,
                                now, HistoryKind.INSTANCE_STARTED.key(), null, Map.of("input", input, "workflow",
                                        d.workflow().name(), "version", d.workflow().version())), c -> {
                                            if (claims != null && here) {
                                                claims.claimNew(c, id);
                                            } else if (claims != null) {
                                                claims.offer(c, id);
                                            }
                                        });
            } catch (SQLException e) {
                if (claims != null) {
                    claims.notCreated(id);
                }
                throw new IllegalStateException("database: " + e.getMessage(), e);
            }
        }
        if (!here) {
            claims.wake();
            return run.info(); // offered: pending until an engine with room claims it
        }
        return launch(run).info();
    }

    private void finished(InstanceRun run) {
        if (claims != null) {
            waiting.forget(run.id);
            claims.ended(run.id); // its lease ended with its last history entry
        }
        synchronized (finishedOrder) {
            finishedOrder.addLast(run.id);
            while (finishedOrder.size() > KEPT) {
                instances.remove(finishedOrder.removeFirst());
            }
        }
    }

    @Override
    public InstanceInfo await(String instanceId, Duration timeout) throws InterruptedException {
        try {
            return awaitHereOrElsewhere(instanceId, timeout);
        } finally {
            waiting.done(instanceId); // a parent's task waiting for this child: it works (or ends) again
        }
    }

    private InstanceInfo awaitHereOrElsewhere(String instanceId, Duration timeout) throws InterruptedException {
        InstanceRun run = instances.get(instanceId);
        if (run == null || run.abandoned()) {
            // ended in an earlier runtime, or not resumed here: as the database keeps it; with leases, it may run
            // in another runtime: its row says when it ends
            return claims == null ? instance(instanceId).orElseThrow(() -> new IllegalArgumentException(
                    "unknown instance '" + instanceId + "'")) : awaitElsewhere(instanceId, timeout);
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
        InstanceRun run = instances.get(instanceId);
        if (run != null || instanceStore == null) {
            return Optional.ofNullable(run).map(InstanceRun::info);
        }
        try {
            InstanceStore.Row row = instanceStore.row(instanceId);
            if (row == null) {
                return Optional.empty();
            }
            InstanceInfo rebuilt = rebuild(row, false).info();
            return Optional.of(new InstanceInfo(row.id(), rebuilt.workflow(), rebuilt.version(), row.state(),
                    row.startedAt(), row.endedAt(), row.input(), row.output(), rebuilt.tasks(), row.error()));
        } catch (SQLException | WorkflowValidationException e) {
            throw new IllegalStateException("instance " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /** Resumes every instance the database holds as running or paused (after a crash or a stop). */
    public List<String> resumeInterrupted() {
        return resumeInterrupted(java.time.Duration.ZERO);
    }

    /**
     * As {@link #resumeInterrupted()}, first waiting (at most {@code handlerWait} in all) for handlers of every
     * task of each instance: at a runtime's start, handler bundles may start after the engine.
     */
    public List<String> resumeInterrupted(java.time.Duration handlerWait) {
        List<String> resumed = new ArrayList<>();
        if (instanceStore == null) {
            return resumed;
        }
        long end = System.nanoTime() + handlerWait.toNanos();
        try {
            for (InstanceStore.Row row : instanceStore.unfinished()) {
                if (!instances.containsKey(row.id())) {
                    try {
                        if (claims != null && (!claims.room() || !claimed(row.id()))) {
                            continue; // another engine holds it, or this one has no room: the claims take it later
                        }
                        InstanceRun run = rebuild(row, true);
                        while (System.nanoTime() < end && run.workflow.tasks().values().stream()
                                .anyMatch(t -> !handlers.serves(t.component(), t.action()))) {
                            Thread.sleep(20);
                        }
                        synchronized (launching) {
                            if (instances.containsKey(row.id())) {
                                continue; // a parent's startOnce resumed it meanwhile
                            }
                            launch(run);
                        }
                        resumed.add(row.id());
                    } catch (RuntimeException | WorkflowValidationException e) {
                        warn.accept("workflow instance " + row.id() + " cannot resume: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return resumed;
                    }
                }
            }
        } catch (SQLException e) {
            warn.accept("workflow instances cannot be read: " + e.getMessage());
        }
        return resumed;
    }

    /** An instance as its history makes it: ready to go on ({@code live}), or only to look at. */
    private InstanceRun rebuild(InstanceStore.Row row, boolean live) throws SQLException,
            WorkflowValidationException {
        Model.Workflow wf = reader.read(row.source() == null ? row.id() : row.source(), row.definition());
        InstanceRun run = new InstanceRun(row.id(), wf, row.input(), row.startedAt(), handlers, pool, null,
                live ? this::finished : r -> { }, live ? journal : InstanceRun.Journal.NONE);
        run.recover(instanceStore.history(row.id()));
        return run;
    }

    /**
     * How every run goes live (started, resumed, retried, recovered): known to the engine by its id, then started,
     * so that it is there for await, pause and cancel from its first moment.
     */
    private InstanceRun launch(InstanceRun run) {
        instances.put(run.id, run);
        run.start();
        return run;
    }

    private InstanceRun live(String instanceId) {
        InstanceRun run = instances.get(instanceId);
        if (run == null) {
            throw new IllegalArgumentException("no running instance '" + instanceId + "'" + (claims == null ? ""
                    : " in this runtime (another runtime of the cluster may run it: cluster:leases shows which)"));
        }
        return run;
    }

    @Override
    public InstanceInfo pause(String instanceId) {
        return live(instanceId).pause();
    }

    @Override
    public InstanceInfo resume(String instanceId) {
        InstanceRun run = instances.get(instanceId);
        if (run != null) {
            return run.resume();
        }
        try {
            InstanceStore.Row row = instanceStore == null ? null : instanceStore.row(instanceId);
            if (row == null) {
                throw new IllegalArgumentException("unknown instance '" + instanceId + "'");
            }
            if (row.state().finished()) {
                throw new IllegalArgumentException("instance " + instanceId + " has ended ("
                        + row.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            synchronized (launching) {
                InstanceRun now = instances.get(instanceId);
                if (now == null && !claimed(instanceId)) {
                    throw new IllegalStateException(heldElsewhere(instanceId));
                }
                return (now != null ? now : launch(rebuild(row, true))).resume();
            }
        } catch (SQLException | WorkflowValidationException e) {
            throw new IllegalStateException("instance " + instanceId + " cannot resume: " + e.getMessage(), e);
        }
    }

    @Override
    public InstanceInfo retry(String instanceId, String fromTask) {
        InstanceInfo current = instance(instanceId).orElseThrow(() -> new IllegalArgumentException(
                "unknown instance '" + instanceId + "'"));
        if (current.state() != InstanceState.FAILED && current.state() != InstanceState.CANCELLED) {
            throw new IllegalArgumentException("instance " + instanceId + " is " + current.state().name()
                    .toLowerCase(java.util.Locale.ROOT) + "; only a failed or cancelled one can be retried");
        }
        if (instanceStore == null) {
            throw new IllegalStateException("retry needs the instance's history (no database)");
        }
        try {
            if (!claimed(instanceId)) {
                throw new IllegalStateException(heldElsewhere(instanceId));
            }
            InstanceRun run = rebuild(instanceStore.row(instanceId), true);
            List<String> reset = run.retryable(fromTask);
            run.recordRetry(reset, fromTask);
            run.resetTasks(reset);
            return launch(run).info();
        } catch (SQLException | WorkflowValidationException e) {
            throw new IllegalStateException("instance " + instanceId + " cannot be retried: " + e.getMessage(), e);
        }
    }

    @Override
    public InstanceInfo cancel(String instanceId) {
        return live(instanceId).cancel();
    }

    @Override
    public List<io.harmonix.workflow.api.HistoryEvent> history(String instanceId) {
        if (instanceStore == null) {
            return List.of();
        }
        try {
            return instanceStore.history(instanceId);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> replay(String instanceId) {
        InstanceInfo kept = instance(instanceId).orElseThrow(() -> new IllegalArgumentException(
                "unknown instance '" + instanceId + "'"));
        List<io.harmonix.workflow.api.HistoryEvent> history = history(instanceId);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("instance " + instanceId + " has no history (no database)");
        }
        InstanceInfo rebuilt;
        try {
            rebuilt = rebuild(instanceStore.row(instanceId), false).info();
        } catch (SQLException | WorkflowValidationException e) {
            throw new IllegalStateException("instance " + instanceId + " cannot be rebuilt: " + e.getMessage(), e);
        }
        return ReplayCheck.differences(kept, rebuilt, history);
    }

    // ---- instances shared with other engines by lease (InstanceLeases) -------------------------------------

    /** Starts the renewals and claims of the instances this engine holds by lease. */
    void claim() {
        claim(false);
    }

    /** @param renewOnly true to renew what this engine holds and claim nothing else (exec mode) */
    void claim(boolean renewOnly) {
        if (claims != null) {
            claims.start(new InstanceLeases.Owner() {
                @Override
                public boolean adopt(String id) throws SQLException {
                    return adopted(id);
                }

                @Override
                public void lost(String id) {
                    InstanceRun run = instances.remove(id);
                    waiting.forget(id);
                    if (run != null) {
                        run.abandon();
                    }
                }
            }, renewOnly);
        }
    }

    /**
     * A history write of the instance failed: it stops here (its state is ahead of its history), no longer renewed,
     * so that its lease expires and whichever engine claims it next, this one too, resumes it from its history.
     */
    private void unrecorded(InstanceRun run) {
        if (claims != null) {
            claims.unrecorded(run.id);
        }
        if (instances.remove(run.id, run)) {
            run.abandon();
        }
    }

    /** @return true when this engine holds the instance's lease now (always, without leases) */
    private boolean claimed(String id) throws SQLException {
        return claims == null || claims.claim(id);
    }

    private static String heldElsewhere(String id) {
        return "instance " + id + " is held by another runtime of the cluster (cluster:leases shows which): "
                + "run the command there";
    }

    /**
     * Runs an instance claimed by lease from its history.
     *
     * @return false when it has ended or is unknown
     * @throws SQLException when the database failed the read: the claim is dropped and taken again after a lease
     *     ({@link InstanceLeases}); answering true here kept it held, and renewed, for ever without running it
     */
    private boolean adopted(String id) throws SQLException {
        try {
            InstanceStore.Row row = instanceStore.row(id);
            if (row == null || row.state().finished()) {
                return false;
            }
            synchronized (launching) {
                InstanceRun live = instances.get(id);
                if (live == null || live.abandoned()) {
                    launch(rebuild(row, true));
                }
            }
            return true;
        } catch (WorkflowValidationException | RuntimeException e) {
            // kept held (and renewed), so that the other engines do not take it up in turn only to fail alike: its
            // definition cannot rebuild it, which no retry mends (wf:show says why)
            warn.accept("workflow instance " + id + " claimed, but it cannot resume: " + e.getMessage());
            return true;
        }
    }

    /** Waits for an instance this engine does not run, reading its row, until it has ended or the time is up. */
    private InstanceInfo awaitElsewhere(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10;
        while (true) {
            InstanceRun run = instances.get(id);
            if (run != null && !run.abandoned()) {
                run.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))); // claimed here meanwhile
                return run.info();
            }
            InstanceInfo info = instance(id).orElseThrow(() -> new IllegalArgumentException("unknown instance '"
                    + id + "'"));
            long left = deadline - System.nanoTime();
            if (info.state().finished() || left <= 0) {
                return info;
            }
            Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(500, pause * 2);
        }
    }

    /**
     * Waits, at most until {@code deadline} ({@link System#nanoTime}), for the instances running now to end (paused
     * ones are not waited for: they wait for a command).
     *
     * @return the instances still running then, one line each
     */
    List<String> awaitRunning(long deadline) throws InterruptedException {
        for (InstanceRun run : List.copyOf(instances.values())) {
            if (run.state() == InstanceState.RUNNING) {
                run.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
        return instances.values().stream().filter(r -> r.state() == InstanceState.RUNNING)
                .map(r -> "workflow instance " + r.id + " of " + r.workflow.name() + " " + r.workflow.version()
                        + " running: it goes on at the next start (shell or run mode) or by wf:resume " + r.id)
                .toList();
    }

    @Override
    public void close() {
        closed = true;
        if (claims != null) {
            claims.close(); // no renewal, no claim: the leases held expire, and other engines go on with them
        }
        pool.shutdownNow();
        try {
            // the interrupted handlers end their work: shell/exec kills its task's process group (TERM, then KILL
            // after 2 s). Not waiting let a stopping runtime exit first and leave those processes behind.
            pool.awaitTermination(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal instanceof InstanceJournal history) {
            history.close(); // what was recorded before the close is written; nothing after it
        }
    }
}
