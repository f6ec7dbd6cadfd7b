package io.harmonix.enhance.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.internal.FindingRow;
import io.harmonix.enhance.internal.RecordedFindings;
import io.harmonix.enhance.internal.RecordedFindings.AgentCycle;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.BadArgumentException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code enhance:show}: one finding, its code, its history across every recorded cycle, and its fix. */
@Component
@CommandScope("enhance")
public final class ShowCommands implements ShellCommands {
    /** Lines shown before and after the finding's. */
    static final int CONTEXT = 2;
    private static final int MIN_PREFIX = 8;

    @Reference
    private CycleRunner runner;

    /** One cycle the finding was in, or was reported fixed in. */
    private record Seen(AgentCycle cycle, FindingRow row) {
    }

    @Command(name = "show", header = "show a finding: code, history, proposed fix", description = "Shows the "
            + "finding with this fingerprint (or a unique prefix of at least 8 hex digits): where it is, a code "
            + "excerpt from the target folder as it is now, the status it had in every recorded cycle of every run "
            + "it appears in, and its proposed fix.")
    public CommandResult show(@Parameters(index = "0", paramLabel = "FINGERPRINT", description = "The finding's "
            + "fingerprint, or its first 8 or more hex digits.") String fingerprint) {
        String prefix = fingerprint.trim().toLowerCase(java.util.Locale.ROOT);
        if (!prefix.matches("[0-9a-f]{" + MIN_PREFIX + ",64}(-[0-9]+)?")) {
            throw new BadArgumentException("FINGERPRINT '" + fingerprint + "': expected at least " + MIN_PREFIX
                    + " hex digits of a fingerprint (enhance:findings lists them with --json)");
        }
        List<Seen> seen = new ArrayList<>();
        TreeSet<String> matching = new TreeSet<>();
        for (AgentCycle c : RecordedFindings.all(runner)) {
            for (FindingRow r : FindingRow.of(c)) {
                if (r.finding().fingerprint().startsWith(prefix)) {
                    matching.add(r.finding().fingerprint());
                    seen.add(new Seen(c, r));
                }
            }
        }
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("enhance:show: no recorded finding has a fingerprint starting with '"
                    + prefix + "'");
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException("enhance:show: '" + prefix + "' is ambiguous: " + matching.size()
                    + " fingerprints start with it (" + String.join(", ", matching.stream().limit(5).toList())
                    + (matching.size() > 5 ? ", ..." : "") + "); give more digits");
        }
        Seen last = seen.get(seen.size() - 1);
        Finding f = last.row().finding();
        Proposal proposal = null;
        for (Seen s : seen) {
            for (Proposal p : s.cycle().findings().proposals()) {
                if (p.fingerprint().equals(f.fingerprint())) {
                    proposal = p; // the latest cycle's proposal wins: it names the latest commit
                }
            }
        }
        Path root = Path.of(last.cycle().findings().target());
        String withheld = withheld(root, f);
        List<Excerpt> excerpt = withheld == null ? excerpt(root, f.location()) : List.of();

