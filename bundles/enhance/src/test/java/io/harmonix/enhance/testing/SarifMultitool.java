package io.harmonix.enhance.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official SARIF validator, Microsoft's SARIF multitool, from the npm registry at the version pinned in
 * {@code src/test/sarif-tool/package-lock.json}, installed with {@code npm ci} into
 * {@code ~/.cache/harmonix/sarif-multitool-<version>} on first use. Without node and npm the test fails: a SARIF
 * test that skips would prove nothing ({@code .ci/run} installs them).
 */
public final class SarifMultitool {
    public static final String VERSION = "5.7.0";
    /** The pinned package.json and lock; other modules (itests) name it with the property harmonix.sarif.tool. */
    private static final Path TOOL = Path.of(System.getProperty("harmonix.sarif.tool", "src/test/sarif-tool"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private SarifMultitool() {
    }

    /** What the validator reported on one file. @param errors its results of level error, as "ruleId: message" */
    public record Report(List<String> errors, List<String> others, String console) {
    }

    /** Validates a SARIF file: {@code sarif-multitool validate FILE --output LOG --log ForceOverwrite}. */
    public static synchronized Report validate(Path sarif) throws Exception {
        Path bin = install();
        Path log = sarif.resolveSibling(sarif.getFileName() + ".validation.sarif");
        String console = run(sarif.getParent(), List.of(bin.toString(), "validate", sarif.toString(), "--output",
                log.toString(), "--log", "ForceOverwrite"));
        if (!Files.isRegularFile(log)) {
            fail("the SARIF multitool wrote no log " + log + "; it said:\n" + console);
        }
        List<String> errors = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (JsonNode run : JSON.readTree(log.toFile()).path("runs")) {
            for (JsonNode r : run.path("results")) {
                String line = r.path("ruleId").asText() + ": " + r.path("message").toString();
                // level defaults to warning in SARIF when absent
                (r.path("level").asText("warning").equals("error") ? errors : others).add(line);
            }
            for (JsonNode n : run.path("invocations").path(0).path("toolExecutionNotifications")) {
                if (n.path("level").asText("warning").equals("error")) {
                    errors.add("tool: " + n.path("message").path("text").asText());
                }
            }
        }
        return new Report(errors, others, console);
    }

    /** @return the multitool's launcher, installing it first when it is not there */
    static Path install() throws Exception {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "harmonix", "sarif-multitool-" + VERSION);
        Path bin = home.resolve("node_modules/.bin/sarif-multitool");
        Path lock = home.resolve("package-lock.json");
        if (Files.isExecutable(bin) && Files.isRegularFile(lock)
                && Files.mismatch(lock, TOOL.resolve("package-lock.json")) == -1) {
            return bin;
        }
        Files.createDirectories(home);
        Files.copy(TOOL.resolve("package.json"), home.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TOOL.resolve("package-lock.json"), lock, StandardCopyOption.REPLACE_EXISTING);
        String out = run(home, List.of("npm", "ci", "--no-audit", "--no-fund"));
        Path nativeTool = home.resolve("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
        if (Files.isRegularFile(nativeTool) && !Files.isExecutable(nativeTool)) {
            // its postinstall script makes it executable; npm may refuse to run install scripts
            nativeTool.toFile().setExecutable(true);
        }
        if (!Files.isExecutable(bin)) {
            fail("npm ci in " + home + " did not install the SARIF multitool:\n" + out);
        }
        return bin;
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail(command.get(0) + " cannot be run (" + e.getMessage() + "): the SARIF test needs node and "
                    + "npm (Debian: apt-get install nodejs npm; .ci/run installs them)");
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " took more than 10 minutes:\n" + out);
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
