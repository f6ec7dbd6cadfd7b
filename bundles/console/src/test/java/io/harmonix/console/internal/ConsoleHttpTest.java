package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private void serve(String host) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new ConsoleServlet(etc, host, new LiveRuns(), new LiveInstances()));
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
        serve("127.0.0.1");
        assertEquals(first, token(), "a second start keeps the token");
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
