package io.harmonix.waves.internal;

import io.harmonix.cluster.api.LeaderLease;
import io.harmonix.waves.api.InfiniteRequest;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Infinite mode: per series, a tick every interval that starts a wave when there is room for one. Room is the
 * throttle scaled by the machine's capacity ({@link Load}), never more than the runner's pool less one thread (so
 * the other runs always find one free), less the instances of the series' waves still running. A tick with no room
 * starts nothing and says why (the series' last decision); a tick that finds more instances running than are allowed
 * now (the load rose) stops the series' newest waves until the rest fit. Series are in the database: after a restart the running
 * ones tick again.
 *
 * <p>In a cluster only the runtime leading the series ticks them ({@link SeriesLeadership}, lease
 * {@value SeriesLeadership#KEY}): every runtime starts and stops series, as rows in the database, and the leader adopts
 * the running ones each renew interval, so that a series started elsewhere, or left by a leader that died, ticks
 * within a renew interval (after a lease, for a death). Without a cluster node this runtime leads alone.
 */
final class InfiniteMode implements AutoCloseable {
    private final Coordinator coordinator;
    private final Consumer<String> log;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harmonix-waves-infinite");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();
    /** The longest the series wait at start for the cluster node (then this runtime ticks them alone). */
    static final Duration CLUSTER_WAIT = Duration.ofSeconds(30);
    /** Who ticks the series in the cluster, or null: no cluster node, this runtime ticks them alone. */
    private volatile LeaderLease leadership;

    InfiniteMode(Coordinator coordinator, Consumer<String> log) {
        this.coordinator = coordinator;
        this.log = log;
    }

    InfiniteSeries start(InfiniteRequest request) {
        // the target is checked now, so that a wrong one is refused instead of failing every tick
        coordinator.checkTarget(request.target());
        String id = Coordinator.newId("s-");
        synchronized (this) { // so that the leader's adoption does not schedule it before its first tick here
            try {
                coordinator.store.insertSeries(new WaveStore.Series(id, request.target(), request.throttle(),
                        request.interval().toMillis(), WaveStatus.RUNNING, coordinator.clock.instant(), null, null));
                LeaderLease l = leadership;
                if (l != null && !l.leads()) {
                    coordinator.store.decision(id, "left to " + leaderName() + ", which ticks the infinite-mode "
                            + "series (lease " + SeriesLeadership.KEY + "): its first tick within "
                            + l.renewInterval().toMillis() + " ms");
                    return series(id);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("series could not be recorded: " + e, e);
            }
            tick(id);
            schedule(id, request.interval(), request.interval());
        }
        return series(id);
    }

    /**
     * Ticks the series only while {@code l} leads (null: alone, as without a cluster). The ticks scheduled so far
     * end; the leadership's claims adopt the running series again when it leads.
     */
    void lead(LeaderLease l) {
        LeaderLease previous = leadership;
        leadership = l;
        standBy();
        if (previous != null) {
            previous.close();
        }
    }

    /** @return true while this runtime ticks the series: it leads them, or there is no cluster */
    boolean leads() {
        LeaderLease l = leadership;
        return l == null || l.leads();
    }

    /** @return the node ticking the series, for the messages of a runtime that does not */
    private String leaderName() {
        LeaderLease l = leadership;
        String leader = l == null ? null : l.leader();
        return leader == null ? "the runtime that leads next (none leads right now)" : "node " + leader;
    }

    /** @return the node that ticks the series (null without a cluster, or while none leads) */
    String leader() {
        LeaderLease l = leadership;
        return l == null ? null : l.leader();
    }

    /**
     * The leader's turn, every renew interval: every running series in the database that does not tick here yet
     * (started in another runtime, or left by a leader that died) ticks from now; the ticks of series stopped
     * elsewhere end.
     */
    synchronized void adopt() {
        if (!leads()) {
            return;
        }
        try {
            List<WaveStore.Series> running = coordinator.store.series(true);
            for (WaveStore.Series s : running) {
                if (!scheduled.containsKey(s.id())) {
                    schedule(s.id(), Duration.ZERO, Duration.ofMillis(s.intervalMillis()));
                }
            }
            scheduled.keySet().stream().filter(id -> running.stream().noneMatch(s -> s.id().equals(id))).toList()
                    .forEach(this::unschedule);
        } catch (SQLException | RuntimeException e) {
            log.accept("infinite mode: running series not read: " + e.getMessage());
        }
    }

    /**
     * {@link #adopt} on the ticks' thread, after the tick under way: the leadership's timer must never wait for a
     * tick (one that starts a wave waits for its agents), or its lease would lapse while it still leads.
     */
    void adoptSoon() {
        try {
            ticks.execute(this::adopt);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing to tick any more
        }
    }

    /** This runtime no longer leads: its ticks end (the leader's adopt the series). */
    void standBy() {
        List.copyOf(scheduled.keySet()).forEach(this::unschedule);
    }

    private void unschedule(String id) {
        ScheduledFuture<?> f = scheduled.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * At start, on the ticks' thread (activation does not wait for the agents of the waves it resumes, and no tick
     * comes before it): the coordinator's recovery, then the series that were running tick again.
     *
     * @param execMode true in exec mode, whose commands are one-shot: interrupted runs are not resumed and series do
     *     not tick (a {@code wave:list} must not start a wave), as the runner and the workflow engine resume nothing
     *     there
     * @param clusterComing true while a cluster node is to be published (its bundle is active): the series resume
     *     only once it is bound ({@link #lead}), at most {@link #CLUSTER_WAIT} later, so that a runtime that will
     *     stand by never ticks them in between as if it were alone
     */
    void recoverThenResume(Consumer<String> info, boolean execMode, java.util.function.BooleanSupplier clusterComing) {
        ticks.execute(() -> {
            try {
                coordinator.recover(!execMode).forEach(line -> info.accept("waves at start: " + line));
                if (!execMode) {
                    long end = System.nanoTime() + CLUSTER_WAIT.toNanos();
                    while (leadership == null && clusterComing.getAsBoolean() && System.nanoTime() < end) {
                        Thread.sleep(50);
                    }
                    resume();
                }
            } catch (SQLException | java.io.IOException | RuntimeException e) {
                log.accept("waves at start: recovery failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed while waiting: nothing to resume
            }
        });
    }

    /** Ticks again for every series that was running when the runtime stopped, when this runtime leads them. */
    void resume() {
        adopt();
    }

    private void schedule(String id, Duration first, Duration every) {
        scheduled.computeIfAbsent(id, k -> ticks.scheduleAtFixedRate(() -> tick(id), first.toMillis(),
                every.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * One tick of a series: a wave when there is room, else why not. Nothing in a runtime that does not lead the
     * series (another runtime ticks them), so that no step of a series is done by two runtimes.
     */
    synchronized void tick(String id) {
        if (!leads()) {
            return;
        }
        try {
            WaveStore.Series s = find(id);
            if (s.status() != WaveStatus.RUNNING) {
                return;
            }
            int running = running(id);
            Load load = coordinator.load();
            int allowed = allowed(s.throttle(), load.capacity(), coordinator.settings().runnerPool());
            String shrunk = "";
            if (running > allowed) {
                shrunk = shrink(id, running, allowed, load) + "; ";
                running = running(id);
            }
            int room = allowed - running;
            String decision;
            if (room < 1) {
                decision = shrunk + "no room: " + running + " instances running, " + allowed + " allowed (throttle "
                        + s.throttle() + ", capacity " + Math.round(load.capacity() * 100) + "%: load " + load + ")";
            } else {
                Wave w = coordinator.start(WaveRequest.of(s.target(), WaveSize.INFINITE, null, List.of()), id, room);
                decision = shrunk + "started " + w.id() + " with " + w.instances().size() + " instances (" + running
                        + " running, " + allowed + " allowed)";
            }
            coordinator.store.decision(id, byNode(decision));
        } catch (RuntimeException | SQLException e) {
            log.accept("infinite mode " + id + ": tick failed: " + e.getMessage());
            try {
                coordinator.store.decision(id, byNode("tick failed: " + e.getMessage()));
            } catch (SQLException ignored) {
                // the log line above says it
            }
        }
    }

    /** @return the decision, which in a cluster names the node that took it (the leader when it was taken) */
    private String byNode(String decision) {
        LeaderLease l = leadership;
        return l == null ? decision : "node " + l.node() + ": " + decision;
    }

    /**
     * The load rose since the series' waves started: its newest waves are stopped until the instances left fit what
     * is allowed now. A wave is the unit stopped (its run cannot lose agents midway), the newest first (it has done
     * the least); the same tick then starts a smaller one when there is room, over the components they freed.
     *
     * @return the decision
     */
    private String shrink(String id, int running, int allowed, Load load) throws SQLException {
        List<Wave> ours = new java.util.ArrayList<>(coordinator.store.unended(coordinator.leases).stream()
                .filter(w -> id.equals(w.series())).toList());
        ours.sort(java.util.Comparator.comparing(Wave::startedAt).reversed());
        List<String> stopped = new java.util.ArrayList<>();
        int left = running;
        for (Wave w : ours) {
            if (left <= allowed) {
                break;
            }
            coordinator.stop(w.id());
            left -= w.instances().size();
            stopped.add(w.id() + " (" + w.instances().size() + " instances)");
        }
        return "shrunk: stopped " + String.join(", ", stopped) + "; " + running + " instances were running, "
                + allowed + " allowed now (capacity " + Math.round(load.capacity() * 100) + "%)";
    }

    /** @return instances allowed at once: the throttle scaled by the capacity, leaving a runner thread to others */
    static int allowed(int throttle, double capacity, int runnerPool) {
        return Math.min(WavePlanner.count(WaveSize.INFINITE, capacity, throttle), Math.max(0, runnerPool - 1));
    }

    private int running(String seriesId) throws SQLException {
        int n = 0;
        for (Wave w : coordinator.store.unended(coordinator.leases)) {
            if (seriesId.equals(w.series())) {
                n += w.instances().size();
            }
        }
        return n;
    }

    InfiniteSeries stop(String id) {
        try {
            WaveStore.Series s = find(id);
            // where another runtime leads the series, its tick finds it stopped and its next adoption unschedules it
            unschedule(id);
            synchronized (this) {
                if (s.status() == WaveStatus.RUNNING) {
                    coordinator.store.endSeries(id, WaveStatus.STOPPED, coordinator.clock.instant());
                }
            }
            for (Wave w : coordinator.store.unended(coordinator.leases)) {
                if (id.equals(w.series())) {
                    coordinator.stop(w.id());
                }
            }
            return series(id);
        } catch (SQLException e) {
            throw new IllegalStateException("series " + id + " could not be stopped: " + e, e);
        }
    }

    private WaveStore.Series find(String id) throws SQLException {
        return coordinator.store.series(false).stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no infinite-mode series '" + id
                        + "' (wave:list shows them)"));
    }

    InfiniteSeries series(String id) {
        try {
            return view(find(id));
        } catch (SQLException e) {
            throw new IllegalStateException("series unreadable: " + e, e);
        }
    }

    List<InfiniteSeries> all() {
        try {
            List<InfiniteSeries> out = new java.util.ArrayList<>();
            for (WaveStore.Series s : coordinator.store.series(false)) {
                out.add(view(s));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("series unreadable: " + e, e);
        }
    }

    private InfiniteSeries view(WaveStore.Series s) throws SQLException {
        return new InfiniteSeries(s.id(), s.target(), s.throttle(), Duration.ofMillis(s.intervalMillis()), s.status(),
                coordinator.store.wavesOf(s.id()), s.startedAt(), s.endedAt(), s.lastDecision());
    }

    @Override
    public void close() {
        LeaderLease l = leadership;
        if (l != null) {
            l.close();
        }
        ticks.shutdownNow();
    }
}
