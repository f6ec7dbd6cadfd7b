package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git CLI as the tests that make repositories run it: no system configuration, HOME a test folder. */
final class GitCli {
    private GitCli() {
    }

    /** Runs {@code git -C repo arguments...}, fails the test on a non-zero exit, and returns its output. */
    static String run(Path home, Path repo, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        b.environment().put("HOME", home.toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + arguments[0] + ": " + out);
        return out;
    }
}
