package io.harmonix.proposals.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One question to a chat-completions endpoint of the OpenAI-compatible kind: {@code POST URL/chat/completions} with
 * {@code {model, messages: [system, user]}}, the key as a bearer token; the answer is
 * {@code choices[0].message.content}. Every failure is a {@link Refused} whose text is masked with the key: an
 * endpoint may echo the request's headers in its error body.
 */
final class ModelClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of an error body a refusal quotes: enough to see the endpoint's reason. */
    private static final int BODY_QUOTED = 200;
    private final URI endpoint;
    private final String model;
    private final Duration timeout;
    private final HttpClient http;

    ModelClient(URI baseUrl, String model, Duration timeout) {
        this.endpoint = URI.create(baseUrl + "/chat/completions");
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @return the content of the first choice */
    String complete(String apiKey, String system, String user) throws Refused, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "system").put("content", system))
                .add(JSON.createObjectNode().put("role", "user").put("content", user));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Refused("no answer from " + endpoint + " within " + timeout.toMillis() + " ms (timeout)");
        } catch (IOException e) {
            throw new Refused("cannot reach " + endpoint + ": " + ModelMasker.mask(String.valueOf(e.getMessage()),
                    List.of(apiKey)));
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new Refused(endpoint + " refused the key (HTTP " + status + "): check apiKey in the secret file");
        }
        if (status / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            text = text.length() > BODY_QUOTED ? text.substring(0, BODY_QUOTED) + "..." : text;
            throw new Refused(endpoint + " failed: HTTP " + status + (text.isEmpty() ? ""
                    : ": " + ModelMasker.mask(text, List.of(apiKey))));
        }
        JsonNode content;
        try {
            content = JSON.readTree(response.body()).path("choices").path(0).path("message").path("content");
        } catch (IOException e) {
            throw new Refused(endpoint + " answered HTTP " + status + " with a body that is not JSON");
        }
        if (!content.isTextual()) {
            throw new Refused(endpoint + " answered without choices[0].message.content");
        }
        return content.asText();
    }
}
