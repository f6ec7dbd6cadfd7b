package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's environment (passed secrets among it) reaches it without being on any process's command line. */
class CommandLineSecretsTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentIsNotOnTheCommandLineOfAnyProcessOfTheSandbox() throws Exception {
        try (SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults())) {
            f.repo.write("README", "app\n").commit("first");
            String token = "tok-" + System.nanoTime();
            CheckRecord r = f.sandbox.execute(new ExecutionRequest("app", f.repo.root().toString(), "HEAD", "build",
                    "printf 'seen %s\\n' \"$DEPLOY_TOKEN\"; "
                            + "for c in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $c; echo; done",
                    null, Map.of("DEPLOY_TOKEN", token)));
            assertTrue(r.log().startsWith("seen " + token + "\n"), "the command has its variable: " + r.log());
            assertTrue(r.log().contains("bwrap") || r.log().contains("sh -c"), "the command lines were read: "
                    + r.log());
            assertEquals(1, r.log().split(token, -1).length - 1, "only the line the command printed: " + r.log());
        }
    }
}
