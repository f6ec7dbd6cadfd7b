package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event streams over real HTTP (Jetty 12, as the runtime serves them) to real sockets: a browser that stops reading
 * holds nobody else's live view, and is dropped once it is too far behind.
 */
class StreamsHttpTest {
    private final Streams streams = new Streams();
    private Server server;
    private int port;

    @BeforeEach
    void serve() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // longer than the test: a write blocked on the stalled browser must not be ended by Jetty's idle timeout
        // (30 s here, 60 s in Felix HTTP), which let a shared writer go on after that long before streams had queues
        connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(5));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                streams.open("k", req, resp);
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/events");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        streams.closeAll();
        server.stop();
    }

    /** A browser: its socket, the request for the stream sent. */
    private Socket follow(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connecting: the window it offers stays this small
        }
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private void awaitFollowers(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (streams.followers("k") != n) {
            assertTrue(System.nanoTime() < end, streams.followers("k") + " followers, not " + n);
            Thread.sleep(10);
        }
    }

    @Test
    void aBrowserThatStopsReadingHoldsNobodyElseAndIsDroppedOnceTooFarBehind() throws Exception {
        String padding = "x".repeat(8 * 1024); // 8 KiB an event: the stalled socket's buffers fill within a few
        int events = Streams.QUEUE * 3;
        try (Socket stalled = follow(4096); Socket reader = follow(0)) {
            awaitFollowers(2);
            // the reader gets every event, in order, whatever the other does
            java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
            Thread reading = new Thread(() -> {
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(reader.getInputStream(),
                            StandardCharsets.UTF_8));
                    for (String line; seen.get() < events && (line = in.readLine()) != null; ) {
                        if (line.startsWith("data: {\"n\":")) {
                            int n = Integer.parseInt(line.substring("data: {\"n\":".length(), line.indexOf(',')));
                            assertEquals(seen.get() + 1, n, "in order, none missing");
                            seen.set(n);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reading.start();
            // the publisher (in the runtime the runner's listener) goes at the pace the reader reads, as cycles come
            // at a run's pace; it is never held by the browser that reads nothing
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 1; i <= events; i++) {
                        while (i - seen.get() > 100 && reading.isAlive()) {
                            Thread.sleep(1);
                        }
                        streams.send("k", "tick", tick(i, padding));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            publisher.start();
            publisher.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!publisher.isAlive(), "the publisher was held by the browser that stopped reading");
            reading.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(events, seen.get());
            assertEquals(1, streams.followers("k"), "the stalled browser was dropped, the reader stays");

            // the stalled browser reads again: what it was sent before it fell behind, then the word that it was
            // dropped, and the end of the stream
            String rest = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.contains("event: hello"), rest.substring(0, Math.min(300, rest.length())));
            String last = rest.substring(rest.lastIndexOf("event: "));
            assertTrue(last.startsWith("event: dropped\ndata: {\"reason\":\"this page fell more than " + Streams.QUEUE
                    + " events behind: reload it\"}"), last);
            assertTrue(rest.split("event: tick", -1).length - 1 < events, "not everything was sent to it");
        }
    }

    /** An event's data, its number first. */
    private static Map<String, Object> tick(int n, String padding) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("n", n);
        m.put("padding", padding);
        return m;
    }

    @Test
    void aBrowserThatLeftIsUnsubscribed() throws Exception {
        try (Socket gone = follow(0)) {
            awaitFollowers(1);
        }
        // its writer meets the closed socket at the next events and ends the stream
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; streams.followers("k") > 0; i++) {
            assertTrue(System.nanoTime() < end, "a closed browser's stream is still subscribed");
            streams.send("k", "tick", Map.of("n", i));
            Thread.sleep(10);
        }
    }
}
