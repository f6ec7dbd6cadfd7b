package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RepairReport;
import io.harmonix.index.api.VerifyReport;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code index:} commands: reading the federated cycle index (list, show, runs, replay, stats), checking it
 * (verify, prove, consistency), applying its retention (prune) and repairing a damaged namespace (repair). Every command takes {@code -s/--namespace}
 * ({@link NamespaceOption}), even where the cycle id alone decides, so that a script may pass it to each.
 */
@Component
@CommandScope("index")
public final class IndexCommands implements ShellCommands {
    @Reference
    private CycleIndex index;

    @Command(name = "list", header = "list indexed cycles", description = "Lists indexed cycles in log order.")
    public CommandResult list(@Mixin NamespaceOption namespace,
            @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.") String run,
            @Option(names = "--offset", defaultValue = "0",
                    description = "Skip this many (default: ${DEFAULT-VALUE}).") long offset,
            @Option(names = "--limit", defaultValue = "20",
                    description = "Show this many (default: ${DEFAULT-VALUE}).") int limit) throws IOException {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("index:list: --offset must be 0 or more and --limit 1 or more");
        }
        return CommandResult.listing(new Table("SEQ", "CYCLE-ID", "STATUS", "AGENTS", "RECORDED").ifEmpty("no indexed cycles"),
                index.list(namespace.orLocal(index), run, offset, limit),
                (t, c) -> t.row(c.sequence(), c.snapshot().cycleId(), status(c.snapshot()),
                        c.snapshot().agents().size(), c.recordedAt()),
                c -> IndexViews.json(c, false));
    }

    /** The namespace is taken, as by every index: command, though the cycle is searched in every namespace. */
    @Command(name = "show", header = "show an indexed cycle's snapshot", description = "Shows the indexed snapshot "
            + "of a cycle (searched in every namespace, this runtime's first).")
    public CommandResult show(@Mixin NamespaceOption namespace,
            @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>") String cycleId)
            throws IOException {
        IndexedCycle c = index.find(cycleId).orElseThrow(() -> new IllegalArgumentException("index:show: no "
                + "indexed cycle '" + cycleId + "' (expected <run>:<cycle>; index:runs lists the runs)"));
        return CommandResult.of("cycle " + cycleId + ": namespace " + c.namespace() + ", record " + c.sequence()
                + ", recorded " + c.recordedAt() + "\n" + Json.pretty(CycleSnapshots.toTree(c.snapshot())),
                IndexViews.json(c, true));
    }

    @Command(name = "runs", header = "list the runs of a namespace", description = "Lists the runs of a namespace: "
            + "first and last indexed cycle, records still held.")
    public CommandResult runs(@Mixin NamespaceOption namespace) throws IOException {
        String ns = namespace.orLocal(index);
        return CommandResult.listing(new Table("RUN", "FIRST", "LAST", "RECORDS").ifEmpty("no runs in namespace " + ns),
                index.runs(ns), (t, r) -> t.row(r.runId(), r.firstCycle(), r.lastCycle(), r.records()),
                r -> Json.object().put("runId", r.runId()).put("firstCycle", r.firstCycle())
                        .put("lastCycle", r.lastCycle()).put("records", r.records()));
    }

    @Command(name = "replay", header = "stream a run's snapshots in order", description = "Streams the snapshots "
            + "of a run in cycle order, one canonical JSON line each (or a line of text without --json).")
    public CommandResult replay(@Mixin NamespaceOption namespace,
            @Parameters(index = "0", paramLabel = "RUN") String runId,
            @Option(names = "--from", defaultValue = "1",
                    description = "First cycle (default: ${DEFAULT-VALUE}).") long from,
            @Option(names = "--to", defaultValue = "" + Long.MAX_VALUE,
                    description = "Last cycle (default: the last).") long to) {
        if (from > to) {
            throw new IllegalArgumentException("index:replay: --from " + from + " is after --to " + to);
        }
        return CommandResult.streamed(items -> {
            // the JSON line is the snapshot's canonical JSON: the sink sorts keys, as CycleSnapshots does
            long n = index.replay(namespace.orLocal(index), runId, from, to, c -> items.item(line(c.snapshot()),
                    CycleSnapshots.toTree(c.snapshot())));
            return CommandResult.of(n + " cycle(s) replayed", null);
        });
    }

    @Command(name = "stats", header = "sizes, records and Merkle root of each namespace", description = "For each "
            + "namespace: records held and ever appended, segments, bytes, pruned records, Merkle root.")
    public CommandResult stats(@Mixin NamespaceOption namespace) throws IOException {
        return CommandResult.listing(new Table("NAMESPACE", "TREE-SIZE", "RECORDS", "SEGMENTS", "BYTES", "PRUNED", "ROOT"),
                everyNamespace(namespace, index::stats),
                (t, s) -> t.row(s.namespace(), s.treeSize(), s.records(), s.segments(), s.bytes(),
                        s.prunedRecords(), s.root().substring(0, 16)),
                s -> Json.object().put("namespace", s.namespace()).put("treeSize", s.treeSize())
                        .put("records", s.records()).put("segments", s.segments()).put("bytes", s.bytes())
                        .put("prunedRecords", s.prunedRecords()).put("root", s.root()));
    }

    @Command(name = "verify", header = "re-check every CRC, the Merkle tree and the manifests", description = "Re-"
            + "reads every record of each namespace (or one): lengths, CRC32C, Merkle leaves and root, manifest. "
            + "Names the first bad record; fails when there is one.")
    public CommandResult verify(@Mixin NamespaceOption namespace) throws IOException {
        StringBuilder text = new StringBuilder();
        ArrayNode json = Json.array();
        int bad = 0;
        for (VerifyReport r : everyNamespace(namespace, index::verify)) {
            text.append(r.namespace()).append(": ").append(r.ok() ? "ok" : "BAD").append(", ").append(r.records())
                    .append(" records, ").append(r.bytes()).append(" bytes")
                    .append(r.problem() == null ? "" : ": " + r.problem()).append('\n');
            json.addObject().put("namespace", r.namespace()).put("records", r.records()).put("bytes", r.bytes())
                    .put("ok", r.ok()).put("problem", r.problem());
            bad += r.ok() ? 0 : 1;
        }
        CommandResult result = CommandResult.of(text.toString(), json);
        return bad == 0 ? result : result.failingWith(new IllegalStateException("index:verify: " + bad
                + " namespace(s) failed verification"));
    }

    /** The namespace is taken, as by every index: command, though the cycle's own is the one proved against. */
    @Command(name = "prove", header = "inclusion proof of a cycle against the current root", description = "Prints "
            + "the RFC 9162 inclusion proof of a cycle: its leaf hash and audit path against the current root of "
            + "its namespace.")
    public CommandResult prove(@Mixin NamespaceOption namespace,
            @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>") String cycleId)
            throws IOException {
        Proofs.Inclusion p = index.prove(cycleId);
        ObjectNode json = Json.object().put("cycleId", p.cycleId()).put("leafIndex", p.leafIndex())
                .put("treeSize", p.treeSize()).put("leafHash", p.leafHash());
        p.path().forEach(json.putArray("path")::add);
        json.put("root", p.root());
        return CommandResult.of("cycle " + p.cycleId() + " is leaf " + p.leafIndex() + " of " + p.treeSize() + "\n"
                + "leaf hash " + p.leafHash() + "\n" + IndexViews.pathLines(p.path()) + "root      " + p.root(), json);
    }

    @Command(name = "consistency", header = "proof that the log only grew between two sizes", description = "Prints "
            + "the RFC 9162 consistency proof that the log of OLD-SIZE records is a prefix of the log of NEW-SIZE "
            + "records: it only grew.")
    public CommandResult consistency(@Mixin NamespaceOption namespace,
            @Parameters(index = "0", paramLabel = "OLD-SIZE") long oldSize,
            @Parameters(index = "1", paramLabel = "NEW-SIZE") long newSize) throws IOException {
        Proofs.Consistency c = index.consistency(namespace.orLocal(index), oldSize, newSize);
        ObjectNode json = Json.object().put("oldSize", c.oldSize()).put("newSize", c.newSize())
                .put("oldRoot", c.oldRoot()).put("newRoot", c.newRoot());
        c.path().forEach(json.putArray("path")::add);
        return CommandResult.of("old root (" + c.oldSize() + ") " + c.oldRoot() + "\n"
                + "new root (" + c.newSize() + ") " + c.newRoot() + "\n" + IndexViews.pathLines(c.path()), json);
    }

    @Command(name = "prune", header = "apply retention, or show what it would prune", description = "Applies the "
            + "retention rules of a namespace now: only whole closed segments, oldest first; the pruned records' "
            + "leaf hashes are kept so proofs stay valid.")
    public CommandResult prune(@Mixin NamespaceOption namespace,
            @Option(names = "--dry-run", description = "Only show what would be pruned.") boolean dryRun)
            throws IOException {
        PruneReport r = index.prune(namespace.orLocal(index), dryRun);
        ObjectNode json = Json.object().put("namespace", r.namespace()).put("dryRun", dryRun)
                .put("records", r.records()).put("bytes", r.bytes());
        r.reasons().forEach(json.putArray("segments")::add);
        if (r.segments().isEmpty()) {
            return CommandResult.of(r.namespace() + ": nothing to prune", json);
        }
        StringBuilder text = new StringBuilder();
        r.reasons().forEach(reason -> text.append(reason).append('\n'));
        text.append(dryRun ? "would prune " : "pruned ").append(r.segments().size()).append(" segment(s), ")
                .append(r.records()).append(" records, ").append(r.bytes()).append(" bytes");
        return CommandResult.of(text.toString(), json);
    }

    @Command(name = "repair", header = "the ways out of a damaged namespace", description = "Shows the damage "
            + "found in a namespace (records that do not verify, followed by records that do) and the ways out; "
            + "with --from, restores the damaged records from a peer's copy of the namespace, each verified against "
            + "the Merkle root the manifest keeps; with --truncate, cuts the log before the first bad record. "
            + "Segments replaced or cut are kept in <namespace>/damaged/.")
    public CommandResult repair(@Mixin NamespaceOption namespace,
            @Parameters(index = "0", arity = "0..1", paramLabel = "NAMESPACE",
                    description = "The namespace (or -s; default: this runtime's own).") String name,
            @Option(names = "--from", paramLabel = "DIR", description = "A peer's copy: its runtime's data/index "
                    + "folder, or a copy of the namespace's folder.") Path from,
            @Option(names = "--truncate", description = "Cut the log before the first bad record.") boolean truncate)
            throws IOException {
        if (name != null && namespace.namespace != null && !name.equals(namespace.namespace)) {
            throw new IllegalArgumentException("index:repair: two namespaces given, " + name + " and -s "
                    + namespace.namespace);
        }
        if (from != null && truncate) {
            throw new IllegalArgumentException("index:repair: --from and --truncate are two ways out: give one");
        }
        String ns = name != null ? name : namespace.orLocal(index);
        RepairReport r;
        try {
            r = index.repair(ns, from, truncate);
        } catch (IOException e) {
            throw new IllegalStateException("index:repair: " + e.getMessage(), e);
        }
        ObjectNode json = Json.object().put("namespace", r.namespace()).put("done", r.done());
        r.damage().forEach(json.putArray("damage")::add);
        r.ways().forEach(json.putArray("ways")::add);
        StringBuilder text = new StringBuilder();
        if (r.damage().isEmpty()) {
            text.append(r.namespace()).append(": not damaged, nothing to repair");
        } else {
            text.append(r.namespace()).append(": damaged\n");
            r.damage().forEach(d -> text.append("  ").append(d).append('\n'));
            if (r.done() != null) {
                text.append("repaired: ").append(r.done());
            } else {
                text.append("ways out:\n");
                r.ways().forEach(w -> text.append("  ").append(w).append('\n'));
            }
        }
        return CommandResult.of(text.toString().stripTrailing(), json);
    }

    /** What a command reads of one namespace ({@link CycleIndex#stats}, {@link CycleIndex#verify}). */
    private interface NamespaceRead<R> {
        R of(String namespace) throws IOException;
    }

    /** stats and verify cover the namespace given, or by default every one, reading each in turn. */
    private <R> List<R> everyNamespace(NamespaceOption namespace, NamespaceRead<R> read) throws IOException {
        List<R> reports = new ArrayList<>();
        for (String ns : namespace.orEvery(index)) {
            reports.add(read.of(ns));
        }
        return reports;
    }

    private static String status(CycleSnapshot s) {
        return s.status().name().toLowerCase(Locale.ROOT);
    }

    /** A replayed snapshot as a line of text. */
    private static String line(CycleSnapshot s) {
        return s.cycleId() + " " + status(s) + " " + s.startedAt() + " agents=" + s.agents().size();
    }
}
