package io.harmonix.agent.security.internal.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.security.internal.Secrets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
    private final SecretScanner scanner = new SecretScanner(GitleaksRules.shipped(), Set.of());

    @Test
    void findsASecretOfEachCommonKindAtItsLineRedacted() {
        List<SecretMatch> found = scanner.scan("config/app.yaml", Secrets.configFile(), 1).matches();
        // a rule may find more than its own kind (generic-api-key also matches "token: ghp_..."), as in gitleaks
        Map<String, SecretMatch> byRule = found.stream().filter(m -> m.secret().equals(Secrets.byRule()
                .get(m.rule().id()))).collect(Collectors.toMap(m -> m.rule().id(), m -> m));
        assertEquals(Secrets.byRule().keySet(), byRule.keySet());
        assertEquals(2, byRule.get("aws-access-token").line());
        assertEquals(12, byRule.get("aws-access-token").column(), "1-based, after \"aws.key.id=\"");
        assertEquals(8, byRule.get("private-key").line(), "a key block is found where it starts");
        assertEquals("aws.key.id=AKIA****", byRule.get("aws-access-token").evidence());
        assertEquals("-----BEGIN RSA PRIVATE KEY-----".substring(0, 4) + "****",
                byRule.get("private-key").evidence());
        for (SecretMatch m : found) {
            for (String secret : Secrets.byRule().values()) {
                assertFalse(m.evidence().contains(secret), m.rule().id() + " evidence shows a secret");
                assertFalse(m.toString().contains(secret));
            }
        }
    }

    @Test
    void everySecretOfATextIsHiddenInEachEvidence() {
        String line = "tokens: " + Secrets.GITHUB_TOKEN + " " + Secrets.AWS_KEY_ID + "\n";
        List<SecretMatch> found = scanner.scan("a.yaml", line, 1).matches();
        assertTrue(found.size() >= 2, found.toString());
        for (SecretMatch m : found) {
            assertFalse(m.evidence().contains(Secrets.GITHUB_TOKEN) || m.evidence().contains(Secrets.AWS_KEY_ID),
                    m.rule().id() + ": " + m.evidence());
        }
    }

    @Test
    void aLowEntropyPlaceholderIsNotASecret() {
        String text = "api_key = \"xxxxxxxxxxxxxxxxxxxxxxxx\"\npassword = \"changeme\"\ntoken = \"${API_TOKEN}\"\n"
                + "aws.key.id=AKIAAAAAAAAAAAAAAAAA\n";
        assertEquals(List.of(), scanner.scan("config/app.yaml", text, 1).matches());
    }

    @Test
    void anAllowlistedPathOrAnAllowMarkerIsNotReported() {
        assertTrue(scanner.pathAllowed("web/node_modules/lib/config.js"));
        assertEquals(List.of(), scanner.scan("web/node_modules/lib/config.js", Secrets.configFile(), 1)
                .matches());
        assertEquals(List.of(), scanner.scan("web/package-lock.json", Secrets.configFile(), 1).matches());
        assertEquals(List.of(), scanner.scan("a.env", "token = " + Secrets.GITHUB_TOKEN + " # gitleaks:allow\n",
                1).matches());
        assertEquals(List.of(), scanner.scan("a.env", "aws=AKIAIOSFODNN7EXAMPLE\n", 1).matches(),
                "the rule's own allowlist (AWS's documented example key)");
    }

    @Test
    void aDisabledRuleIsNotApplied() {
        SecretScanner without = new SecretScanner(GitleaksRules.shipped(), Set.of("github-pat"));
        assertEquals(List.of(), without.scan("a.env", "GITHUB=" + Secrets.GITHUB_TOKEN + "\n", 1).matches());
        assertEquals(1, scanner.scan("a.env", "GITHUB=" + Secrets.GITHUB_TOKEN + "\n", 1).matches().size());
    }

    @Test
    void aTextsFirstLineNumberShiftsTheLinesReported() {
        SecretMatch m = scanner.scan("a.env", "\n\nGITHUB=" + Secrets.GITHUB_TOKEN, 40).matches().get(0);
        assertEquals(42, m.line());
    }

    @Test
    void redactionKeepsFourCharactersOfALongSecretAndNoneOfAShortOne() {
        assertEquals("ghp_****", Redaction.redact(Secrets.GITHUB_TOKEN));
        assertEquals("********", Redaction.redact("s3cr3t!!"));
        assertEquals("x = ghp_**** and ghp_****", Redaction.evidence("x = " + Secrets.GITHUB_TOKEN + " and "
                + Secrets.GITHUB_TOKEN, 4, Secrets.GITHUB_TOKEN));
        assertEquals(64, Redaction.hash(Secrets.GITHUB_TOKEN).length());
    }

    @Test
    void shannonEntropyIsInBitsPerCharacter() {
        assertEquals(0.0, Entropy.shannon("aaaa"));
        assertEquals(1.0, Entropy.shannon("abab"));
        assertEquals(2.0, Entropy.shannon("abcd"));
    }
}
