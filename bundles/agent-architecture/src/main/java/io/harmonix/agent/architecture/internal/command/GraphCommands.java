package io.harmonix.agent.architecture.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.agent.architecture.internal.analysis.Cycles;
import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Edge;
import io.harmonix.agent.architecture.internal.graph.GraphBuilder;
import io.harmonix.agent.architecture.internal.graph.Module;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TargetException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enhance:graph}: the module graph of a target's Java code, with its cycles marked. */
@Component
@CommandScope("enhance")
public final class GraphCommands implements ShellCommands {
    @Command(name = "graph", header = "draw the module graph of a git working tree", description = "Builds the "
            + "dependency graph of the target's Java code (compiled classes where target/classes has them, else "
            + "sources) and draws its modules (Maven modules, OSGi bundles) with the references between them. "
            + "Edges inside a cycle are red and bold, the cheapest edges to cut to break it dashed; a comment lists "
            + "the cycles.", sortOptions = false)
    public CommandResult graph(
            @Parameters(index = "0", paramLabel = "TARGET", description = "The top folder of a git working tree; "
                    + "relative to the current directory.") String target,
            @Option(names = {"-c", "--components"}, split = ",", paramLabel = "PATH", description = "Sub-folders "
                    + "of the target to analyse, comma-separated (default: all of it).") List<String> components,
            @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "mermaid (default) or dot.")
            String format) {
        GraphDrawing.Format f = format(format);
        Target checked;
        try {
            checked = Target.open(Path.of("").toAbsolutePath(), target, components == null ? List.of() : components);
        } catch (TargetException e) {
            throw new IllegalArgumentException("enhance:graph: " + e.getMessage());
        }
        CodeGraph graph;
        try {
            graph = GraphBuilder.build(checked.root(), checked.files(), () -> false, (done, total) -> {
            }).graph();
        } catch (IOException e) {
            throw new UncheckedIOException("enhance:graph: cannot read " + checked.root() + ": " + e.getMessage(),
                    e);
        }
        Map<Edge, Integer> edges = new LinkedHashMap<>();
        graph.moduleEdges().forEach((e, refs) -> edges.put(e, refs.size()));
        List<Cycle> cycles = Cycles.find(edges);
        TreeSet<String> modules = new TreeSet<>();
        graph.modules().stream().map(Module::name).forEach(modules::add);
        String drawn = new GraphDrawing(modules, edges, cycles).draw(f);
        ObjectNode json = Json.object();
        json.put("target", checked.root().toString()).put("format", f.name().toLowerCase(Locale.ROOT));
        modules.forEach(json.putArray("modules")::add);
        ArrayNode edgeList = json.putArray("edges");
        Map<Edge, List<Reference>> byEdge = graph.moduleEdges();
        byEdge.forEach((e, refs) -> edgeList.addObject().put("from", e.from()).put("to", e.to())
                .put("references", refs.size()));
        ArrayNode cycleList = json.putArray("cycles");
        cycles.forEach(c -> {
            ObjectNode n = cycleList.addObject();
            c.members().forEach(n.putArray("members")::add);
            c.cut().forEach(e -> n.withArray("cut").addObject().put("from", e.from()).put("to", e.to()));
        });
        json.put("graph", drawn);
        return CommandResult.of(drawn.stripTrailing(), json);
    }

    private static GraphDrawing.Format format(String format) {
        if (format == null || format.equalsIgnoreCase("mermaid")) {
            return GraphDrawing.Format.MERMAID;
        }
        if (format.equalsIgnoreCase("dot")) {
            return GraphDrawing.Format.DOT;
        }
        throw new IllegalArgumentException("enhance:graph: --format must be mermaid or dot; was '" + format + "'");
    }
}
