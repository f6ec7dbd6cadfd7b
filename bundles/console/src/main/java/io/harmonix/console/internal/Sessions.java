package io.harmonix.console.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, so that a browser beyond loopback (which cannot add an {@code Authorization} header to a page
 * it opens) shows the token once: {@code POST /console/login} with the token gives a cookie {@value #COOKIE}, HttpOnly
 * (no script reads it), {@code SameSite=Strict} (no other site's page sends it), limited to {@code /console}, and
 * valid {@link #LIFETIME} from the login whatever is done with it. Sessions live in memory: a restart logs everybody
 * out. Only a hash of each session id is kept, and looked up, so that neither the map nor the time of a lookup tells
 * an id.
 */
final class Sessions {
    static final String COOKIE = "harmonix-console";
    static final Duration LIFETIME = Duration.ofHours(8);
    /** More sessions than this, and the oldest logins are forgotten first (each login makes one). */
    static final int MAX = 1000;

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** Opens a session: its cookie goes into the response. @return when it expires */
    Instant open(HttpServletRequest req, HttpServletResponse resp) {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        while (expiries.size() >= MAX) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Instant expiry = now.plus(LIFETIME);
        expiries.put(hash(cookie), expiry);
        resp.addHeader("Set-Cookie", COOKIE + "=" + cookie + "; Path=/console; Max-Age=" + LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (req.isSecure() ? "; Secure" : ""));
        return expiry;
    }

    /** Ends the request's session, if it has one, and tells the browser to forget its cookie. */
    void close(HttpServletRequest req, HttpServletResponse resp) {
        String cookie = cookie(req);
        if (cookie != null) {
            expiries.remove(hash(cookie));
        }
        resp.addHeader("Set-Cookie", COOKIE + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict");
    }

    /** @return whether the request carries a cookie at all (valid or not) */
    static boolean carries(HttpServletRequest req) {
        return cookie(req) != null;
    }

    /** @return whether the request's cookie names a session that has not expired */
    boolean valid(HttpServletRequest req) {
        String cookie = cookie(req);
        if (cookie == null) {
            return false;
        }
        String key = hash(cookie);
        Instant expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(key);
            return false;
        }
        return true;
    }

    private static String cookie(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(COOKIE) && !c.getValue().isBlank()) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private static String hash(String cookie) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(cookie.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
