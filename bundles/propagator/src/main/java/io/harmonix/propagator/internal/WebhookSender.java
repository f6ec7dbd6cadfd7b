package io.harmonix.propagator.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

/** Sends one signed webhook request and says what came back; never throws for what the network does. */
final class WebhookSender {
    private final Duration connectTimeout;
    private HttpClient client;

    WebhookSender(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * The client, built at the first request: building one loads the JDK's HTTP stack and starts its selector
     * thread, which a runtime without endpoints never needs (about a tenth of its start, docs/performance.md).
     */
    private synchronized HttpClient client() {
        if (client == null) {
            // HTTP/1.1: no h2c upgrade dance with plain-http receivers
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /** Whether a request was sent (and the client built). */
    synchronized boolean started() {
        return client != null;
    }

    /**
     * What one request gave.
     *
     * @param status HTTP status, 0 when none came
     * @param error null when 2xx, else what went wrong (the start of the answer's body for an HTTP error)
     * @param retryAfter the Retry-After header, or null
     */
    record Sent(Instant at, int status, long latencyMillis, String error, String retryAfter) {
    }

    Sent send(String url, MeshConfig.Secret secret, String messageId, String event, byte[] body, Duration timeout)
            throws InterruptedException {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            return new Sent(Instant.now(), 0, 0, "bad URL: " + e.getMessage(), null);
        }
        b.timeout(timeout).header("content-type", "application/json").header("user-agent", "harmonix-propagator")
                .header("webhook-id", messageId).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Webhooks.sign(secret.keys(), messageId, timestamp, body))
                .header("harmonix-event", event).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret.token() != null) {
            b.header("authorization", "Bearer " + secret.token());
        }
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int code = r.statusCode();
            String error = code / 100 == 2 ? null : "HTTP " + code + (r.body() == null || r.body().isBlank() ? ""
                    : ": " + clip(r.body().strip(), 200));
            return new Sent(at, code, ms, error, r.headers().firstValue("retry-after").orElse(null));
        } catch (HttpTimeoutException e) {
            return new Sent(at, 0, (System.nanoTime() - t0) / 1_000_000, "timeout: no answer within "
                    + timeout.toMillis() + " ms", null);
        } catch (IOException e) {
            return new Sent(at, 0, (System.nanoTime() - t0) / 1_000_000, "no answer: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
