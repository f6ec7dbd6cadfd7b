package io.harmonix.enhance.internal.sarif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.internal.FindingRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings as a SARIF 2.1.0 log (OASIS SARIF v2.1.0), one run per agent, so that any SARIF viewer or code-scanning
 * service reads them: rules with their help, results at their locations relative to the target's root (the
 * {@value #SRCROOT} base), the finding's fingerprint as a partial fingerprint, and each proposal as a fix whose
 * replacements come from its diff ({@link DiffReplacements}).
 */
public final class SarifWriter {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The base id of artifact locations: the target's root. */
    public static final String SRCROOT = "SRCROOT";
    /** The key of {@code partialFingerprints}: our fingerprint scheme, versioned should it ever change. */
    public static final String FINGERPRINT_KEY = "harmonix/v1";
    /** Where the agents, their rules and their configuration are documented. */
    public static final String INFORMATION_URI = "https://harmonix.io/docs/agents.html";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One agent's findings of one cycle, and what SARIF says of the agent.
     *
     * @param agentType its type
     * @param version the version of its bundle
     * @param rules its rules (a rule a finding names that is not among them gets a descriptor of its id alone)
     * @param cycle the recorded cycle (target, commit, proposals)
     * @param rows the findings to report, with their status
     */
    public record AgentRun(String agentId, String agentType, String version, List<Rule> rules, String runId,
            long cycleNumber, CycleFindings cycle, List<FindingRow> rows) {
    }

    private SarifWriter() {
    }

    /** Writes the log to {@code file}, creating its folder. */
    public static void write(Path file, List<AgentRun> runs) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), log(runs));
    }

    /** @return the SARIF log */
    public static ObjectNode log(List<AgentRun> runs) {
        ObjectNode log = F.objectNode();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        ArrayNode out = log.putArray("runs");
        runs.forEach(r -> out.add(run(r)));
        return log;
    }

    private static ObjectNode run(AgentRun r) {
        ObjectNode run = F.objectNode();
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : r.rules()) {
            if (!ruleIndex.containsKey(rule.id())) {
                ruleIndex.put(rule.id(), rules.size());
                rules.add(rule);
            }
        }
        for (FindingRow row : r.rows()) {
            Finding f = row.finding();
            if (!ruleIndex.containsKey(f.ruleId())) {
                ruleIndex.put(f.ruleId(), rules.size());
                rules.add(new Rule(f.ruleId(), f.ruleId(), "Rule " + f.ruleId() + " of the " + r.agentType()
                        + " agent.", null, f.severity()));
            }
        }
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Harmonix " + r.agentType() + " agent");
        driver.put("version", r.version());
        driver.put("informationUri", INFORMATION_URI);
        ArrayNode descriptors = driver.putArray("rules");
        rules.forEach(rule -> descriptors.add(rule(rule)));

        String root = r.cycle().target();
        String rootUri = Path.of(root).toUri().toString();
        rootUri = rootUri.endsWith("/") ? rootUri : rootUri + "/";
        run.putObject("originalUriBaseIds").putObject(SRCROOT).put("uri", rootUri);
        ObjectNode provenance = run.putArray("versionControlProvenance").addObject();
        provenance.put("repositoryUri", rootUri);
        provenance.put("revisionId", r.cycle().commit());
        provenance.putObject("mappedTo").put("uriBaseId", SRCROOT);
        run.put("columnKind", "utf16CodeUnits");

        Map<String, List<Proposal>> proposals = new LinkedHashMap<>();
        r.cycle().proposals().forEach(p -> proposals.computeIfAbsent(p.fingerprint(), k -> new ArrayList<>()).add(p));
        ArrayNode results = run.putArray("results");
        for (FindingRow row : r.rows()) {
            results.add(result(row, ruleIndex.get(row.finding().ruleId()),
                    proposals.getOrDefault(row.finding().fingerprint(), List.of())));
        }
        ObjectNode props = run.putObject("properties");
        props.put("agentId", r.agentId());
        props.put("runId", r.runId());
        props.put("cycle", r.cycleNumber());
        props.put("partial", r.cycle().partial());
        props.put("filesAnalysed", r.cycle().filesAnalysed());
        props.put("filesTotal", r.cycle().filesTotal());
        ObjectNode notAnalysed = props.putObject("notAnalysed");
        r.cycle().notAnalysed().forEach(notAnalysed::put);
        return run;
    }

    private static ObjectNode rule(Rule rule) {
        ObjectNode d = F.objectNode();
        d.put("id", rule.id());
        d.put("name", rule.name());
        d.putObject("shortDescription").put("text", sentence(rule.description().isBlank() ? rule.name()
                : rule.description()));
        d.putObject("fullDescription").put("text", sentence(rule.description().isBlank() ? rule.name()
                : rule.description()));
        d.putObject("help").put("text", sentence(rule.help().isBlank() ? rule.description().isBlank()
                ? rule.name() : rule.description() : rule.help()));
        d.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
        return d;
    }

    private static ObjectNode result(FindingRow row, int ruleIndex, List<Proposal> proposals) {
        Finding f = row.finding();
        ObjectNode result = F.objectNode();
        result.put("ruleId", f.ruleId());
        result.put("ruleIndex", ruleIndex);
        result.put("level", f.severity().sarifLevel());
        result.putObject("message").put("text", sentence(f.message()));
        ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
        artifact(physical, f.location().file());
        physical.set("region", region(f.location()));
        result.putObject("partialFingerprints").put(FINGERPRINT_KEY, f.fingerprint());
        // SARIF's own word for new / persisting / fixed against the previous cycle
        result.put("baselineState", switch (row.status()) {
            case NEW -> "new";
            case PERSISTING -> "unchanged";
            case FIXED -> "absent";
        });
        ObjectNode props = result.putObject("properties");
        props.put("risk", f.risk().id());
        props.put("status", row.status().id());
        props.put("component", f.component());
        props.put("severity", f.severity().id());
        if (row.status() != FindingStatus.FIXED && !proposals.isEmpty()) {
            ArrayNode fixes = result.putArray("fixes");
            proposals.forEach(p -> fixes.add(fix(p)));
        }
        return result;
    }

    private static ObjectNode region(Location l) {
        ObjectNode region = F.objectNode();
        region.put("startLine", l.line());
        if (l.column() > 0) {
            region.put("startColumn", l.column());
        }
        region.put("endLine", l.endLine());
        if (l.endColumn() > 0) {
            // a Location's end column is inclusive; SARIF's is the column after the region
            region.put("endColumn", l.endColumn() + 1);
        }
        return region;
    }

    private static ObjectNode fix(Proposal p) {
        ObjectNode fix = F.objectNode();
        fix.putObject("description").put("text", sentence(p.title() + (p.improves().isBlank() ? ""
                : " (" + p.improves() + ")")));
        ArrayNode changes = fix.putArray("artifactChanges");
        for (DiffReplacements.FileChange change : DiffReplacements.parse(p.diff())) {
            ObjectNode c = changes.addObject();
            artifact(c, change.path());
            ArrayNode replacements = c.putArray("replacements");
            for (DiffReplacements.Replacement rep : change.replacements()) {
                ObjectNode replacement = replacements.addObject();
                replacement.set("deletedRegion", deleted(rep));
                if (!rep.inserted().isEmpty()) {
                    replacement.putObject("insertedContent").put("text", rep.inserted());
                }
            }
        }
        return fix;
    }

    /**
     * The region a replacement deletes, from the start of its first line to the start of the line after its last
     * (so the line breaks go too); an insertion is the empty region at the start of its line; a deletion of a last
     * line without a line break ends at the end of that line.
     */
    static ObjectNode deleted(DiffReplacements.Replacement rep) {
        ObjectNode region = F.objectNode();
        region.put("startLine", rep.line());
        region.put("startColumn", 1);
        if (rep.deleted() > 0 && !rep.lastDeletedHasNewline()) {
            region.put("endLine", rep.line() + rep.deleted() - 1); // to the end of that line: endColumn absent
        } else {
            region.put("endLine", rep.line() + rep.deleted());
            region.put("endColumn", 1);
        }
        return region;
    }

    private static void artifact(ObjectNode parent, String relativePath) {
        ObjectNode location = parent.putObject("artifactLocation");
        location.put("uri", relativeUri(relativePath));
        location.put("uriBaseId", SRCROOT);
    }

    /** A relative path as a relative URI reference: each segment percent-encoded where a URI needs it. */
    static String relativeUri(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return out.toString();
    }

    /** SARIF asks for messages that are sentences: ending with a full stop. */
    private static String sentence(String text) {
        String t = text.strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }
}
