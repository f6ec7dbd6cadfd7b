package io.harmonix.agent.security.internal.javaapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each insecure-API rule on a small real class: reported as written, not reported once fixed. */
class InsecureApiScannerTest {
    private final InsecureApiScanner scanner = new InsecureApiScanner(Set.of());

    private List<String> rules(String body) {
        String source = "import java.sql.*;\nimport java.util.*;\nimport java.security.*;\nimport javax.crypto.*;\n"
                + "import javax.crypto.spec.*;\nimport javax.xml.parsers.*;\nimport java.io.*;\n"
                + "class Sample {\n" + body + "\n}\n";
        List<InsecureApiScanner.Hit> hits = scanner.scan(source);
        return hits.stream().map(InsecureApiScanner.Hit::ruleId).toList();
    }

    @Test
    void sqlBuiltByConcatenation() {
        assertEquals(List.of(JavaRules.SQL), rules("""
                ResultSet find(Connection c, String name) throws SQLException {
                    return c.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
                }"""));
        assertEquals(List.of(JavaRules.SQL), rules("""
                void delete(Connection c, String id) throws SQLException {
                    String sql = String.format("DELETE FROM users WHERE id = %s", id);
                    c.prepareStatement(sql).executeUpdate();
                }"""), "a variable given a formatted string");
        assertEquals(List.of(), rules("""
                static final String TABLE = "users";
                ResultSet find(Connection c, String name) throws SQLException {
                    PreparedStatement s = c.prepareStatement("SELECT * FROM " + TABLE + " WHERE name = ?");
                    s.setString(1, name);
                    return s.executeQuery();
                }"""), "fixed: a parameter; constants may be concatenated");
    }

    @Test
    void weakHashesAndCiphers() {
        assertEquals(List.of(JavaRules.WEAK_HASH), rules("""
                byte[] digest(byte[] b) throws Exception { return MessageDigest.getInstance("MD5").digest(b); }"""));
        assertEquals(List.of(JavaRules.WEAK_HASH), rules("""
                byte[] digest(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-1").digest(b); }"""));
        assertEquals(List.of(JavaRules.WEAK_CIPHER, JavaRules.WEAK_CIPHER), rules("""
                Cipher des() throws Exception { return Cipher.getInstance("DES/CBC/PKCS5Padding"); }
                Cipher ecb() throws Exception { return Cipher.getInstance("AES/ECB/PKCS5Padding"); }"""));
        assertEquals(List.of(), rules("""
                byte[] digest(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }
                Cipher gcm() throws Exception { return Cipher.getInstance("AES/GCM/NoPadding"); }"""));
    }

    @Test
    void predictableRandomForSecrets() {
        assertEquals(List.of(JavaRules.INSECURE_RANDOM), rules("""
                String token() { Random r = new Random(); String sessionToken = Long.toHexString(r.nextLong());
                    return sessionToken.toUpperCase(); }"""));
        assertEquals(List.of(JavaRules.INSECURE_RANDOM), rules("""
                private final Random random = new Random();
                byte[] salt() { byte[] salt = new byte[16]; random.nextBytes(salt); return salt.clone(); }"""));
        assertEquals(List.of(JavaRules.INSECURE_RANDOM), rules("""
                String newPassword() { return Integer.toString((int) (Math.random() * 1_000_000)); }"""));
        assertEquals(List.of(), rules("""
                private final SecureRandom random = new SecureRandom();
                byte[] salt() { byte[] salt = new byte[16]; random.nextBytes(salt); return salt; }
                int dice() { Random r = new Random(); int roll = r.nextInt(6); return roll; }"""),
                "fixed: SecureRandom; a dice roll is not a secret");
    }

    @Test
    void deserialisationOfAStream() {
        assertEquals(List.of(JavaRules.DESERIALIZATION), rules("""
                Object read(InputStream in) throws Exception {
                    ObjectInputStream o = new ObjectInputStream(in);
                    return o.readObject();
                }"""));
        assertEquals(List.of(), rules("""
                Object read(InputStream in) throws Exception {
                    ObjectInputStream o = new ObjectInputStream(in);
                    o.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.lang.*;!*"));
                    return o.readObject();
                }
                private void readObject(ObjectInputStream in) throws Exception { in.defaultReadObject(); }"""),
                "fixed: a filter; a class's own readObject");
    }

    @Test
    void xmlFactoriesOpenToXxe() {
        assertEquals(List.of(JavaRules.XXE), rules("""
                DocumentBuilder builder() throws Exception {
                    return DocumentBuilderFactory.newInstance().newDocumentBuilder();
                }"""));
        assertEquals(List.of(), rules("""
                DocumentBuilder builder() throws Exception {
                    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                    return f.newDocumentBuilder();
                }"""));
    }

    @Test
    void commandsBuiltFromStrings() {
        assertEquals(List.of(JavaRules.COMMAND, JavaRules.COMMAND), rules("""
                void run(String dir) throws IOException {
                    Runtime.getRuntime().exec("ls -l " + dir);
                    new ProcessBuilder("sh", "-c", String.format("rm -rf %s", dir)).start();
                }"""));
        assertEquals(List.of(), rules("""
                void run(String dir) throws IOException {
                    new ProcessBuilder("ls", "-l", dir).start();
                    Runtime.getRuntime().exec(new String[] {"ls", "-l", dir});
                }"""), "fixed: separate arguments, no shell");
    }

    @Test
    void hardCodedKeys() {
        assertEquals(List.of(JavaRules.HARDCODED_KEY), rules("""
                SecretKeySpec key() { return new SecretKeySpec("0123456789abcdef".getBytes(), "AES"); }"""));
        assertEquals(List.of(JavaRules.HARDCODED_KEY), rules("""
                PBEKeySpec spec(byte[] salt) { return new PBEKeySpec("hunter2hunter2".toCharArray(), salt, 1, 256); }"""));
        assertEquals(List.of(JavaRules.HARDCODED_KEY), rules("""
                private static final String DB_PASSWORD = "Pr0d-Passw0rd!";"""));
        assertEquals(List.of(), rules("""
                private static final String PASSWORD_PROPERTY = "db.password";
                private static final String API_KEY_HEADER = "X-Api-Key";
                private static final String SECRET_HINT = "see the vault";
                SecretKeySpec key(byte[] material) { return new SecretKeySpec(material, "AES"); }
                PBEKeySpec spec(char[] password, byte[] salt) { return new PBEKeySpec(password, salt, 1, 256); }"""),
                "fixed: keys from outside; names of secrets are not secrets");
    }

    @Test
    void aSourceThatDoesNotParseIsSaidSo() {
        assertNull(scanner.scan("class Broken { void m( }"));
    }

    @Test
    void aDisabledRuleIsNotApplied() {
        InsecureApiScanner without = new InsecureApiScanner(Set.of(JavaRules.WEAK_HASH));
        assertEquals(List.of(), without.scan("class A { Object m() throws Exception { return "
                + "java.security.MessageDigest.getInstance(\"MD5\"); } }"));
    }
}
