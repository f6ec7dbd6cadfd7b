package io.harmonix.propagator.internal;

import com.sun.net.httpserver.HttpServer;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Propagation on this machine, end to end on real parts (index on files, cursors and attempts in Derby, HTTP on
 * loopback): deliveries per second of a backlog to a receiver that answers 200 at once, beside plain HTTP POSTs of
 * the same bodies by the same client (no index, no database, no signature) as the ceiling; the same to a receiver
 * that is the real ingest side (signature check, seen-id table, append to its own index); and the latency from
 * the append to the index to the request's arrival at the receiver (median and p99), one cycle at a time.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} (figures in docs/performance.md).
 */
public final class PropagationBenchmark {
    private static final int BACKLOG = 3000;
    private static final int LATENCY_SAMPLES = 1000;

    private PropagationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            measure();
        } catch (Exception | Error e) {
            e.printStackTrace();
            throw e;
        }
    }

    private static void measure() throws Exception {
        Path root = Files.createTempDirectory("harmonix-propagation-bench");
        System.out.printf(Locale.ROOT, "propagation benchmark in %s, %d cores, Java %s%n", root,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double raw = rawPosts();
        System.out.printf(Locale.ROOT, "plain HTTP POSTs of the same bodies, one at a time: %.0f/s%n", raw);
        double plain = backlog(root.resolve("to-plain"), false);
        System.out.printf(Locale.ROOT, "backlog of %d cycles to a receiver answering 200: %.0f deliveries/s "
                + "(%.2f of plain POSTs)%n", BACKLOG, plain, plain / raw);
        double mesh = backlog(root.resolve("to-ingest"), true);
        System.out.printf(Locale.ROOT, "backlog of %d cycles to the real ingest side (verify, dedupe, append): "
                + "%.0f deliveries/s (%.2f of plain POSTs)%n", BACKLOG, mesh, mesh / raw);
        latency(root.resolve("latency"));
    }

    private static byte[] body(long cycle) {
        return CycleSnapshots.toCanonicalJson(Fixture.snapshot("bench", cycle, CycleStatus.OK))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A loopback receiver: answers 200 and counts, or hands the request to an ingest side. */
    private static HttpServer receiver(java.util.function.Function<com.sun.net.httpserver.HttpExchange, Integer> h)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-receiver");
            t.setDaemon(true); // exec:java waits for every non-daemon thread
            return t;
        }));
        server.createContext("/", exchange -> {
            int status = h.apply(exchange);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static double rawPosts() throws Exception {
        HttpServer server = receiver(ex -> {
            try {
                ex.getRequestBody().readAllBytes();
            } catch (java.io.IOException e) {
                return 500;
            }
            return 200;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        for (int i = 0; i < 500; i++) { // warm up
            client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body(i + 1))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < BACKLOG; i++) {
            client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body(i + 1))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        double rate = BACKLOG / ((System.nanoTime() - t0) / 1e9);
        server.stop(0);
        return rate;
    }

    private static double backlog(Path dir, boolean realIngest) throws Exception {
        try (Fixture sender = new Fixture(dir.resolve("a")); Fixture peer = new Fixture(dir.resolve("b"))) {
            AtomicInteger got = new AtomicInteger();
            HttpServer server;
            if (realIngest) {
                peer.registry("{\"peers\": [{\"id\": \"a\", \"secret\": \"a\"}]}");
                peer.pulse("{\"secrets\": {\"a\": {\"signing\": [\"" + Fixture.SECRET + "\"]}}}");
                peer.start(Map.of());
                IngestService ingest = peer.service.ingest(java.time.Instant::now);
                server = receiver(ex -> {
                    try {
                        var h = ex.getRequestHeaders();
                        var a = ingest.receive("a", h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                                h.getFirst("webhook-signature"), ex.getRequestBody().readAllBytes(), "bench");
                        return a.status();
                    } catch (java.io.IOException e) {
                        return 500;
                    }
                });
            } else {
                server = receiver(ex -> {
                    try {
                        ex.getRequestBody().readAllBytes();
                    } catch (java.io.IOException e) {
                        return 500;
                    }
                    return 200;
                });
            }
            sender.endpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/in",
                    ", \"rateLimit\": {\"perSecond\": 100000}");
            sender.append("bench", 1, BACKLOG);
            CountDownLatch done = new CountDownLatch(BACKLOG);
            long t0 = System.nanoTime();
            sender.start(Map.of()).onDelivered((e, a) -> {
                got.incrementAndGet();
                done.countDown();
            });
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + got.get() + " delivered");
            }
            double rate = BACKLOG / ((System.nanoTime() - t0) / 1e9);
            if (realIngest && peer.index.stats("a").treeSize() != BACKLOG) {
                throw new IllegalStateException("the peer holds " + peer.index.stats("a").treeSize());
            }
            server.stop(0);
            return rate;
        }
    }

    private static void latency(Path dir) throws Exception {
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        HttpServer server = receiver(ex -> {
            try {
                String b = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                long at = System.nanoTime();
                arrived.put(CycleSnapshots.fromJson(b).cycle(), at);
            } catch (java.io.IOException e) {
                return 500;
            }
            return 200;
        });
        try (Fixture sender = new Fixture(dir)) {
            sender.endpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/in",
                    ", \"rateLimit\": {\"perSecond\": 100000}");
            sender.start(Map.of());
            long[] micros = new long[LATENCY_SAMPLES];
            for (int i = 1; i <= LATENCY_SAMPLES + 100; i++) {
                CycleSnapshot s = Fixture.snapshot("lat", i, CycleStatus.OK);
                long t0 = System.nanoTime();
                sender.recorder.recordCycle(s);
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!arrived.containsKey((long) i) && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                Long at = arrived.get((long) i);
                if (at == null) {
                    throw new IllegalStateException("cycle " + i + " not delivered within 10 s");
                }
                if (i > 100) { // the first 100 warm up
                    micros[i - 101] = (at - t0) / 1000;
                }
                Thread.sleep(2);
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "append to arrival, one cycle at a time (%d samples): median %.2f ms, "
                    + "p99 %.2f ms%n", LATENCY_SAMPLES, micros[LATENCY_SAMPLES / 2] / 1000.0,
                    micros[(int) (LATENCY_SAMPLES * 0.99)] / 1000.0);
        } finally {
            server.stop(0);
        }
    }
}
