package io.harmonix.propagator.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real HTTP server on loopback that records every request and answers as the test scripts it. */
final class LoopbackReceiver implements AutoCloseable {
    record Request(long atNanos, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    record Response(int status, Map<String, String> headers, String body, long delayMillis) {
        static Response ok() {
            return new Response(200, Map.of(), "{}", 0);
        }

        static Response status(int status) {
            return new Response(status, Map.of(), "{\"error\":\"scripted " + status + "\"}", 0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile Function<Request, Response> script = r -> Response.ok();

    LoopbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            java.util.HashMap<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Request r = new Request(System.nanoTime(), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (requests) {
                requests.add(r);
                requests.notifyAll();
            }
            Response answer = script.apply(r);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            } catch (IOException e) {
                // the client gave up (timeout test)
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    void script(Function<Request, Response> next) {
        script = next;
    }

    List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** Waits until at least {@code n} requests came; fails after {@code seconds}. */
    List<Request> await(int n, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (requests) {
            while (requests.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " requests within " + seconds + " s, got "
                            + requests.size());
                }
                requests.wait(left);
            }
            return new ArrayList<>(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
