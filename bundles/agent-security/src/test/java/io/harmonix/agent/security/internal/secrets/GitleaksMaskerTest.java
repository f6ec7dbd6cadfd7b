package io.harmonix.agent.security.internal.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.security.internal.Secrets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gitleaks rules as a masker of command output (the fleet sandbox applies it to every build log). */
class GitleaksMaskerTest {
    private final GitleaksMasker masker = new GitleaksMasker();

    @Test
    void secretsTheRulesFindKeepTheirFirstFourCharacters() {
        String log = "[INFO] deploying with aws.key.id=" + Secrets.AWS_KEY_ID + "\n"
                + "token: " + Secrets.GITHUB_TOKEN + " used twice: " + Secrets.GITHUB_TOKEN + "\n[INFO] done\n";
        String masked = masker.mask(log);
        assertFalse(masked.contains(Secrets.AWS_KEY_ID), masked);
        assertFalse(masked.contains(Secrets.GITHUB_TOKEN), masked);
        assertTrue(masked.contains("aws.key.id=AKIA****\n"), masked);
        assertTrue(masked.contains("token: ghp_**** used twice: ghp_****\n"), masked);
        assertTrue(masked.startsWith("[INFO] deploying with ") && masked.endsWith("[INFO] done\n"), masked);
    }

    @Test
    void textWithoutSecretsIsReturnedAsItIs() {
        String log = "[INFO] BUILD SUCCESS\nTotal time: 3.2 s\n";
        assertEquals(log, masker.mask(log));
    }

    @Test
    void aTextTheRulesCannotFinishIsRefusedNotPassedOnHalfChecked() {
        // a budget of 0: the scan stops at its first look at the clock (every 4096 characters read)
        GitleaksMasker hurried = new GitleaksMasker(new SecretScanner(GitleaksRules.shipped(), Set.of(), 0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> hurried.mask(("aws.key.id=" + Secrets.AWS_KEY_ID + "\n").repeat(5000)));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
