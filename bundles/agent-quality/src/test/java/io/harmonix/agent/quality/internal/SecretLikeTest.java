package io.harmonix.agent.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretLikeTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "private String password = \"Hunter2pass!\";",
        "// prod key: AKIAQWERTYUIOPASDF99",
        "String id = \"AKIAIOSFODNN7EXAMPLE\";",
        "// secret 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",
        "String s = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY4x9Zq\";",
        "String gh = \"ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\";",
        "String pat = \"github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz\";",
        "String slack = \"xoxb-12345-abcde\";",
        "String g = \"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q\";",
        "-----BEGIN RSA PRIVATE KEY-----",
        "String k = \"-----BEGIN PRIVATE KEY-----\";",
        "String jwt = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc\";",
        "stripe(\"sk_live_abcdef\");",
        "props.put(\"db.password\", \"letmein\");",
        "String apiKey = \"abc\";",
        "String API_KEY = \"some value\";",
        "char[] pwd = {'x'}; String passwd = 'q';",
        "private static final String CREDENTIALS = \"user:pass\";",
        "\"private_key\": \"whatever\",",
        "// token: s3cr3t!x",
        "String url = \"https://api.example.com/v1?token=abc123def\";",
        "String url = \"https://example.com/download/xK9mP2qR7vL4nW8sT3yB6zQ1\";",
        "byte[] key = decode(\"xK9mP2qR7vL4nW8sT3yB6zQ1aF5\");",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
    })
    void linesThatMayHoldASecret(String line) {
        assertTrue(SecretLike.mayHold(line), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "private int unused = 1;",
        "// counts the retries of the last request",
        "public AbstractSingletonProxyFactoryBean getAbstractSingletonProxyFactoryBeanInstanceForTesting() {",
        "private static final long DEFAULT_CONNECTION_TIMEOUT_MILLISECONDS = 30_000L;",
        "byte[] base64EncodedSecretKeyForHmacSha256Signing = null;",
        "import io.harmonix.agent.quality.internal.QualityScan;",
        "String url = \"https://github.com/harmonix/some-repository-name/blob/main/README.md\";",
        "UUID id = UUID.fromString(\"123e4567-e89b-12d3-a456-426614174000\");",
        "String sha = \"da39a3ee5e6b4b0d3255bfef95601890afd80709\";",
        "String token = request.getHeader(\"Authorization\");",
        "if (password == null || token != null) {",
        "String apiKey = System.getenv(\"API_KEY\");",
        "int tokenCount = 0; int maxTokens = 1000000;",
        "StringTokenizer tokenizer = new StringTokenizer(text);",
        "log.info(\"token refreshed\");",
        "char[] password = new char[16];",
        "String password = \"\";",
        "result += aVeryLongVariableName * anotherLongVariableName;",
        "throw new UnsupportedOperationException(\"spring-boot-starter-data-jpa-autoconfigure\");",
    })
    void ordinaryCodeIsNoSecret(String line) {
        assertFalse(SecretLike.mayHold(line), () -> line + " " + SecretLike.spans(line));
    }

    @Test
    void randomTokensAreSecretsLongIdentifiersAreNot() {
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int missed = 0;
        for (int i = 0; i < 1000; i++) {
            StringBuilder token = new StringBuilder();
            for (int j = 0; j < 32; j++) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            missed += SecretLike.mayHold("String s = \"" + token + "\";") ? 0 : 1;
        }
        assertEquals(0, missed, "random 32-character tokens missed");
    }

    @Test
    void redactionKeepsTheShapeAndFourCharacters() {
        assertEquals("private String password = \"Hunt****\";",
                SecretLike.redact("private String password = \"Hunter2pass!\";"));
        assertEquals("// prod key: AKIA**** secret wJal****", SecretLike.redact(
                "// prod key: AKIAQWERTYUIOPASDF99 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY4x9Zq"));
        assertEquals("String apiKey = \"****\";", SecretLike.redact("String apiKey = \"abc\";"));
        assertEquals("private int unused = 1;", SecretLike.redact("private int unused = 1;"));
    }

    @Test
    void evidenceIsRedactedLineByLine() {
        String evidence = Evidence.of("private String password = \"Hunter2pass!\";\n"
                + "// prod key: AKIAQWERTYUIOPASDF99 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY4x9Zq\n"
                + "private int unused = 1;");
        assertEquals("private String password = \"Hunt****\";\n// prod key: AKIA**** secret wJal****\n"
                + "private int unused = 1;", evidence);
        assertEquals("int a = 1;\nint b = 2;", Evidence.of("int a = 1;\nint b = 2;"));
    }
}
