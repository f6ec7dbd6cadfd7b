package io.harmonix.proposals.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chat-completions endpoint of the OpenAI-compatible kind on loopback, as the tests' model: {@code POST
 * /v1/chat/completions} answered with {@code choices[0].message.content} = {@link #answer}, or with the status and
 * body set by {@link #fail}, after {@link #delay}. It keeps each request's body and Authorization header. There is
 * no real model reachable from this machine; this speaks its protocol for real, over HTTP.
 */
final class LoopbackModel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A request as it arrived. */
    record Received(String method, String path, String authorization, JsonNode body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile String answer = "";
    private volatile int status = 200;
    private volatile String errorBody = "";
    private volatile Duration delay = Duration.ZERO;

    LoopbackModel() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    LoopbackModel answer(String content) {
        this.answer = content;
        this.status = 200;
        return this;
    }

    LoopbackModel fail(int code, String body) {
        this.status = code;
        this.errorBody = body;
        return this;
    }

    LoopbackModel delay(Duration d) {
        this.delay = d;
        return this;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] in = x.getRequestBody().readAllBytes();
            received.add(new Received(x.getRequestMethod(), x.getRequestURI().getPath(),
                    x.getRequestHeaders().getFirst("Authorization"), JSON.readTree(in)));
            Thread.sleep(delay.toMillis());
            String out;
            if (status == 200) {
                var body = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
                body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                        .putObject("message").put("role", "assistant").put("content", answer);
                out = body.toString();
            } else {
                out = errorBody;
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (its timeout): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
