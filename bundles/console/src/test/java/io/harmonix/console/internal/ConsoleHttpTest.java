package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console servlet over real HTTP on loopback (Jetty 12, as the runtime serves it), with none of the services
 * it reads present: what it guards and refuses before any of them is asked.
 */
class ConsoleHttpTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private String base;

    @TempDir
    Path etc;

    /** The time sessions expire by, moved by the tests. */
    private final MovableClock clock = new MovableClock();

    static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-11-26T12:00:00Z");

        void pass(java.time.Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private void serve(String host) throws Exception {
        serve(host, "127.0.0.1");
    }

    /** @param host the HTTP host the console is configured with; {@code listen}: where Jetty listens */
    private void serve(String host, String listen) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(listen);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new ConsoleServlet(etc, host, new LiveRuns(), new LiveInstances(),
                clock));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/console/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws Exception {
        return Files.readString(etc.resolve("console.token")).trim();
    }

    @Test
    void theTokenIsMadeOnceReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
        serve("127.0.0.1");
        Path file = etc.resolve("console.token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        String first = token();
        assertTrue(first.length() >= 40, first.length() + " characters");
        stop();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // opened up by hand
        serve("127.0.0.1");
        assertEquals(first, token(), "a second start keeps the token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }

    @Test
    void onLoopbackPagesAndTheApiAreOpenButAControlActionNeedsTheRightToken() throws Exception {
        serve("127.0.0.1");
        HttpResponse<String> page = get("/console/runs", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/console/static/console.js"), page.body());
        HttpResponse<String> script = get("/console/static/console.js", null);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));

        HttpResponse<String> none = post("/console/api/autonomy/toggles/enabled", null, "{\"value\":\"false\"}");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("needs the console token"), none.body());
        assertEquals("Bearer realm=\"harmonix-console\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> wrong = post("/console/api/autonomy/toggles/enabled", "x".repeat(43), "{}");
        assertEquals(403, wrong.statusCode());
        assertEquals("{\"error\":\"wrong console token\",\"status\":403}", wrong.body());
        // the right token gets past the guard; the controller is not there in this test: 503 naming it
        HttpResponse<String> right = post("/console/api/autonomy/toggles/enabled", token(), "{\"value\":\"false\"}");
        assertEquals(503, right.statusCode());
        assertTrue(right.body().contains("the autonomy controller is not available"), right.body());
    }

    @Test
    void beyondLoopbackEveryPageAndApiNeedsTheTokenButTheStaticFilesDoNot() throws Exception {
        serve("0.0.0.0");
        assertEquals(401, get("/console/runs", null).statusCode());
        assertEquals(401, get("/console/api/runs", null).statusCode());
        assertEquals(403, get("/console/api/runs", "wrong-token-wrong-token").statusCode());
        assertEquals(200, get("/console/runs", token()).statusCode());
        assertEquals(503, get("/console/api/runs", token()).statusCode(), "past the guard: no runner here");
        assertEquals(200, get("/console/static/console.css", null).statusCode());
    }

    /** A GET sent by hand with the Host header a browser would send for {@code host} (HttpClient refuses it). */
    private static String rawGet(String address, int port, String host, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(address, port)) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void onLoopbackAPageAskedForByANameThatIsNotLoopbackNeedsTheToken() throws Exception {
        serve("127.0.0.1");
        int port = URI.create(base).getPort();
        // a page of another site whose name the attacker made resolve to 127.0.0.1 (DNS rebinding): its Host header
        assertTrue(rawGet("127.0.0.1", port, "rebound.example:" + port, "/console/api/runs").startsWith(
                "HTTP/1.1 401"));
        assertTrue(rawGet("127.0.0.1", port, "127.0.0.1:" + port, "/console/api/runs").startsWith("HTTP/1.1 503"),
                "a loopback name: past the guard (no runner here)");
        assertTrue(rawGet("127.0.0.1", port, "localhost:" + port, "/console/runs").startsWith("HTTP/1.1 200"));
        assertTrue(Access.isLoopbackName("[::1]:8181"));
        assertTrue(Access.isLoopbackName("127.0.0.1"));
        assertFalse(Access.isLoopbackName("127.0.0.1.rebound.example"));
        assertFalse(Access.isLoopbackName("localhost.example:8181"));
        assertFalse(Access.isLoopbackName(null));
    }

    @Test
    void aLoopbackHostSettingDoesNotOpenTheConsoleWhenJettyListensBeyondIt() throws Exception {
        String outside = null;
        for (java.net.NetworkInterface nif : java.util.Collections.list(java.net.NetworkInterface
                .getNetworkInterfaces())) {
            for (java.net.InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    outside = a.getHostAddress();
                }
            }
        }
        // every machine this builds on reaches Maven Central: it has one (a test without it would prove nothing)
        assertTrue(outside != null, "no IPv4 address beyond loopback to reach the console by");
        // the setting says loopback, but Jetty was told otherwise (etc/org.apache.felix.http.cfg): every interface
        serve("127.0.0.1", "0.0.0.0");
        int port = URI.create(base).getPort();
        assertTrue(rawGet(outside, port, outside + ":" + port, "/console/api/runs").startsWith("HTTP/1.1 401"));
    }

    /** A request sent as a browser sends it: its own headers (HttpClient would refuse Origin and Host). */
    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login() throws Exception {
        HttpResponse<String> r = send("POST", "/console/login", "{\"token\":\"" + token() + "\"}",
                "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void beyondLoopbackABrowserLogsInOnceAndItsSessionCookieReadsAndChangesUntilItExpires() throws Exception {
        serve("0.0.0.0");
        // the page a browser opens without the token: 401, the page's shell (its script shows the login form)
        HttpResponse<String> page = get("/console/runs", null);
        assertEquals(401, page.statusCode());
        assertTrue(page.body().contains("/console/static/console.js"), page.body());
        assertEquals(200, get("/console/login", null).statusCode(), "the login form is open");

        HttpResponse<String> wrong = send("POST", "/console/login", "{\"token\":\"wrong-token-wrong-token\"}",
                "Content-Type", "application/json");
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), "no session for a wrong token");
        assertEquals(400, send("POST", "/console/login", "{}", "Content-Type", "application/json").statusCode());

        HttpResponse<String> in = send("POST", "/console/login", "{\"token\":\"" + token() + "\"}",
                "Content-Type", "application/json");
        assertEquals(200, in.statusCode(), in.body());
        assertTrue(in.body().startsWith("{\"expires\":\"2026-11-26T20:00:00Z\""), in.body());
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.matches("harmonix-console=[A-Za-z0-9_-]{43}; Path=/console; Max-Age=28800; HttpOnly; "
                + "SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertEquals(200, send("GET", "/console/runs", null, "Cookie", cookie).statusCode());
        assertEquals(503, send("GET", "/console/api/runs", null, "Cookie", cookie).statusCode(), "past the guard");
        String toggle = "/console/api/autonomy/toggles/enabled";
        assertEquals(503, send("POST", toggle, "{\"value\":\"false\"}", "Cookie", cookie, "Content-Type",
                "application/json", "Origin", base).statusCode(), "a change from the console's own page");

        // what a page of another site could make a browser send with the cookie is refused
        HttpResponse<String> form = send("POST", toggle, "value=false", "Cookie", cookie, "Content-Type",
                "application/x-www-form-urlencoded");
        assertEquals(403, form.statusCode());
        assertTrue(form.body().contains("must be sent as 'Content-Type: application/json'"), form.body());
        HttpResponse<String> elsewhere = send("POST", toggle, "{\"value\":\"false\"}", "Cookie", cookie,
                "Content-Type", "application/json", "Origin", "http://evil.example");
        assertEquals(403, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("from another site (Origin http://evil.example) is refused"),
                elsewhere.body());

        clock.pass(java.time.Duration.ofHours(8));
        HttpResponse<String> expired = send("GET", "/console/api/runs", null, "Cookie", cookie);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.body().contains("the console session has expired or is not known"), expired.body());
        assertEquals(401, send("POST", toggle, "{\"value\":\"false\"}", "Cookie", cookie, "Content-Type",
                "application/json").statusCode());
    }

    @Test
    void aSessionEndsAtLogoutAndAnUnknownCookieIsNoSession() throws Exception {
        serve("0.0.0.0");
        String cookie = login();
        assertEquals(503, send("GET", "/console/api/runs", null, "Cookie", cookie).statusCode());
        HttpResponse<String> out = send("POST", "/console/logout", "", "Cookie", cookie);
        assertEquals(200, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").startsWith("harmonix-console=; Path=/console; "
                + "Max-Age=0"), out.headers().toString());
        assertEquals(401, send("GET", "/console/api/runs", null, "Cookie", cookie).statusCode());
        assertEquals(401, send("GET", "/console/api/runs", null, "Cookie", "harmonix-console=" + "A".repeat(43))
                .statusCode());
    }

    @Test
    void wrongTokensFromOneAddressAreLimitedThenEveryTryIsAnswered429UntilOneIsAllowedAgain() throws Exception {
        serve("0.0.0.0");
        // the login form and the Bearer header draw on the same attempts of the address
        for (int i = 0; i < WrongTokens.BURST / 2; i++) {
            assertEquals(403, send("POST", "/console/login", "{\"token\":\"wrong-token-wrong-" + i + "\"}",
                    "Content-Type", "application/json").statusCode());
            assertEquals(403, get("/console/api/runs", "wrong-token-wrong-" + i).statusCode());
        }
        HttpResponse<String> refused = get("/console/api/runs", "wrong-token-wrong-x");
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("6", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals("{\"error\":\"too many wrong console tokens from this address: try again in 6 s\","
                + "\"status\":429}", refused.body());
        assertEquals(429, get("/console/api/runs", token()).statusCode(), "the right token is not even compared");
        HttpResponse<String> login = send("POST", "/console/login", "{\"token\":\"" + token() + "\"}",
                "Content-Type", "application/json");
        assertEquals(429, login.statusCode());
        assertTrue(login.headers().firstValue("Set-Cookie").isEmpty(), "no session while refused");

        clock.pass(java.time.Duration.ofSeconds(3));
        assertEquals("3", get("/console/api/runs", token()).headers().firstValue("Retry-After").orElse(""));
        clock.pass(java.time.Duration.ofSeconds(3));
        assertEquals(503, get("/console/api/runs", token()).statusCode(), "one attempt again: past the guard");
        assertEquals(403, get("/console/api/runs", "wrong-token-wrong-y").statusCode(), "that attempt, spent");
        assertEquals(429, get("/console/api/runs", token()).statusCode());
        clock.pass(WrongTokens.REFILL.multipliedBy(WrongTokens.BURST));
        for (int i = 0; i < WrongTokens.BURST; i++) {
            assertEquals(403, get("/console/api/runs", "wrong-token-again-" + i).statusCode(), "refilled: " + i);
        }
        // a session (no token shown) and pages without a token are no attempts: not limited
        assertEquals(401, get("/console/api/runs", null).statusCode());
    }

    @Test
    void thePagesCarryALogoutButtonAndLogoutWithoutASessionOnlyClearsTheCookie() throws Exception {
        serve("127.0.0.1");
        HttpResponse<String> page = get("/console/runs", null);
        assertTrue(page.body().contains("<button id=\"logout\""), page.body());
        HttpResponse<String> out = send("POST", "/console/logout", "");
        assertEquals(200, out.statusCode());
        assertEquals("{\"loggedOut\":true}", out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").startsWith("harmonix-console=; Path=/console; "
                + "Max-Age=0"), out.headers().toString());
        String script = get("/console/static/console.js", null).body();
        assertTrue(script.contains("fetch('/console/logout', { method: 'POST' })"), "the button posts the logout");
    }

    @Test
    void onLoopbackReadingStaysFreeAndASessionChangesAsTheTokenDoes() throws Exception {
        serve("127.0.0.1");
        assertEquals(503, get("/console/api/runs", null).statusCode(), "free, as before");
        String toggle = "/console/api/autonomy/toggles/enabled";
        assertEquals(401, send("POST", toggle, "{\"value\":\"false\"}", "Content-Type", "application/json")
                .statusCode(), "changing still needs the token or a session");
        assertEquals(503, send("POST", toggle, "{\"value\":\"false\"}", "Cookie", login(), "Content-Type",
                "application/json").statusCode());
    }

    @Test
    void badInputIsAnsweredWithAJsonErrorNamingWhatWasWrong() throws Exception {
        serve("127.0.0.1");
        HttpResponse<String> limit = get("/console/api/runs?limit=0", null);
        assertEquals(400, limit.statusCode());
        assertEquals("{\"error\":\"parameter 'limit': expected a whole number from 1 to 1000, got '0'\","
                + "\"status\":400}", limit.body());
        HttpResponse<String> offset = get("/console/api/findings?offset=-3", null);
        assertEquals(400, offset.statusCode());
        assertTrue(offset.body().contains("parameter 'offset'"), offset.body());
        HttpResponse<String> unknown = get("/console/api/nothing/here", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no API '/console/api/nothing/here'"), unknown.body());
        assertEquals(404, get("/console/static/console.java", null).statusCode(), "only the script, style, page");
        assertEquals(404, get("/console/static/missing.js", null).statusCode());
        HttpResponse<String> body = post("/console/api/autonomy/quarantine", token(), "not json");
        assertEquals(400, body.statusCode());
        assertTrue(body.body().contains("the body is not JSON"), body.body());
    }
}
