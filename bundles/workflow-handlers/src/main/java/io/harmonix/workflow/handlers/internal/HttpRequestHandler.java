package io.harmonix.workflow.handlers.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * http/request: one HTTP request with Java's client. Input: {@code url}, {@code method} (GET), {@code headers}
 * (map), {@code body} (text, or a map/list sent as JSON). Output: {@code status}, {@code body} (text, first 1 MiB),
 * {@code json} (the body parsed, when the answer is JSON). A status outside 200-299 fails the attempt (so retries
 * apply). The task's idempotency key goes in the {@code Idempotency-Key} header.
 *
 * <p>The client is built at the first request, not with the component: the workflow engine binds every task handler
 * at its activation, so a client built here was a start's cost (its selector thread, SSL context and classes) in
 * every runtime, most of which never send one.
 */
@Component(property = {TaskHandler.COMPONENT + "=http", TaskHandler.ACTION + "=request"})
public final class HttpRequestHandler implements TaskHandler {
    /** Jackson's mapper, made with the first request's JSON too (a holder class: loaded at its first use). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private volatile HttpClient client;

    /** @return the one client of this handler, built by the first request (requests run on several threads) */
    HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        Map<String, Object> in = context.input();
        Object url = context.required("url");
        String method = String.valueOf(in.getOrDefault("method", "GET")).toUpperCase(java.util.Locale.ROOT);
        Object body = in.get("body");
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
                        : Json.MAPPER.writeValueAsString(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(String.valueOf(url))).method(method, publisher)
                .header("Idempotency-Key", context.idempotencyKey());
        if (body != null && !(body instanceof String)) {
            b.header("content-type", "application/json");
        }
        if (in.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> b.header(String.valueOf(k), String.valueOf(v)));
        }
        if (context.deadline() != null) {
            b.timeout(Duration.between(Instant.now(), context.deadline()).plusMillis(1));
        }
        HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
        String text = r.body() == null ? "" : r.body();
        if (text.length() > (1 << 20)) {
            text = text.substring(0, 1 << 20);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("http/request: " + method + " " + url + " answered " + r.statusCode()
                    + (text.isBlank() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", r.statusCode());
        out.put("body", text);
        if (r.headers().firstValue("content-type").orElse("").contains("json") && !text.isBlank()) {
            out.put("json", Json.MAPPER.readValue(text, Object.class));
        }
        return out;
    }
}
