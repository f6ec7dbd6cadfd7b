package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RunSummary;
import io.harmonix.index.api.VerifyReport;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.StandardOptions;
import io.harmonix.shell.api.Table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code index:} commands. */
@Component(service = IndexCommands.class, property = {
    "osgi.command.scope=index",
    "osgi.command.function=runs",
    "osgi.command.function=list",
    "osgi.command.function=show",
    "osgi.command.function=stats",
    "osgi.command.function=verify",
    "osgi.command.function=prove",
    "osgi.command.function=consistency",
    "osgi.command.function=replay",
    "osgi.command.function=prune"})
public class IndexCommands {
    @Reference
    private CycleIndex index;

    @Descriptor("list the runs of a namespace (index:runs --help)")
    public void runs(String... args) throws Exception {
        CommandLines.run(new RunsCommand(index, System.out), System.out, args);
    }

    @Descriptor("list indexed cycles (index:list --help)")
    public void list(String... args) throws Exception {
        CommandLines.run(new ListCommand(index, System.out), System.out, args);
    }

    @Descriptor("show an indexed cycle's snapshot (index:show --help)")
    public void show(String... args) throws Exception {
        CommandLines.run(new ShowCommand(index, System.out), System.out, args);
    }

    @Descriptor("sizes, records and Merkle root of each namespace (index:stats --help)")
    public void stats(String... args) throws Exception {
        CommandLines.run(new StatsCommand(index, System.out), System.out, args);
    }

    @Descriptor("re-check every CRC, the Merkle tree and the manifests (index:verify --help)")
    public void verify(String... args) throws Exception {
        CommandLines.run(new VerifyCommand(index, System.out), System.out, args);
    }

    @Descriptor("inclusion proof of a cycle against the current root (index:prove --help)")
    public void prove(String... args) throws Exception {
        CommandLines.run(new ProveCommand(index, System.out), System.out, args);
    }

    @Descriptor("proof that the log only grew between two sizes (index:consistency --help)")
    public void consistency(String... args) throws Exception {
        CommandLines.run(new ConsistencyCommand(index, System.out), System.out, args);
    }

    @Descriptor("stream a run's snapshots in order (index:replay --help)")
    public void replay(String... args) throws Exception {
        CommandLines.run(new ReplayCommand(index, System.out), System.out, args);
    }

    @Descriptor("apply retention, or show what it would prune (index:prune --help)")
    public void prune(String... args) throws Exception {
        CommandLines.run(new PruneCommand(index, System.out), System.out, args);
    }

    abstract static class IndexCommand implements Callable<Object> {
        final CycleIndex index;
        final PrintStream out;

        @Mixin
        StandardOptions options;

        @Option(names = {"-s", "--namespace"}, paramLabel = "NS",
                description = "Namespace (default: this runtime's own).")
        String namespace;

        IndexCommand(CycleIndex index, PrintStream out) {
            this.index = index;
            this.out = out;
        }

        String ns() {
            return namespace == null ? index.localNamespace() : namespace;
        }

        /** @return the namespace given, or every namespace */
        List<String> namespacesToShow() throws java.io.IOException {
            return namespace == null ? index.namespaces() : List.of(namespace);
        }
    }

    static ObjectNode json(IndexedCycle c, boolean withSnapshot) {
        ObjectNode o = Json.object();
        o.put("namespace", c.namespace());
        o.put("sequence", c.sequence());
        o.put("recordedAt", c.recordedAt().toString());
        o.put("cycleId", c.snapshot().cycleId());
        if (withSnapshot) {
            o.set("snapshot", CycleSnapshots.toTree(c.snapshot()));
        }
        return o;
    }

    @Command(name = "index:runs", description = "Lists the runs of a namespace: first and last indexed cycle, "
            + "records still held.")
    static final class RunsCommand extends IndexCommand {
        RunsCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            List<RunSummary> runs = index.runs(ns());
            if (options.json) {
                ArrayNode a = Json.array();
                runs.forEach(r -> a.addObject().put("runId", r.runId()).put("firstCycle", r.firstCycle())
                        .put("lastCycle", r.lastCycle()).put("records", r.records()));
                out.println(Json.pretty(a));
            } else if (runs.isEmpty()) {
                out.println("no runs in namespace " + ns());
            } else {
                Table t = new Table("RUN", "FIRST", "LAST", "RECORDS");
                runs.forEach(r -> t.row(r.runId(), r.firstCycle(), r.lastCycle(), r.records()));
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "index:list", description = "Lists indexed cycles in log order.")
    static final class ListCommand extends IndexCommand {
        @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.")
        String run;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many (default: ${DEFAULT-VALUE}).")
        long offset;

