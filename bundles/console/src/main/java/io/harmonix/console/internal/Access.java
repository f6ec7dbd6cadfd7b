package io.harmonix.console.internal;

import io.harmonix.config.api.AtomicFiles;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Who may do what: the console's token lives in a secret file ({@code etc/console.token}, made with mode 600 at
 * the first start when absent) and is never logged. Reading needs it unless the HTTP host is loopback and the
 * request came from and to loopback by a loopback name ({@link #checkRead}); changing anything (toggles,
 * quarantine) always needs it, sent as {@code Authorization: Bearer TOKEN}.
 */
final class Access {
    private final String token;
    private final boolean loopback;

    Access(String token, boolean loopback) {
        this.token = token;
        this.loopback = loopback;
    }

    /** Reads the token file, making it (600, atomically) when it is not there. */
    static Access open(Path tokenFile, String httpHost) throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.createDirectories(tokenFile.getParent());
            AtomicFiles.write(tokenFile, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        }
        // one made by hand (or by an older version) readable by others is the owner's again before it is trusted
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        if (token.length() < 16) {
            throw new IOException(tokenFile + ": the console token must be at least 16 characters, has "
                    + token.length());
        }
        return new Access(token, isLoopback(httpHost));
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // Jetty listens on every interface then
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    boolean loopback() {
        return loopback;
    }

    /**
     * Pages and the read API: free on loopback, the token otherwise. Loopback is decided for each request, not only
     * from the configured host: the connection must have come in on a loopback address from a loopback address (the
     * configured host is one setting among others that decide where Jetty listens), and its {@code Host} header must
     * name a loopback host, or a web page of another site the user opens could read the console through a name of
     * its own that resolves to 127.0.0.1 (DNS rebinding).
     */
    void checkRead(HttpServletRequest req) {
        if (!loopback) {
            check(req, "the console listens beyond loopback: every page and API needs the console token");
        } else if (!isLoopbackRequest(req)) {
            check(req, "a request that did not come from and to loopback, by a loopback name, needs the console "
                    + "token");
        }
    }

    static boolean isLoopbackRequest(HttpServletRequest req) {
        return isLoopbackAddress(req.getLocalAddr()) && isLoopbackAddress(req.getRemoteAddr())
                && isLoopbackName(req.getHeader("Host"));
    }

    private static boolean isLoopbackAddress(String literal) {
        if (literal == null || literal.isBlank()) {
            return false;
        }
        try {
            // an address literal (no name is looked up for one)
            return InetAddress.getByName(literal.startsWith("[") ? literal.substring(1, literal.length() - 1)
                    : literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @param host the Host header: {@code 127.0.0.1:8181}, {@code localhost}, {@code [::1]:8181} */
    static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String name = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(1, end).equals("::1") && (end == name.length() - 1
                    || name.charAt(end + 1) == ':');
        }
        int colon = name.indexOf(':');
        name = colon < 0 ? name : name.substring(0, colon);
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    /** Control actions: always the token. */
    void checkControl(HttpServletRequest req) {
        check(req, "changing a toggle or quarantine needs the console token");
    }

    private void check(HttpServletRequest req, String why) {
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiException(401, why + " (header 'Authorization: Bearer TOKEN', the token is in "
                    + "etc/console.token)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "the Authorization header must be 'Bearer TOKEN'");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "wrong console token");
        }
    }
}
