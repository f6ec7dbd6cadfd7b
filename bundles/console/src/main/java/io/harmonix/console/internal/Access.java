package io.harmonix.console.internal;

import io.harmonix.config.api.AtomicFiles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * Who may do what: the console's token lives in a secret file ({@code etc/console.token}, made with mode 600 at
 * the first start when absent) and is never logged. Reading needs it unless the HTTP host is loopback and the
 * request came from and to loopback by a loopback name ({@link #checkRead}); changing anything (toggles,
 * quarantine) always needs it. It is shown as {@code Authorization: Bearer TOKEN}, or once to {@code POST
 * /console/login} for a session cookie ({@link Sessions}); a change made with the cookie must also come from the
 * console's own origin, as JSON ({@link #checkControl}), so that no page of another site can make it.
 */
final class Access {
    private final String token;
    private final boolean loopback;
    private final Sessions sessions;
    private final WrongTokens wrongTokens;

    Access(String token, boolean loopback, Clock clock) {
        this.token = token;
        this.loopback = loopback;
        this.sessions = new Sessions(clock);
        this.wrongTokens = new WrongTokens(clock);
    }

    /** Reads the token file, making it (600, atomically) when it is not there. */
    static Access open(Path tokenFile, String httpHost, Clock clock) throws IOException {
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
        return new Access(token, isLoopback(httpHost), clock);
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

    /** Control actions: always the token, or a session from the console's own pages. */
    void checkControl(HttpServletRequest req) {
        if (check(req, "changing a toggle or quarantine needs the console token")) {
            sameOrigin(req);
        }
    }

    /**
     * {@code POST /console/login} with {@code {"token": "..."}}: the right token opens a session (its cookie in the
     * response), a wrong one is refused as a wrong Bearer token is.
     */
    void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        com.fasterxml.jackson.databind.JsonNode t = ApiRoutes.body(req).path("token");
        if (!t.isTextual() || t.asText().isBlank()) {
            throw ApiException.badRequest("field 'token': expected the console token of etc/console.token, e.g. "
                    + "{\"token\": \"...\"}");
        }
        if (!rightToken(req, t.asText().trim())) {
            throw new ApiException(403, "wrong console token");
        }
        Json.send(resp, 200, Map.of("expires", sessions.open(req, resp)));
    }

    void logout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        sessions.close(req, resp);
        Json.send(resp, 200, Map.of("loggedOut", true));
    }

    /** @return true when let in by a session cookie, false by the Bearer token */
    private boolean check(HttpServletRequest req, String why) {
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            if (sessions.valid(req)) {
                return true;
            }
            if (Sessions.carries(req)) {
                throw new ApiException(401, "the console session has expired or is not known (sessions last "
                        + Sessions.LIFETIME.toHours() + " h, and end when the runtime restarts): log in again");
            }
            throw new ApiException(401, why + " (header 'Authorization: Bearer TOKEN', the token is in "
                    + "etc/console.token, or a session cookie from POST /console/login)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "the Authorization header must be 'Bearer TOKEN'");
        }
        if (!rightToken(req, header.substring(7).trim())) {
            throw new ApiException(403, "wrong console token");
        }
        return false;
    }

    /** Compares a token given by the request's client, unless that address has run out of wrong attempts (429). */
    private boolean rightToken(HttpServletRequest req, String given) {
        String address = String.valueOf(req.getRemoteAddr());
        wrongTokens.check(address);
        boolean right = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
        if (!right) {
            wrongTokens.wrong(address);
        }
        return right;
    }

    /**
     * A POST that only reads (an index verify: expensive, so not a GET) needs what reading needs, and must be the
     * console's own as a change made with a cookie must: on loopback reading needs no token, so without this a page
     * of another site the user opens could make the browser start verify after verify.
     */
    void checkReadingPost(HttpServletRequest req) {
        checkRead(req);
        sameOrigin(req, "a POST to the console's API");
    }

    /**
     * A change made with the session cookie (which the browser adds by itself) must be the console's own: sent as
     * JSON, which a form of another site cannot send and a script of another site cannot send without the console
     * agreeing first (CORS, which it never does), and, when the browser names where it comes from, from the
     * console's own origin. SameSite=Strict already keeps the cookie from other sites' requests; this holds for
     * browsers that ignore it.
     */
    private static void sameOrigin(HttpServletRequest req) {
        sameOrigin(req, "a change made with a session cookie");
    }

    /** @param what the request, as the refusal names it */
    private static void sameOrigin(HttpServletRequest req, String what) {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(403, what + " must be sent as 'Content-Type: "
                    + "application/json' (no form of another site can send that)");
        }
        String origin = req.getHeader("Origin");
        String host = req.getHeader("Host");
        if (origin != null && !(origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://"
                + host))) {
            throw new ApiException(403, what + " from another site (Origin " + origin + ") is refused");
        }
    }
}
