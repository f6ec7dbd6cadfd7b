package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet ClusterIT builds across its runtimes (docs/fleet.md, "On several runtimes"): ten real git repositories
 * made by the test under one root, in three dependency levels, each build and test a shell script; {@code parse}'s
 * build fails, so {@code cli}, which depends on it, is not built, as on one runtime. Every runtime is given the same
 * roots and manifest ({@code etc/io.harmonix.fleet.cfg}, {@code etc/repositories.json}) and the fleet feature; the
 * checks run in each runtime's own sandbox. It reads what the build left in the shared database: the check records
 * ({@code FLEET_CHECK}, with the node that ran each) and the outcomes ({@code FLEET_BUILD_OUTCOME}).
 * The build and tests take a few tenths of a second each, so that a kill lands in a check.
 */
final class ClusterFleet {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Each repository's dependencies, by level: five at level 0, so that the runtime the build starts on (four
     * instances at a time) offers some of them to the others.
     */
    static final Map<String, List<String>> FLEET = fleet();
    static final String BROKEN = "parse";
    /** What one runtime gives for this fleet (FleetIT's rules): the broken one fails, its dependent is not built. */
    static final Map<String, String> OUTCOMES = outcomes();
    static final String LEVELS = "[[\"core\",\"io\",\"json\",\"log\",\"text\"],[\"net\",\"parse\",\"store\"],"
            + "[\"app\",\"cli\"]]";

    private final Path root;
    private final Map<String, String> heads = new TreeMap<>();

    private static Map<String, List<String>> fleet() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (String base : List.of("core", "io", "json", "log", "text")) {
            f.put(base, List.of());
        }
        f.put("net", List.of("core", "io"));
        f.put("store", List.of("json", "log"));
        f.put(BROKEN, List.of("text"));
        f.put("app", List.of("net", "store"));
        f.put("cli", List.of(BROKEN));
        return f;
    }

    private static Map<String, String> outcomes() {
        Map<String, String> o = new TreeMap<>();
        FLEET.keySet().forEach(name -> o.put(name, "built"));
        o.put(BROKEN, "failed");
        o.put("cli", "not_built");
        return o;
    }

    /** Makes the repositories under {@code dir/fleet} (real git, one commit each). */
    ClusterFleet(Path dir) throws Exception {
        this.root = Files.createDirectories(dir.resolve("fleet"));
        for (String name : FLEET.keySet()) {
            Path repo = Files.createDirectories(root.resolve(name));
            // a few tenths of a second per command: the levels overlap nothing, and the IT stays short
            Files.writeString(repo.resolve("build.sh"), "#!/bin/sh\nset -e\nsleep 0.3\n"
                    + (name.equals(BROKEN) ? "echo broken >&2; exit 1\n" : "echo built\n"));
            Files.writeString(repo.resolve("test.sh"), "#!/bin/sh\nset -e\nsleep 0.2; echo tested\n");
            git(dir, repo, "init", "-q", "-b", "main");
            git(dir, repo, "add", "-A");
            git(dir, repo, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m",
                    name);
            heads.put(name, git(dir, repo, "rev-parse", "HEAD").trim());
        }
    }

    private static String git(Path home, Path repo, String... arguments) throws Exception {
        return GitCli.run(home, repo, arguments);
    }

    /**
     * Gives {@code node} the fleet feature, the roots, the manifest (for the declared dependencies: shell builds
     * infer none) and the build settings: one attempt (no retry of the broken build), before it starts.
     */
    void configure(ClusterRig.Node node) throws IOException {
        Path etc = node.runtime.home.resolve("etc");
        Path props = etc.resolve("harmonix.properties");
        String text = Files.readString(props);
        Files.writeString(props, text.replaceFirst("(?m)^(harmonix.features = .*)$", "$1,harmonix-fleet"));
        StringBuilder manifest = new StringBuilder("{\"repositories\": [\n");
        String sep = "";
        for (Map.Entry<String, List<String>> r : FLEET.entrySet()) {
            manifest.append(sep).append("  {\"name\": \"").append(r.getKey()).append("\", \"path\": \"")
                    .append(root.resolve(r.getKey())).append("\", \"dependencies\": ")
                    .append(JSON.writeValueAsString(r.getValue())).append('}');
            sep = ",\n";
        }
        Files.writeString(etc.resolve("repositories.json"), manifest.append("\n]}\n"));
        Files.writeString(etc.resolve("io.harmonix.fleet.cfg"), "roots = " + root + "\ndepth = 1\nmaxParallel = "
                + FLEET.size() + "\nretryAttempts = 0\nretryBackoff = 100ms\n");
    }

    /** The build's report (the last JSON value of {@code repo:build --json}'s output). */
    static JsonNode report(String out) throws IOException {
        JsonNode last = null;
        for (String part : out.split("(?m)^(?=[\\[{])")) {
            if (part.startsWith("{")) {
                last = JSON.readTree(part);
            }
        }
        assertTrue(last != null, "no report in: " + out);
        return last;
    }

    /**
     * One check record: its repository, kind, node, start and end in ms (the nodes' clocks: one machine), the end
     * null for a check its runtime's death cut (closed by another with that as its error).
     */
    record Check(long id, String repository, String kind, String node, long start, Long end, String error) {
    }

    static List<Check> checks(Connection db) throws Exception {
        List<Check> checks = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT ID, REPOSITORY, KIND, "
                + "NODE_ID, STARTED_AT, DURATION_MS, ERROR FROM FLEET_CHECK ORDER BY ID")) {
            while (rs.next()) {
                long start = rs.getTimestamp(5).getTime();
                long duration = rs.getLong(6);
                Long end = rs.wasNull() ? null : start + duration;
                checks.add(new Check(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), start, end,
                        rs.getString(7)));
            }
        }
        return checks;
    }

    /** @return the checks {@code node} runs now (open records) */
    static long running(Connection db, String node) throws Exception {
        try (java.sql.PreparedStatement s = db.prepareStatement("SELECT COUNT(*) FROM FLEET_CHECK WHERE NODE_ID = ? "
                + "AND FINISHED = FALSE")) {
            s.setString(1, node);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Asserts the build ended as on one runtime: every repository's outcome and commit, the levels, each outcome
     * recorded once, and no repository checked before every check of each of its dependencies had ended.
     */
    void assertAsOnOneRuntime(JsonNode report, Connection db, List<Check> checks) throws Exception {
        assertEquals(LEVELS, report.get("levels").toString(), report.toString());
        Map<String, String> outcomes = new TreeMap<>();
        for (JsonNode r : report.get("repositories")) {
            outcomes.put(r.get("name").asText(), r.get("outcome").asText());
            if (!r.get("outcome").asText().equals("not_built")) {
                assertEquals(heads.get(r.get("name").asText()), r.get("commit").asText(), r.toString());
            }
        }
        assertEquals(OUTCOMES, outcomes, report.toString());
        for (JsonNode r : report.get("repositories")) {
            if (r.get("name").asText().equals("cli")) {
                assertEquals("not built: depends on parse, which failed", r.get("reason").asText());
            }
        }
        assertEquals("failed", report.get("state").asText(), "a failed repository fails the build: " + report);

        Map<String, Integer> recorded = new TreeMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT REPOSITORY, COUNT(*) FROM "
                + "FLEET_BUILD_OUTCOME GROUP BY REPOSITORY")) {
            while (rs.next()) {
                recorded.put(rs.getString(1), rs.getInt(2));
            }
        }
        // a repository whose task ran has its outcome row (the one not built was skipped: its task never ran)
        Map<String, Integer> once = new TreeMap<>();
        OUTCOMES.forEach((name, outcome) -> {
            if (!outcome.equals("not_built")) {
                once.put(name, 1);
            }
        });
        assertEquals(once, recorded, "outcomes recorded per repository");

        Map<String, List<Check>> byRepository = new TreeMap<>();
        for (Check c : checks) {
            byRepository.computeIfAbsent(c.repository(), k -> new ArrayList<>()).add(c);
        }
        List<String> early = new ArrayList<>();
        for (Map.Entry<String, List<String>> r : FLEET.entrySet()) {
            List<Check> own = byRepository.getOrDefault(r.getKey(), List.of());
            if (OUTCOMES.get(r.getKey()).equals("not_built")) {
                assertTrue(own.isEmpty(), r.getKey() + " is not built, yet checked: " + own);
                continue;
            }
            assertTrue(!own.isEmpty(), r.getKey() + " has no check record: " + checks);
            long first = own.stream().mapToLong(Check::start).min().getAsLong();
            for (String dependency : r.getValue()) {
                // a check cut by its runtime's death ran again elsewhere: the dependency ended with the last one
                long ended = byRepository.get(dependency).stream().filter(k -> k.end() != null)
                        .mapToLong(Check::end).max().getAsLong();
                if (first < ended) {
                    early.add(r.getKey() + " checked at " + first + " before " + dependency + "'s checks ended at "
                            + ended);
                }
            }
        }
        assertTrue(early.isEmpty(), "dependency order broken: " + early + "\n" + checks);
    }
}
