package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, minus its Maven build, run as written through sh on a copy of the packaged runtime
 * placed where the command names it: the demo makes its fleet, runs one controller run over it and shows that the
 * shop's fix shipped by fast-forward with its decision trailer, the web upgrade was not shipped because its test is
 * red (and why), the planted secret waits for a person, and the installation's own etc/ and data/ are untouched.
 * The command is read from README.md, so the README and this test cannot drift apart.
 */
class DemoIT {
    private static final String BUILD = "mvn -B -q package -DskipTests && ";
    /** The demo's token (demo.sh writes it in two halves): it must be shown nowhere (P-001). */
    private static final String SECRET = "ghp_R7tQ2mZx9LpW4vN" + "c8KjB3sHd6FyG1aUe5XoI";

    @TempDir
    Path dir;

    /** @return the first command of the README's first sh block: the build, then the demo */
    static String readmeFirstCommand() throws IOException {
        List<String> lines = Files.readAllLines(UserGuideIT.docs().resolve("../README.md"));
        int block = lines.indexOf("```sh");
        assertTrue(block >= 0, "README.md has no ```sh block");
        for (String line : lines.subList(block + 1, lines.size())) {
            if (!line.isBlank() && !line.startsWith("#")) {
                return line.trim();
            }
        }
        throw new AssertionError("README.md's first sh block has no command");
    }

    @Test
    void theReadmesFirstCommandShowsTheControllerShipTheFixAndHoldBackTheRest() throws Exception {
        String command = readmeFirstCommand();
        assertTrue(command.startsWith(BUILD) && command.endsWith("bin/harmonix demo"),
                "the README's first command builds, then runs the demo: " + command);
        String demo = command.substring(BUILD.length());
        // the copy sits where the README's relative path points from the folder the command runs in
        Path dist = HarmonixContainer.distribution();
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir.resolve("distribution/target"));
        assertTrue(demo.startsWith("distribution/target/" + dist.getFileName() + "/"), demo);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> etcBefore = contents(runtime.home.resolve("etc"));
        Map<String, String> dataBefore = contents(runtime.home.resolve("data"));