        @Option(names = "--limit", defaultValue = "20", description = "Show this many (default: ${DEFAULT-VALUE}).")
        int limit;

        ListCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            if (offset < 0 || limit < 1) {
                throw new IllegalArgumentException("index:list: --offset must be 0 or more and --limit 1 or more");
            }
            List<IndexedCycle> cycles = index.list(ns(), run, offset, limit);
            if (options.json) {
                ArrayNode a = Json.array();
                cycles.forEach(c -> a.add(json(c, false)));
                out.println(Json.pretty(a));
            } else if (cycles.isEmpty()) {
                out.println("no indexed cycles");
            } else {
                Table t = new Table("SEQ", "CYCLE-ID", "STATUS", "AGENTS", "RECORDED");
                cycles.forEach(c -> t.row(c.sequence(), c.snapshot().cycleId(),
                        c.snapshot().status().name().toLowerCase(Locale.ROOT), c.snapshot().agents().size(),
                        c.recordedAt()));
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "index:show", description = "Shows the indexed snapshot of a cycle (searched in every "
            + "namespace, this runtime's first).")
    static final class ShowCommand extends IndexCommand {
        @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>")
        String cycleId;

        ShowCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            IndexedCycle c = index.find(cycleId).orElseThrow(() -> new IllegalArgumentException("index:show: no "
                    + "indexed cycle '" + cycleId + "' (expected <run>:<cycle>; index:runs lists the runs)"));
            if (options.json) {
                out.println(Json.pretty(json(c, true)));
            } else {
                out.println("cycle " + cycleId + ": namespace " + c.namespace() + ", record " + c.sequence()
                        + ", recorded " + c.recordedAt());
                out.println(Json.pretty(CycleSnapshots.toTree(c.snapshot())));
            }
            return null;
        }
    }

    @Command(name = "index:stats", description = "For each namespace: records held and ever appended, segments, "
            + "bytes, pruned records, Merkle root.")
    static final class StatsCommand extends IndexCommand {
        StatsCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            List<IndexStats> all = new ArrayList<>();
            for (String ns : namespacesToShow()) {
                all.add(index.stats(ns));
            }
            if (options.json) {
                ArrayNode a = Json.array();
                all.forEach(s -> a.addObject().put("namespace", s.namespace()).put("treeSize", s.treeSize())
                        .put("records", s.records()).put("segments", s.segments()).put("bytes", s.bytes())
                        .put("prunedRecords", s.prunedRecords()).put("root", s.root()));
                out.println(Json.pretty(a));
            } else {
                Table t = new Table("NAMESPACE", "TREE-SIZE", "RECORDS", "SEGMENTS", "BYTES", "PRUNED", "ROOT");
                all.forEach(s -> t.row(s.namespace(), s.treeSize(), s.records(), s.segments(), s.bytes(),
                        s.prunedRecords(), s.root().substring(0, 16)));
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "index:verify", description = "Re-reads every record of each namespace (or one): lengths, "
            + "CRC32C, Merkle leaves and root, manifest. Names the first bad record; fails when there is one.")
    static final class VerifyCommand extends IndexCommand {
        VerifyCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            List<VerifyReport> reports = new ArrayList<>();
            for (String ns : namespacesToShow()) {
                reports.add(index.verify(ns));
            }
            if (options.json) {
                ArrayNode a = Json.array();
                reports.forEach(r -> a.addObject().put("namespace", r.namespace()).put("records", r.records())
                        .put("bytes", r.bytes()).put("ok", r.ok()).put("problem", r.problem()));
                out.println(Json.pretty(a));
            } else {
                reports.forEach(r -> out.println(r.namespace() + ": " + (r.ok() ? "ok" : "BAD") + ", " + r.records()
                        + " records, " + r.bytes() + " bytes" + (r.problem() == null ? "" : ": " + r.problem())));
            }
            long bad = reports.stream().filter(r -> !r.ok()).count();
            if (bad > 0) {
                throw new IllegalStateException("index:verify: " + bad + " namespace(s) failed verification");
            }
            return null;
        }
    }

