package io.harmonix.agent.security.internal.javaapi;

import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.util.List;

/** The insecure-API rules on Java sources: ids, severities and the help each finding points to. */
public final class JavaRules {
    public static final String SQL = "java/sql-concatenation";
    public static final String WEAK_HASH = "java/weak-hash";
    public static final String WEAK_CIPHER = "java/weak-cipher";
    public static final String INSECURE_RANDOM = "java/insecure-random";
    public static final String DESERIALIZATION = "java/unsafe-deserialization";
    public static final String XXE = "java/xxe";
    public static final String COMMAND = "java/command-injection";
    public static final String HARDCODED_KEY = "java/hardcoded-key";

    public static final List<Rule> ALL = List.of(
            new Rule(SQL, "SQL built by concatenation", "A query built from strings reaches a JDBC or JPA call.",
                    "Pass values as parameters: prepareStatement(\"... WHERE id = ?\") then setString/setLong; in "
                            + "JPA, setParameter. Table or column names must come from a fixed list, never input.",
                    Severity.HIGH),
            new Rule(WEAK_HASH, "Weak hash", "MessageDigest MD2, MD4, MD5 or SHA-1.",
                    "Use SHA-256 or stronger (MessageDigest.getInstance(\"SHA-256\")); for passwords a slow, salted "
                            + "function (PBKDF2WithHmacSHA256, bcrypt, Argon2).", Severity.MEDIUM),
            new Rule(WEAK_CIPHER, "Weak cipher or mode", "Cipher DES, 3DES, RC2, RC4, or ECB mode (also \"AES\" "
                    + "alone, which means AES/ECB).", "Use AES/GCM/NoPadding with a random 12-byte IV per message.",
                    Severity.HIGH),
            new Rule(INSECURE_RANDOM, "Predictable random for a secret", "java.util.Random, Math.random or "
                    + "ThreadLocalRandom makes a value named as a secret, token, password, key, salt or nonce.",
                    "Use java.security.SecureRandom: its output cannot be predicted from earlier values.",
                    Severity.HIGH),
            new Rule(DESERIALIZATION, "Deserialisation of untrusted data", "ObjectInputStream.readObject on a "
                    + "stream with no ObjectInputFilter.", "Do not deserialise untrusted bytes; use a data format "
                    + "(JSON) or set an allow-list filter with setObjectInputFilter before readObject.",
                    Severity.HIGH),
            new Rule(XXE, "XML parser open to XXE", "A DocumentBuilderFactory, SAXParserFactory, XMLInputFactory or "
                    + "TransformerFactory made without disallowing DOCTYPEs or enabling secure processing in the same"
                    + " method.", "Call setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true) "
                    + "(or XMLInputFactory.SUPPORT_DTD false, or XMLConstants.FEATURE_SECURE_PROCESSING with "
                    + "ACCESS_EXTERNAL_DTD \"\") right after creating the factory.", Severity.HIGH),
            new Rule(COMMAND, "Command built from strings", "Runtime.exec or ProcessBuilder runs a command line "
                    + "built by concatenation or String.format.", "Pass the program and each argument as separate "
                    + "strings (new ProcessBuilder(\"git\", \"log\", ref)) and never through a shell; check "
                    + "arguments against an allow-list.", Severity.HIGH),
            new Rule(HARDCODED_KEY, "Hard-coded key or password", "A literal given to SecretKeySpec or PBEKeySpec, "
                    + "or a string literal of 8+ characters in a variable named as a key, secret or password.",
                    "Read keys and passwords from a secret store or the environment at run time; rotate the one "
                    + "committed, as it is in the history.", Severity.HIGH));

    private JavaRules() {
    }
}