        ProcessBuilder b = new ProcessBuilder("sh", "-c", demo).directory(dir.toFile());
        b.environment().put("TMPDIR", tmp.toString());
        b.environment().remove("HARMONIX_DATA");
        b.environment().remove("HARMONIX_LOG");
        b.environment().remove("HARMONIX_HOME");
        Process p = b.start();
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the demo did not end within 4 minutes:\n" + out.text() + err.text());
        }
        String text = out.rest();
        String all = text + "\n--- stderr\n" + err.rest();
        assertEquals(0, p.exitValue(), all);

        // each phase printed as it starts, in order, then the run's summary
        int at = -1;
        for (String phase : List.of("SENSE", "THINK", "ACT", "VERIFY", "SHIP", "LEARN")) {
            int next = text.indexOf("\n" + phase + " ...\n");
            assertTrue(next > at, phase + " printed after the phase before it:\n" + all);
            at = next;
        }
        assertTrue(text.matches("(?s).*run wf-\\S+ completed .*opened 2, verified 1, shipped 1, .*"), all);
        // the findings of the scans: the token (two gitleaks rules), Log4Shell, the quality agent's unused parameter
        assertTrue(text.contains("secrets/github-pat at config.properties:2"), all);
        assertTrue(text.contains("CVE-2021-44228"), all);
        assertTrue(text.matches("(?s).*scans of shop at \\S+: quality \\(run .*security \\(run .*"), all);
        assertTrue(text.contains("UnusedFormalParameter at src/main/java/vault/Vault.java:20"), all);
        assertTrue(text.contains("valid, 7 item(s)"), "the ledger validates: " + all);

        // held: the secret is high risk with no known change, open for a person; the CVEs have no known change
        String item = "(?m)^\\| [0-9a-f]{16} \\| ";
        assertEquals(2, count(text, item + "vault \\| SECURITY \\| 1 \\| HIGH \\| rule security.high "
                + "\\| none known \\|$"), all);
        assertEquals(2, count(text, "(?m)^[0-9a-f]{16}  vault  security\\s+1  high\\s+open .*$"), all);
        assertEquals(2, count(text, item + "web \\| SECURITY \\| 1 \\| \\w+ \\| rule security.critical "
                + "\\| none known \\|$"), all);
        assertEquals(1, count(text, item + "vault \\| CHORE \\| 4 \\| \\w+ \\| rule \\*\\.low \\| none known \\|$"),
                all);
        // refused: the web upgrade's test is red on the SHA it would ship; its item is blocked, and the log says why
        assertTrue(text.matches("(?s).*\\n\\s*\\d+\\s+web\\s+FAILED\\s+low\\s+1\\s+harmonix/[0-9a-f]{16} .*"), all);
        assertTrue(text.contains("state:     FAILED (red: test (exit 1))"), all);
        assertTrue(text.matches("(?s).*\\n[0-9a-f]{16}  web\\s+security\\s+3  low\\s+blocked .*"), all);
        assertTrue(text.contains("FAIL: DependencyLockTest: pom.xml declares log4j-core 2.17.1, deps.lock pins "
                + "org.apache.logging.log4j:log4j-core:2.14.1"), all);
        // shipped: the shop's fix, after green checks, by fast-forward
        assertTrue(text.matches("(?s).*\\n\\s*\\d+\\s+shop\\s+SHIPPED\\s+low\\s+1\\s+.*"), all);
        assertTrue(text.matches("(?s).*\\n[0-9a-f]{16}  shop\\s+bug\\s+3  low\\s+done\\s+\\S+\\s+"
                + "decisions-\\S+\\n.*"), all);
        assertTrue(text.contains("shop: moved by fast-forward from "), all);
        assertTrue(text.contains("vault: unchanged at ") && text.contains("web: unchanged at "), all);
        assertFalse(all.contains(SECRET), "the demo shows the planted token");

        // the demo's folder: what it printed holds for the repositories themselves
        Path demoDir;
        try (Stream<Path> made = Files.list(tmp)) {
            List<Path> dirs = made.toList();
            assertEquals(1, dirs.size(), "one demo folder in TMPDIR: " + dirs);
            demoDir = dirs.get(0);
        }
        Path shop = demoDir.resolve("repos/shop");
        String root = git(shop, "rev-list", "--max-parents=0", "refs/heads/main").strip();
        assertEquals(root, git(shop, "rev-parse", "refs/heads/main^").strip(), "main moved by one commit on its own");
        assertEquals("status: fixed\n", git(shop, "show", "refs/heads/main:app.txt"));
        String message = git(shop, "log", "-1", "--format=%an <%ae>%n%B", "refs/heads/main");
        assertTrue(message.startsWith("Harmonix <harmonix@localhost>\n"), message);
        // the decision trailer the candidate carried through VERIFY: main ships exactly the checked SHA
        assertTrue(message.matches("(?s).*\\nTAP-DECISION: decisions-\\S+ \\w+=allowed policies=\\S*G-08.*"), message);
        for (String repo : List.of("vault", "web")) {
            assertEquals("1", git(demoDir.resolve("repos").resolve(repo), "rev-list", "--count", "refs/heads/main")
                    .strip(), repo + "'s main did not move");
        }
        assertTrue(git(demoDir.resolve("repos/web"), "branch", "--list", "harmonix/*").contains("harmonix/"),
                "the refused change stays on its branch");
        Path document;
        try (Stream<Path> runs = Files.list(demoDir.resolve("data/runs"))) {
            document = runs.filter(f -> f.getFileName().toString().startsWith("run-")).findFirst().orElseThrow();
        }
        assertTrue(text.contains("the run's record is " + document), all);
        assertFalse(Files.readString(document).contains(SECRET), "the run document holds the token");

        // the installation's own etc/ and data/ are as they were: the demo ran on a home and data of its own
        assertEquals(etcBefore, contents(runtime.home.resolve("etc")), "the installation's etc/ changed");
        assertEquals(dataBefore, contents(runtime.home.resolve("data")), "the installation's data/ changed");
    }

    /**
     * The demo states its own policy file; the controller refuses a decision naming a policy the file lacks, so the
     * demo's file must list every policy the installation ships (and no other), or the demo breaks when one is added.
     */
    @Test
    void theDemosPolicyFileListsThePoliciesTheInstallationShips() throws Exception {
        Path dist = HarmonixContainer.distribution();
        assertEquals(policyIds(dist.resolve("etc/autonomy-policies.yaml")),
                policyIds(dist.resolve("examples/demo-fleet/etc/autonomy-policies.yaml")));
    }

    private static List<String> policyIds(Path file) throws IOException {
        List<String> ids = Files.readAllLines(file).stream().filter(l -> l.matches("  [A-Z]+-\\d+:\\s*"))
                .map(String::strip).toList();
        assertTrue(!ids.isEmpty(), "no policy in " + file);
        return ids;
    }

    /** @return every file under {@code root} by relative path, with the SHA-256 of its content */
    private static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.toList()) {
                String name = root.relativize(f).toString();
                files.put(name, Files.isDirectory(f) ? "dir" : HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return files;
    }

    private static int count(String text, String regex) {
        int n = 0;
        for (Matcher m = Pattern.compile(regex).matcher(text); m.find(); ) {
            n++;
        }
        return n;
    }

    private String git(Path repo, String... arguments) throws Exception {
        return GitCli.run(dir, repo, arguments);
    }
}
