package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest endpoint of a packaged runtime (real Jetty, real HTTP Whiteboard) under hostile clients on loopback:
 * hundreds of clients that send their headers and a little of their body, then hang, do not keep a signed request
 * of a peer from being served (bodies are read without blocking a thread, at most {@code ingest.maxConcurrentBodies}
 * at once, each cut after {@code ingest.readTimeout}); a body declared or grown over {@code ingest.maxBodyBytes} is
 * refused with 413 after the few bytes sent, never taken whole.
 */
class IngestLimitsIT {
    private static final int MAX_BODY = 65536;
    private static final int MAX_BODIES = 8;
    private static final String PATH = "/harmonix/ingest/runtime-a";

    @TempDir
    Path dir;

    private Process runtime;
    private PackagedRuntime.Output out;
    private int port;
    private byte[] key;
    private final List<Socket> slow = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        PackagedRuntime b = PackagedRuntime.copyInto(dir);
        port = b.port();
        Files.writeString(b.home.resolve("etc/io.harmonix.propagator.cfg"), "ingest.maxBodyBytes = " + MAX_BODY
                + "\ningest.maxConcurrentBodies = " + MAX_BODIES + "\ningest.readTimeout = 2s\n");
        key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(b.home.resolve("etc/registry.json"), "{\"peers\": [{\"id\": \"runtime-a\", "
                + "\"namespace\": \"from-a\", \"secret\": \"a\"}]}");
        Path pulse = b.home.resolve("etc/pulse.json");
        Files.writeString(pulse, "{\"secrets\": {\"a\": {\"signing\": [\"whsec_"
                + Base64.getEncoder().encodeToString(key) + "\"]}}}");
        Files.setPosixFilePermissions(pulse, PosixFilePermissions.fromString("rw-------"));
        runtime = b.start(b.home, "run");
        out = new PackagedRuntime.Output(runtime.getInputStream());
        new PackagedRuntime.Output(runtime.getErrorStream());
        out.await("Harmonix running");
        // the servlet reaches the whiteboard asynchronously: wait until a signed ping is answered
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = 0;
        while (post("ping-" + n++, "{\"type\":\"harmonix.ping\"}").status != 200) {
            assertTrue(System.nanoTime() < end, "the ingest endpoint did not answer a signed ping within 60 s");
            Thread.sleep(100); // polling a server that comes up on its own; nothing of ours to wait on
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : slow) {
            s.close();
        }
        if (runtime != null) {
            runtime.destroy();
            if (!runtime.waitFor(60, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }

    @Test
    void hundredsOfSlowClientsDoNotKeepASignedRequestFromBeingServed() throws Exception {
        // fewer slow clients than the cap: a peer is served at once, beside them
        for (int i = 0; i < MAX_BODIES / 2; i++) {
            slow.add(slowClient());
        }
        Answer beside = post("msg-1", snapshot(1));
        assertEquals(200, beside.status, beside.toString());
        assertTrue(beside.body.contains("\"appended\":1"), beside.toString());

        // 300 more: the cap is full, the others are told 503 at once; the slow ones are cut after the read timeout
        for (int i = 0; i < 300; i++) {
            slow.add(slowClient());
        }
        long t0 = System.nanoTime();
        Answer served = null;
        int refusals = 0;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
            Answer a = post("msg-2", snapshot(2));
            if (a.status != 503) {
                served = a;
                break;
            }
            refusals++;
            assertTrue(a.headers.containsKey("retry-after"), "503 says when to try again: " + a);
            Thread.sleep(1000L * Long.parseLong(a.headers.get("retry-after").trim())); // as a peer honours it
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(served != null, "not served within 10 s while 300 slow clients hang (" + refusals + " x 503)");
        assertEquals(200, served.status, served.toString());
        assertTrue(served.body.contains("\"appended\":1"), served.toString());

        // every slow client was let go: 408 (cut after the read timeout), 503 (the cap was full), or its connection
        // closed under it (-1: a reset may overtake the answer); none is left hanging (0) and none was taken (200)
        Map<Integer, Integer> answers = new TreeMap<>();
        for (Socket s : slow) {
            s.setSoTimeout(10_000);
            int status;
            try {
                status = read(s.getInputStream()).status;
            } catch (IOException e) {
                status = -1;
            }
            answers.merge(status, 1, Integer::sum);
        }
        assertEquals(slow.size(), answers.getOrDefault(408, 0) + answers.getOrDefault(503, 0)
                + answers.getOrDefault(-1, 0), answers.toString());
        assertTrue(answers.getOrDefault(408, 0) >= MAX_BODIES / 2, "the slow ones holding a permit were cut: "
                + answers);
        System.out.println("IngestLimitsIT: a signed request served in " + tookMillis + " ms (" + refusals
                + " x 503 first) while " + slow.size() + " slow clients hung; their answers: " + answers);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithoutBeingReadWhole() throws Exception {
        // declared: 16 MiB announced, 1 KiB sent, the answer comes without the rest
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(headers("msg-big", "Content-Length: " + (16 << 20)).getBytes(StandardCharsets.US_ASCII));
            o.write(new byte[1024]);
            o.flush();
            Answer a = read(s.getInputStream());
            assertEquals(413, a.status, a.toString());
            assertTrue(a.body.contains("ingest.maxBodyBytes"), a.toString());
        }
        // undeclared (chunked): cut once it passes the limit, answered 413 while the client still sends
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(headers("msg-chunked", "Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            try {
                for (int sent = 0; sent <= MAX_BODY + chunk.length; sent += chunk.length) {
                    o.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    o.write(chunk);
                    o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                o.flush();
            } catch (java.net.SocketException cut) {
                // the server answered and closed the connection while this client still sent (what a limit does to
                // a body that goes on): its answer, sent before the close, is still here to read
            }
            Answer a = read(s.getInputStream());
            assertEquals(413, a.status, a.toString());
        }
        // and the endpoint still takes a right one
        Answer ok = post("msg-after", snapshot(1));
        assertEquals(200, ok.status, ok.toString());
    }

    // ---- a raw HTTP/1.1 client: what a hostile one sends is exactly what the test writes --------------------

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static String snapshot(long cycle) {
        return "{\"agents\":[],\"cycle\":" + cycle + ",\"cycleId\":\"p:" + cycle + "\",\"endedAt\":"
                + "\"2026-11-21T00:00:01Z\",\"metrics\":{},\"runId\":\"p\",\"schemaVersion\":1,\"startedAt\":"
                + "\"2026-11-21T00:00:01Z\",\"status\":\"ok\"}";
    }

    private String headers(String id, String framing) throws Exception {
        return "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "webhook-id: " + id + "\r\nwebhook-timestamp: " + System.currentTimeMillis() / 1000
                + "\r\nwebhook-signature: v1,AAAA\r\n" + framing + "\r\n\r\n";
    }

    /** Headers and 10 of 1000 announced bytes, then nothing: a slow client. */
    private Socket slowClient() throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream o = s.getOutputStream();
        o.write(headers("slow", "Content-Length: 1000").getBytes(StandardCharsets.US_ASCII));
        o.write(new byte[10]);
        o.flush();
        return s;
    }

    private Answer post(String id, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        String sig = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
                    + "\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " + ts + "\r\nwebhook-signature: " + sig
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.write(body);
            o.flush();
            return read(s.getInputStream());
        } catch (IOException e) {
            return new Answer(-1, Map.of(), e.toString()); // not listening yet
        }
    }

    /** Reads one response: status line, headers, and a body of Content-Length bytes. */
    private static Answer read(InputStream in) throws IOException {
        String status;
        try {
            status = line(in);
        } catch (SocketTimeoutException e) {
            return new Answer(0, Map.of(), "no answer within the socket timeout");
        }
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            return new Answer(-1, Map.of(), "no status line: " + status);
        }
        Map<String, String> headers = new TreeMap<>();
        for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(status.substring(9, 12)), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return b.toString(StandardCharsets.US_ASCII).replaceFirst("\r$", "");
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }
}
