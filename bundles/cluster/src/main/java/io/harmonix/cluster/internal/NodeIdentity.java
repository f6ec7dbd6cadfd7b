package io.harmonix.cluster.internal;

import io.harmonix.config.api.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which node this runtime is: {@value #PROPERTY} when it is set (in {@code etc/harmonix.properties}, or as a system
 * property), else the id kept in the data folder's {@value #FILE} file, generated at the first start (host name and
 * random hex) and written atomically. The data folder is the runtime's own (one runtime holds it at a time), so two
 * runtimes of one installation with their own {@code --data} folders get two ids without configuring anything;
 * {@code etc/harmonix.properties} is shared by the runtimes of one installation, so set the property there only
 * when each node has its own installation.
 */
final class NodeIdentity {
    static final String PROPERTY = "harmonix.node.id";
    static final String FILE = "node-id";
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String EXPECTED = "1 to 64 letters, digits, '.', '_' or '-', the first a letter or digit";

    private NodeIdentity() {
    }

    /**
     * @param configured the property's value, or null
     * @param data the runtime's data folder
     * @return the node id
     * @throws IllegalArgumentException naming the property or the file, the value and what was expected
     */
    static String resolve(String configured, Path data) throws IOException {
        if (configured != null) {
            String id = configured.trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(PROPERTY + " = '" + configured + "' (etc/harmonix.properties or a "
                        + "system property): expected " + EXPECTED);
            }
            return id;
        }
        Path file = data.resolve(FILE);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(file + ": '" + id + "' is not a node id: expected " + EXPECTED
                        + " (delete the file to have a new one generated)");
            }
            return id;
        }
        String id = generated();
        Files.createDirectories(data);
        AtomicFiles.write(file, id + "\n");
        return id;
    }

    /** @return the host's first name label, made an id, then 8 random hex digits: readable and unique */
    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        String label = host.split("\\.")[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        label = label.isEmpty() || !Character.isLetterOrDigit(label.charAt(0)) ? "node" + label : label;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return label.substring(0, Math.min(label.length(), 40)) + "-" + HexFormat.of().formatHex(random);
    }

    /** @return this host's name, as the node table shows it */
    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
