package io.harmonix.agent.security.internal;

import java.util.Map;

/**
 * Secrets of the common kinds, shaped as their issuers make them but made up. Each is put together from parts so
 * that this source file itself holds no secret a scanner would report.
 */
public final class Secrets {
    public static final String AWS_KEY_ID = "AKIA" + "QYLPMN5HHHFPZAM2";
    public static final String GITHUB_TOKEN = "ghp_" + "8Tq2Zr7LmW4xYc9Vb1Nk6Hs3Jd5Fg0Pa2Ue7";
    public static final String SLACK_TOKEN = "xoxb-" + "2748193650421-4829163057283-" + "Vb8Tq2Zr7LmW4xYc9N1k6Hs3";
    public static final String API_KEY = "k7Hq2" + "Zr9LmW4xYc8Vb1Nt6Ps3Jd5Fg0";
    public static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "."
            + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ" + "."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    public static final String PRIVATE_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\n"
            + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n"
            + "7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkP\n"
            + "-----END RSA " + "PRIVATE KEY-----";

    private Secrets() {
    }

    /** @return the gitleaks rule id that finds each secret, by secret */
    public static Map<String, String> byRule() {
        return Map.of("aws-access-token", AWS_KEY_ID, "github-pat", GITHUB_TOKEN, "slack-bot-token", SLACK_TOKEN,
                "generic-api-key", API_KEY, "jwt", JWT, "private-key", PRIVATE_KEY);
    }

    /** A file holding each secret the way code or configuration holds it. */
    public static String configFile() {
        return "# service settings\n"
                + "aws.key.id=" + AWS_KEY_ID + "\n"
                + "github.token: " + GITHUB_TOKEN + "\n"
                + "slack = \"" + SLACK_TOKEN + "\"\n"
                + "api_key = \"" + API_KEY + "\"\n"
                + "session = " + JWT + "\n"
                + "key: |\n" + PRIVATE_KEY + "\n";
    }
}
