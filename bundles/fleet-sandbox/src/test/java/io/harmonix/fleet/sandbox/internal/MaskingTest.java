package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.fleet.api.CheckRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registered {@link SecretMasker} is applied to a log before it is stored. The maskers here know one secret
 * each, as the security agent's and the propagator's do theirs (tested in their bundles).
 */
class MaskingTest {
    private static final String TOKEN = "tok-" + "41c9e2a7d05b";
    private static final String KEY = "key-" + "9f3e77a1c2";

    @TempDir
    Path dir;
    private SandboxFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new SandboxFixture(dir, SandboxFixture.defaults());
        f.repo.write("build.sh", "echo using " + TOKEN + " and " + KEY + "\n").commit("leaky");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aSecretPrintedByABuildNeverReachesTheRecord() {
        SecretMasker token = text -> text.replace(TOKEN, "tok-****");
        SecretMasker key = text -> text.replace(KEY, "****");
        f.sandbox.addMasker(token);
        f.sandbox.addMasker(key);
        CheckRecord r = f.run("HEAD", "sh build.sh");
        assertEquals("using tok-**** and ****\n", r.log());
        assertEquals(r, f.sandbox.check(r.id()).orElseThrow(), "stored masked");
        f.sandbox.removeMasker(key);
        assertTrue(f.run("HEAD", "sh build.sh").log().contains(KEY), "a masker gone no longer masks");
    }

    @Test
    void aMaskerThatFailsWithholdsTheWholeLog() {
        f.sandbox.addMasker(text -> {
            throw new IllegalStateException("rules did not finish");
        });
        CheckRecord r = f.run("HEAD", "sh build.sh");
        assertFalse(r.log().contains(TOKEN), r.log());
        assertTrue(r.log().startsWith("[log withheld: the secret masker ") && r.log().contains("rules did not finish"),
                r.log());
        assertTrue(r.passed(), "the command's own result stands");
    }
}