    @Command(name = "index:prove", description = "Prints the RFC 9162 inclusion proof of a cycle: its leaf hash "
            + "and audit path against the current root of its namespace.")
    static final class ProveCommand extends IndexCommand {
        @Parameters(index = "0", paramLabel = "CYCLE-ID", description = "<run>:<cycle>")
        String cycleId;

        ProveCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            Proofs.Inclusion p = index.prove(cycleId);
            ObjectNode o = Json.object();
            o.put("cycleId", p.cycleId());
            o.put("leafIndex", p.leafIndex());
            o.put("treeSize", p.treeSize());
            o.put("leafHash", p.leafHash());
            p.path().forEach(o.putArray("path")::add);
            o.put("root", p.root());
            if (options.json) {
                out.println(Json.pretty(o));
            } else {
                out.println("cycle " + p.cycleId() + " is leaf " + p.leafIndex() + " of " + p.treeSize());
                out.println("leaf hash " + p.leafHash());
                for (int i = 0; i < p.path().size(); i++) {
                    out.println("path[" + i + "]  " + p.path().get(i));
                }
                out.println("root      " + p.root());
            }
            return null;
        }
    }

    @Command(name = "index:consistency", description = "Prints the RFC 9162 consistency proof that the log of "
            + "OLD-SIZE records is a prefix of the log of NEW-SIZE records: it only grew.")
    static final class ConsistencyCommand extends IndexCommand {
        @Parameters(index = "0", paramLabel = "OLD-SIZE")
        long oldSize;

        @Parameters(index = "1", paramLabel = "NEW-SIZE")
        long newSize;

        ConsistencyCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            Proofs.Consistency c = index.consistency(ns(), oldSize, newSize);
            if (options.json) {
                ObjectNode o = Json.object().put("oldSize", c.oldSize()).put("newSize", c.newSize())
                        .put("oldRoot", c.oldRoot()).put("newRoot", c.newRoot());
                c.path().forEach(o.putArray("path")::add);
                out.println(Json.pretty(o));
            } else {
                out.println("old root (" + c.oldSize() + ") " + c.oldRoot());
                out.println("new root (" + c.newSize() + ") " + c.newRoot());
                for (int i = 0; i < c.path().size(); i++) {
                    out.println("path[" + i + "]  " + c.path().get(i));
                }
            }
            return null;
        }
    }

    @Command(name = "index:replay", description = "Streams the snapshots of a run in cycle order, one canonical "
            + "JSON line each (or a line of text without --json).")
    static final class ReplayCommand extends IndexCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String runId;

        @Option(names = "--from", defaultValue = "1", description = "First cycle (default: ${DEFAULT-VALUE}).")
        long from;

        @Option(names = "--to", defaultValue = "" + Long.MAX_VALUE, description = "Last cycle (default: the last).")
        long to;

        ReplayCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            if (from > to) {
                throw new IllegalArgumentException("index:replay: --from " + from + " is after --to " + to);
            }
            long n = index.replay(ns(), runId, from, to, c -> out.println(options.json
                    ? CycleSnapshots.toCanonicalJson(c.snapshot())
                    : c.snapshot().cycleId() + " " + c.snapshot().status().name().toLowerCase(Locale.ROOT) + " "
                            + c.snapshot().startedAt() + " agents=" + c.snapshot().agents().size()));
            if (!options.json) {
                out.println(n + " cycle(s) replayed");
            }
            return null;
        }
    }

    @Command(name = "index:prune", description = "Applies the retention rules of a namespace now: only whole "
            + "closed segments, oldest first; the pruned records' leaf hashes are kept so proofs stay valid.")
    static final class PruneCommand extends IndexCommand {
        @Option(names = "--dry-run", description = "Only show what would be pruned.")
        boolean dryRun;

        PruneCommand(CycleIndex index, PrintStream out) {
            super(index, out);
        }

        @Override
        public Object call() throws Exception {
            PruneReport r = index.prune(ns(), dryRun);
            if (options.json) {
                ObjectNode o = Json.object().put("namespace", r.namespace()).put("dryRun", dryRun)
                        .put("records", r.records()).put("bytes", r.bytes());
                r.reasons().forEach(o.putArray("segments")::add);
                out.println(Json.pretty(o));
            } else if (r.segments().isEmpty()) {
                out.println(r.namespace() + ": nothing to prune");
            } else {
                r.reasons().forEach(out::println);
                out.println((dryRun ? "would prune " : "pruned ") + r.segments().size() + " segment(s), "
                        + r.records() + " records, " + r.bytes() + " bytes");
            }
            return null;
        }
    }
}