        StringBuilder text = new StringBuilder();
        text.append("finding ").append(f.fingerprint()).append('\n');
        text.append("  ").append(f.severity().id()).append(' ').append(f.ruleId()).append(" (").append(f.agentType())
                .append(" agent ").append(last.row().agentId()).append("), risk ").append(f.risk().id())
                .append(", ").append(last.row().status().id()).append(" in ").append(last.cycle().runId())
                .append(':').append(last.cycle().cycle()).append('\n');
        text.append("  at ").append(root.resolve(f.location().file())).append(':').append(f.location().line())
                .append(f.component().isEmpty() ? "" : " (component " + f.component() + ")").append('\n');
        text.append("  ").append(f.message()).append('\n');
        if (!f.evidence().isEmpty()) {
            text.append("  evidence: ").append(f.evidence()).append('\n');
        }
        text.append('\n');
        if (withheld != null) {
            text.append("code: not shown: ").append(withheld).append('\n');
        } else if (excerpt == null) {
            text.append("code: the file ").append(f.location().file()).append(" is gone from ").append(root)
                    .append('\n');
        } else {
            text.append("code (").append(f.location().file()).append(", as the working tree has it now):\n");
            for (Excerpt e : excerpt) {
                text.append(e.marked() ? "> " : "  ").append(String.format("%5d | ", e.line())).append(e.text())
                        .append('\n');
            }
        }
        text.append("\nhistory:\n");
        Table history = new Table("RUN", "CYCLE", "TIME", "STATUS");
        ArrayNode historyJson = Json.array();
        for (Seen s : seen) {
            history.row(s.cycle().runId(), s.cycle().cycle(), s.cycle().endedAt().truncatedTo(ChronoUnit.SECONDS),
                    s.row().status().id());
            historyJson.addObject().put("runId", s.cycle().runId()).put("cycle", s.cycle().cycle())
                    .put("time", s.cycle().endedAt().toString()).put("status", s.row().status().id());
        }
        history.toString().lines().forEach(l -> text.append("  ").append(l).append('\n'));
        if (proposal != null) {
            text.append("\nproposal: ").append(proposal.title())
                    .append(proposal.improves().isEmpty() ? "" : " (" + proposal.improves() + ")")
                    .append(", against commit ").append(proposal.commit()).append('\n').append(proposal.diff());
        }

        ObjectNode json = FindingViews.json(last.row());
        json.put("target", root.toString());
        if (withheld != null) {
            json.putNull("excerpt");
            json.put("excerptWithheld", withheld);
        } else if (excerpt != null) {
            ArrayNode lines = json.putArray("excerpt");
            excerpt.forEach(e -> lines.addObject().put("line", e.line()).put("text", e.text()));
        } else {
            json.putNull("excerpt");
        }
        json.set("history", historyJson);
        if (proposal != null) {
            json.set("proposal", Json.fields(proposal, "commit", "title", "improves", "diff"));
        }
        return CommandResult.of(text.toString(), json);
    }

    /** Agent types whose findings are about secrets: the lines around one hold the secret its evidence redacts. */
    private static final Set<String> SECRET_KEEPERS = Set.of("security");
    /** Larger files are not read for an excerpt. */
    private static final long MAX_EXCERPT_FILE = 8L << 20;

    /**
     * @return why the code around a finding is not shown, or null when it may be: never for a finding about secrets,
     *     nor from a file that is a symbolic link or lies outside the target (a link may point anywhere), nor from a
     *     file too large to read whole
     */
    private static String withheld(Path root, Finding f) {
        if (SECRET_KEEPERS.contains(f.agentType())) {
            return "a finding of the " + f.agentType() + " agent may be about a secret, which the code would show";
        }
        Path file = root.resolve(f.location().file()).normalize();
        try {
            if (!file.startsWith(root) || Files.isSymbolicLink(file) || (Files.exists(file)
                    && !file.toRealPath().startsWith(root.toRealPath()))) {
                return f.location().file() + " is a link or lies outside the target";
            }
            if (Files.isRegularFile(file) && Files.size(file) > MAX_EXCERPT_FILE) {
                return f.location().file() + " is larger than " + (MAX_EXCERPT_FILE >> 20) + " MiB";
            }
        } catch (IOException e) {
            return f.location().file() + " could not be read: " + e.getMessage();
        }
        return null;
    }

    /** A line of the excerpt; marked when it is one of the finding's. */
    private record Excerpt(int line, String text, boolean marked) {
    }

    /** @return the lines around the location as the file has them now, or null when the file is gone */
    private static List<Excerpt> excerpt(Path root, Location at) {
        Path file = root.resolve(at.file());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines;
        try {
            // split without -1: the empty text after the last line break is not a line
            lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R"));
        } catch (IOException e) {
            throw new UncheckedIOException("enhance:show: " + file + " could not be read: " + e.getMessage(), e);
        }
        List<Excerpt> out = new ArrayList<>();
        int from = Math.max(1, at.line() - CONTEXT);
        int to = Math.min(lines.size(), at.endLine() + CONTEXT);
        for (int n = from; n <= to; n++) {
            out.add(new Excerpt(n, lines.get(n - 1), n >= at.line() && n <= at.endLine()));
        }
        return out;
    }
}
