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
 * the first start when absent) and is never logged. Reading needs it only when the HTTP host is not loopback
 * (anyone on the network could read otherwise); changing anything (toggles, quarantine) always needs it, sent as
 * {@code Authorization: Bearer TOKEN}.
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

    /** Pages and the read API: free on loopback, the token otherwise. */
    void checkRead(HttpServletRequest req) {
        if (!loopback) {
            check(req, "the console listens beyond loopback: every page and API needs the console token");
        }
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
